#include "jjstat/format.hpp"

#include "jjstat/csv.hpp"
#include "jjstat/error.hpp"
#include "jjstat/suggest.hpp"
#include "jjstat/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace jjstat::format {
namespace {

constexpr std::array<std::string_view, 6> k_format_names = {"table", "csv",   "tsv",
                                                            "json",  "jsonl", "md"};

bool shown(const Column& column, bool human) {
  return column.audience == Audience::all ||
         (human ? column.audience == Audience::human : column.audience == Audience::machine);
}

std::string with_sign(std::string digits, bool show_sign) {
  return show_sign ? with_plus_sign(std::move(digits)) : digits;
}

/// A cell as people read it: rounded, optionally grouped, "n/a" for missing values.
std::string human_value(const Cell& cell, const WriteOptions& options) {
  auto group = [&](std::string digits) {
    return options.group_digits ? group_thousands(digits) : digits;
  };
  switch (cell.kind()) {
  case Cell::Kind::text: return text::escape_for_terminal(cell.human_text());
  case Cell::Kind::integer: return group(fmt::format("{}", cell.integer_value()));
  case Cell::Kind::decimal:
    return with_sign(group(cell.decimal_value().to_string()), cell.show_sign());
  case Cell::Kind::real:
    return with_sign(group(format_fixed(cell.real_value(), cell.precision())), cell.show_sign());
  case Cell::Kind::missing: return "n/a";
  }
  return {};
}

/// True when a spreadsheet would run `text` as a formula: it gets a leading apostrophe
/// (OWASP's advice).
bool formula_risk(std::string_view text, const WriteOptions& options) {
  if (options.keep_formulas || text.empty()) return false;
  const char c = text[0];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/// Keeps of `visible` (columns of `report`) those whose keys `keys` names (all when it names
/// none); a key of none of them is a UsageError naming those there are.
void select_columns(const Report& report, const std::vector<std::string>& keys,
                    std::vector<std::size_t>& visible) {
  if (keys.empty()) return;
  std::vector<std::string> known;
  for (std::size_t c : visible) known.push_back(report.columns[c].key);
  for (const std::string& key : keys) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw UsageError(fmt::format("--columns: no column '{}' in this output{}; its columns: {}",
                                   key, did_you_mean(key, known), fmt::join(known, ",")));
    }
  }
  std::erase_if(visible, [&](std::size_t c) {
    return std::find(keys.begin(), keys.end(), report.columns[c].key) == keys.end();
  });
}

std::vector<std::size_t> visible_columns(const Report& report, bool human) {
  std::vector<std::size_t> visible;
  for (std::size_t c = 0; c < report.columns.size(); ++c) {
    if (!shown(report.columns[c], human)) continue;
    if (human && static_cast<int>(c) == report.section_column) continue;
    visible.push_back(c);
  }
  return visible;
}

/// The text of kept cell `k` of row `r` (k below HumanRows::per_row).
std::string_view cell_text(const HumanRows& rows, std::size_t r, std::size_t k) {
  const std::size_t index = r * rows.per_row + k;
  const std::size_t begin = index == 0 ? 0 : rows.ends[index - 1];
  return std::string_view(rows.text).substr(begin, rows.ends[index] - begin);
}

/// Rows split where the section column changes: [begin, end) pairs.
std::vector<std::pair<std::size_t, std::size_t>> sections(const HumanRows& rows,
                                                          int section_column) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  const std::size_t s = rows.per_row - 1; // the section column's text, when there is one
  for (std::size_t r = 1; r <= rows.rows; ++r) {
    bool boundary = r == rows.rows;
    if (!boundary && section_column >= 0) {
      boundary = cell_text(rows, r, s) != cell_text(rows, begin, s);
    }
    if (boundary) {
      out.emplace_back(begin, r);
      begin = r;
    }
  }
  return out;
}

std::string section_heading(const HumanRows& rows, std::size_t row) {
  return text::escape_for_terminal(cell_text(rows, row, rows.per_row - 1));
}

// ANSI sequences of the table's colours.
constexpr std::string_view k_bold = "\x1b[1m";
constexpr std::string_view k_red = "\x1b[31m";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_dim = "\x1b[2m";
constexpr std::string_view k_reset = "\x1b[0m";
// Text columns are not narrowed below this many columns to fit a terminal.
constexpr std::size_t k_min_text_width = 6;

/// The colours of a table's cells.
enum Colour : std::uint8_t { c_none, c_green, c_red, c_yellow, c_dim };

/// The colour of a cell: its tone, red for a negative number, dim for a missing value.
Colour colour_of(const Cell& cell) {
  switch (cell.tone()) {
  case Cell::Tone::good: return c_green;
  case Cell::Tone::bad: return c_red;
  case Cell::Tone::note: return c_yellow;
  case Cell::Tone::plain: break;
  }
  switch (cell.kind()) {
  case Cell::Kind::integer: return cell.integer_value() < 0 ? c_red : c_none;
  case Cell::Kind::decimal: return cell.decimal_value().is_negative() ? c_red : c_none;
  case Cell::Kind::real:
    return cell.real_value() < 0 && format_fixed(cell.real_value(), cell.precision()) !=
                                        format_fixed(0.0, cell.precision())
               ? c_red
               : c_none;
  case Cell::Kind::missing: return c_dim;
  case Cell::Kind::text: break;
  }
  return c_none;
}

/// The ANSI sequence of a colour.
std::string_view colour_sequence(std::uint8_t colour) {
  switch (colour) {
  case c_green: return k_green;
  case c_red: return k_red;
  case c_yellow: return k_yellow;
  case c_dim: return k_dim;
  default: return {};
  }
}

/// `text` cut into lines of at most `width` columns, at spaces where there are any.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (text::display_width(rest) > width) {
    std::string head = text::truncate_to_width(rest, width + 1);
    if (head.size() >= 3 && head.compare(head.size() - 3, 3, "…") == 0) head.resize(head.size() - 3);
    std::size_t space = head.rfind(' ');
    std::size_t cut = space != std::string::npos && space > 0 ? space : head.size();
    if (cut == 0) break;
    lines.push_back(rest.substr(0, cut));
    rest = rest.substr(cut);
    while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  }
  lines.push_back(rest);
  return lines;
}

/// Hands `out` to the spill once it has grown past the spill size (a table of a million rows).
void spill_if_large(std::string& out, const WriteOptions& options);

void write_table(const Report& report, const HumanRows& rows, const WriteOptions& options,
                 std::string& out) {
  const std::vector<std::size_t>& visible = rows.columns;
  std::vector<std::size_t> width(visible.size());
  for (std::size_t v = 0; v < visible.size(); ++v) {
    width[v] = text::display_width(text::escape_for_terminal(report.columns[visible[v]].label));
  }
  for (std::size_t r = 0; r < rows.rows; ++r) {
    for (std::size_t v = 0; v < visible.size(); ++v) {
      width[v] = std::max(width[v], text::display_width(cell_text(rows, r, v)));
    }
  }
  if (options.max_width > 0) {
    // Narrow the widest text column, one column at a time, until the lines fit; numbers are
    // never cut.
    auto total = [&] {
      std::size_t sum = visible.empty() ? 0 : 2 * (visible.size() - 1);
      for (std::size_t w : width) sum += w;
      return sum;
    };
    while (total() > options.max_width) {
      std::size_t widest = visible.size();
      for (std::size_t v = 0; v < visible.size(); ++v) {
        if (report.columns[visible[v]].align != Align::left || width[v] <= k_min_text_width) continue;
        if (widest == visible.size() || width[v] > width[widest]) widest = v;
      }
      if (widest == visible.size()) break;
      --width[widest];
    }
  }
  auto line = [&](auto&& cell_text_of, auto&& colour) {
    std::string text;
    for (std::size_t v = 0; v < visible.size(); ++v) {
      if (v > 0) text += "  ";
      std::string cell(cell_text_of(v));
      if (text::display_width(cell) > width[v]) cell = text::truncate_to_width(cell, width[v]);
      std::size_t pad = width[v] - text::display_width(cell);
      bool right = report.columns[visible[v]].align == Align::right;
      if (right) text.append(pad, ' ');
      std::string_view tint = options.color ? colour(v) : std::string_view{};
      if (!tint.empty() && !cell.empty()) {
        text.append(tint).append(cell).append(k_reset);
      } else {
        text += cell;
      }
      if (!right && v + 1 < visible.size()) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  };
  auto header = [&] {
    line([&](std::size_t v) { return text::escape_for_terminal(report.columns[visible[v]].label); },
         [&](std::size_t) { return k_bold; });
    line([&](std::size_t v) { return std::string(width[v], '-'); },
         [&](std::size_t) { return std::string_view{}; });
  };
  bool first = true;
  for (auto [begin, end] : sections(rows, report.section_column)) {
    if (!first) out += '\n';
    first = false;
    if (report.section_column >= 0) {
      std::string heading = section_heading(rows, begin);
      if (options.max_width > 0) heading = text::truncate_to_width(heading, options.max_width);
      out += options.color ? std::string(k_bold) + heading + std::string(k_reset) + "\n" : heading + "\n";
    }
    header();
    for (std::size_t r = begin; r < end; ++r) {
      line([&](std::size_t v) { return cell_text(rows, r, v); },
           [&](std::size_t v) { return colour_sequence(rows.colours[r * visible.size() + v]); });
      spill_if_large(out, options);
    }
  }
  if (rows.rows == 0) header();
  if (!report.notes.empty()) {
    out += '\n';
    for (const std::string& note : report.notes) {
      std::string escaped = text::escape_for_terminal(note);
      if (options.max_width == 0) {
        out += escaped + "\n";
        continue;
      }
      for (const std::string& piece : wrap(escaped, options.max_width)) out += piece + "\n";
    }
  }
}

std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

/// The header of a Markdown table: the labels, then the rule that aligns each column.
void write_markdown_header(const Report& report, const std::vector<std::size_t>& visible,
                           std::string& out) {
  std::string head = "|";
  std::string rule = "|";
  for (std::size_t c : visible) {
    head += " " + markdown_cell(text::escape_for_terminal(report.columns[c].label)) + " |";
    rule += report.columns[c].align == Align::right ? " ---: |" : " --- |";
  }
  out += head + "\n" + rule + "\n";
}

void append_delimited(std::string& out, std::string_view field, bool tsv) {
  if (tsv) {
    csv::append_tsv_field(out, field);
  } else {
    csv::append_field(out, field);
  }
}

void write_delimited_header(const Report& report, const std::vector<std::size_t>& visible,
                            bool tsv, std::string& out) {
  for (std::size_t v = 0; v < visible.size(); ++v) {
    if (v > 0) out += tsv ? '\t' : ',';
    append_delimited(out, report.columns[visible[v]].key, tsv);
  }
  out += '\n';
}

void spill_if_large(std::string& out, const WriteOptions& options) {
  if (options.spill && out.size() >= options.spill_bytes) options.spill(out);
}

} // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (std::size_t i = 0; i < k_format_names.size(); ++i) {
    if (k_format_names[i] == name) return static_cast<Format>(i);
  }
  return std::nullopt;
}

bool is_human(Format format) { return format == Format::table || format == Format::md; }

Writer::Writer(std::vector<Column> columns, int section_column, const WriteOptions& options,
               std::string& out)
    : m_options(options), m_out(out) {
  m_report.columns = std::move(columns);
  m_report.section_column = section_column;
  m_visible = visible_columns(m_report, false);
  // (Checked here, not with the options: export writes csv on a terminal.)
  if (is_human(options.format) && !options.columns.empty()) {
    throw UsageError(fmt::format("--columns applies to csv, tsv, json and jsonl output, not {}; "
                                 "add --format csv (or tsv, json, jsonl)",
                                 options.format == Format::md ? "md" : "table"));
  }
  select_columns(m_report, options.columns, m_visible);
  if (is_human(options.format)) {
    m_human.columns = visible_columns(m_report, true);
    m_human.per_row = m_human.columns.size() + (section_column >= 0 ? 1 : 0);
  }
  m_machine_shown.assign(m_report.columns.size(), 0);
  for (std::size_t c : m_visible) m_machine_shown[c] = 1;
  m_separator = options.format == Format::csv ? "," : options.format == Format::tsv ? "\t" : ", ";
  if (options.format == Format::json || options.format == Format::jsonl) {
    for (const Column& column : m_report.columns)
      m_json_keys.push_back(json_string(column.key) + ": ");
  }
  bool tsv = options.format == Format::tsv;
  m_delimited = options.format == Format::csv || tsv;
  if (m_delimited) {
    // What formula_risk() and plain_field() or plain_tsv_field() look for, by byte. A first
    // byte 0xEF may start a byte order mark: such a field goes the long way, which knows.
    const std::string_view inside = tsv ? "\t\n\r\\" : ",\"\r\n";
    for (char c : inside) m_not_plain[static_cast<unsigned char>(c)] |= 1;
    if (!options.keep_formulas) {
      for (char c : std::string_view("=+-@\t\r")) m_not_plain[static_cast<unsigned char>(c)] |= 2;
    }
    if (!tsv) m_not_plain[0xEF] |= 2;
  }
  if (m_delimited && options.header) {
    write_delimited_header(m_report, m_visible, tsv, m_out);
  }
  if (options.format == Format::json) m_out += '[';
  // md without sections: the header now, its rows written as they come (the header of a table
  // with sections comes after each section's heading).
  if (options.format == Format::md && section_column < 0 && !options.rows_only) {
    write_markdown_header(m_report, m_human.columns, m_out);
  }
}

void Writer::row(std::vector<Cell> cells) { write_row(cells); }

void Writer::keep_human(const std::vector<Cell>& cells) {
  if (m_options.format == Format::md) {
    write_markdown_row(cells);
    return;
  }
  for (std::size_t c : m_human.columns) {
    m_human.text += human_value(cells[c], m_options);
    m_human.ends.push_back(m_human.text.size());
    m_human.colours.push_back(colour_of(cells[c]));
  }
  if (m_report.section_column >= 0) {
    m_human.text += cells[static_cast<std::size_t>(m_report.section_column)].human_text();
    m_human.ends.push_back(m_human.text.size());
  }
  ++m_human.rows;
}

void Writer::write_markdown_row(const std::vector<Cell>& cells) {
  if (m_report.section_column >= 0) {
    std::string section = cells[static_cast<std::size_t>(m_report.section_column)].human_text();
    if (m_human.rows == 0 || section != m_md_section) {
      if (m_human.rows > 0) m_out += '\n';
      m_out += "### " + markdown_cell(text::escape_for_terminal(section)) + "\n\n";
      write_markdown_header(m_report, m_human.columns, m_out);
      m_md_section = std::move(section);
    }
  }
  m_out += '|';
  for (std::size_t c : m_human.columns) {
    m_out += ' ';
    m_out += markdown_cell(human_value(cells[c], m_options));
    m_out += " |";
  }
  m_out += '\n';
  ++m_human.rows;
  spill_if_large(m_out, m_options);
}

void Writer::write_row(const std::vector<Cell>& cells) {
  if (is_human(m_options.format)) {
    keep_human(cells);
    return;
  }
  RowWriter row(*this);
  for (const Cell& cell : cells) row.cell(cell);
  row.end();
}

void Writer::append_rendered(std::string& rows) {
  if (m_options.spill && (m_spilled_rendered || rows.size() >= m_options.spill_bytes / 16 ||
                          m_out.size() + rows.size() >= m_options.spill_bytes)) {
    // A block of a large result: written as it is, the output before it first.
    if (!m_out.empty()) m_options.spill(m_out);
    m_options.spill(rows);
    m_spilled_rendered = true;
    return;
  }
  // (Room for the output up to where it is written out, made at once: appended block after
  // block, the output would be copied at each doubling.)
  if (m_options.spill && m_out.capacity() < m_options.spill_bytes)
    m_out.reserve(m_options.spill_bytes);
  m_out += rows;
}

bool Writer::rows_stand_alone() const {
  return m_options.format == Format::csv || m_options.format == Format::tsv ||
         m_options.format == Format::jsonl ||
         (m_options.format == Format::md && m_report.section_column < 0);
}

void Writer::finish(const std::vector<std::string>& notes) {
  m_report.notes = notes;
  switch (m_options.format) {
  case Format::table: write_table(m_report, m_human, m_options, m_out); break;
  case Format::md:
    // (Without sections the header came first; with them, a section's header comes with its
    // first row, and a table without rows has one.)
    if (m_report.section_column >= 0 && m_human.rows == 0 && !m_options.rows_only)
      write_markdown_header(m_report, m_human.columns, m_out);
    for (const std::string& note : m_report.notes) {
      m_out += "\n" + markdown_cell(text::escape_for_terminal(note)) + "\n";
    }
    break;
  case Format::json: m_out += m_rows == 0 ? "]\n" : "\n]\n"; break;
  case Format::csv:
  case Format::tsv:
  case Format::jsonl: break;
  }
}

void write(const Report& report, const WriteOptions& options, std::string& out) {
  Writer writer(report.columns, report.section_column, options, out);
  for (const auto& row : report.rows) writer.write_row(row);
  writer.finish(report.notes);
}

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
    case '"': out += "\\\""; continue;
    case '\\': out += "\\\\"; continue;
    case '\n': out += "\\n"; continue;
    case '\r': out += "\\r"; continue;
    case '\t': out += "\\t"; continue;
    case '\b': out += "\\b"; continue;
    case '\f': out += "\\f"; continue;
    default: break;
    }
    if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      // Copy one whole UTF-8 sequence when it is valid, else write U+FFFD for the byte.
      std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      std::string_view sequence = text.substr(i, length);
      if (length > 1 && sequence.size() == length && text::is_valid_utf8(sequence)) {
        out += sequence;
        i += length - 1;
      } else {
        out += "\\ufffd";
      }
    }
  }
  out += '"';
}

RowWriter::RowWriter(Writer& writer)
    : m_writer(writer), m_out(writer.m_out), m_human(is_human(writer.m_options.format)),
      m_start(writer.m_out.size()) {
  switch (writer.m_options.format) {
  case Format::json: put(writer.m_rows == 0 ? "\n  {" : ",\n  {"); break;
  case Format::jsonl: put("{"); break;
  case Format::table:
  case Format::md: writer.m_cells.resize(writer.m_report.columns.size()); break;
  case Format::csv:
  case Format::tsv: break;
  }
}

// The helpers below are inlined into every value's function: a million-row table calls
// them sixteen times a row.
[[gnu::noinline]] void RowWriter::flush() {
  m_out.append(m_buffer.data(), m_end);
  m_end = m_buffer.data();
}

[[gnu::always_inline]] inline void RowWriter::room(std::size_t size) {
  if (static_cast<std::size_t>(m_buffer.data() + m_buffer.size() - m_end) < size) flush();
}

[[gnu::always_inline]] inline void RowWriter::put(std::string_view text) {
  room(text.size());
  if (text.size() > m_buffer.size()) {
    m_out += text;
    return;
  }
  m_end = text::copy_short(m_end, text);
}

[[gnu::always_inline]] inline bool RowWriter::next_shown() {
  const std::size_t column = m_column++;
  if (column >= m_writer.m_machine_shown.size() || !m_writer.m_machine_shown[column]) return false;
  if (m_fields++ > 0) {
    if (m_writer.m_separator.size() == 1) {
      room(1);
      *m_end++ = m_writer.m_separator[0];
    } else {
      put(m_writer.m_separator);
    }
  }
  if (!m_writer.m_json_keys.empty()) put(m_writer.m_json_keys[column]);
  return true;
}

Cell* RowWriter::next_cell() {
  const std::size_t column = m_column++;
  return column < m_writer.m_cells.size() ? &m_writer.m_cells[column] : nullptr;
}

void RowWriter::text(std::string_view machine, std::string_view human, Cell::Tone tone) {
  if (m_human) {
    if (Cell* cell = next_cell()) {
      cell->set_text(machine, human);
      cell->set_tone(tone);
    }
    return;
  }
  if (!next_shown()) return;
  // Most fields of csv and tsv: nothing in them to quote, escape or neutralise (what the
  // checks below find, looked up byte by byte), written as they are.
  if (m_writer.plain_delimited(machine)) {
    put(machine);
    return;
  }
  const Format format = m_writer.m_options.format;
  std::string& scratch = m_writer.m_scratch;
  scratch.clear();
  if (format == Format::json || format == Format::jsonl) {
    append_json_string(scratch, machine);
  } else {
    const bool tsv = format == Format::tsv;
    if (formula_risk(machine, m_writer.m_options)) {
      append_delimited(scratch, "'" + std::string(machine), tsv);
    } else if (tsv ? csv::plain_tsv_field(machine) : csv::plain_field(machine)) {
      put(machine); // most fields: written as they are
      return;
    } else {
      append_delimited(scratch, machine, tsv);
    }
  }
  put(scratch);
}

void RowWriter::number(const Number& value, int precision, bool show_sign) {
  if (const auto* decimal = std::get_if<Decimal>(&value)) {
    if (m_human) {
      if (Cell* cell = next_cell()) cell->set_number(value, precision, show_sign);
    } else if (next_shown()) {
      room(Decimal::k_max_text);
      m_end = decimal->write_to(m_end);
    }
    return;
  }
  real(std::get<double>(value), precision, show_sign);
}

void RowWriter::real(double value, int precision, bool show_sign) {
  if (m_human) {
    if (Cell* cell = next_cell()) cell->set_real(value, precision, show_sign);
    return;
  }
  if (!next_shown()) return;
  room(k_quick_shortest_room);
  if (char* end = write_shortest_quick(m_end, value)) {
    m_end = end;
    return;
  }
  flush();
  append_shortest(m_out, value);
}

void RowWriter::missing() {
  if (m_human) {
    if (Cell* cell = next_cell()) cell->set_missing();
    return;
  }
  const Format format = m_writer.m_options.format;
  if (next_shown() && (format == Format::json || format == Format::jsonl)) put("null");
}

void RowWriter::cell(const Cell& cell) {
  if (m_human) {
    if (Cell* mine = next_cell()) *mine = cell;
    return;
  }
  switch (cell.kind()) {
  case Cell::Kind::text: text(cell.machine_text()); return;
  case Cell::Kind::integer:
    if (next_shown()) put(fmt::format("{}", cell.integer_value()));
    return;
  case Cell::Kind::decimal: number(cell.decimal_value(), cell.precision()); return;
  case Cell::Kind::real: real(cell.real_value(), cell.precision()); return;
  case Cell::Kind::missing: missing(); return;
  }
}

bool RowWriter::replay(const Segment& segment, std::initializer_list<std::string_view> key) {
  if (!segment.holds(m_column, key)) return false;
  put(segment.bytes);
  m_column += segment.columns;
  m_fields += segment.fields;
  return true;
}

std::size_t RowWriter::begin_segment() {
  flush();
  return m_out.size();
}

void RowWriter::end_segment(Segment& segment, std::initializer_list<std::string_view> key,
                            std::size_t start, std::size_t column, std::size_t fields) {
  segment.kept = false;
  if (m_out.size() != start) return; // the buffer filled up on the way: not kept
  segment.bytes.assign(m_buffer.data(), m_end);
  segment.key.assign(key.begin(), key.end());
  segment.column = column;
  segment.columns = m_column - column;
  segment.fields = m_fields - fields;
  segment.kept = true;
}

void RowWriter::end() {
  const std::size_t columns = m_writer.m_report.columns.size();
  while (m_column < columns) missing();
  switch (m_writer.m_options.format) {
  case Format::table:
  case Format::md: m_writer.keep_human(m_writer.m_cells); return;
  case Format::csv:
    // A CSV row of one empty field is written "": an empty line is no record to a reader.
    if (m_writer.m_visible.size() == 1 && m_out.size() == m_start && m_end == m_buffer.data()) {
      put("\"\"");
    }
    put("\n");
    break;
  case Format::tsv: put("\n"); break;
  case Format::json: put("}"); break;
  case Format::jsonl: put("}\n"); break;
  }
  flush();
  ++m_writer.m_rows;
  spill_if_large(m_out, m_writer.m_options);
}

} // namespace jjstat::format
