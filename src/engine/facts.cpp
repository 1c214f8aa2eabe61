#include "jjstat/engine/facts.hpp"

#include "jjstat/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace jjstat::engine {
namespace {

// Which core column each header name is.
constexpr std::array<std::string_view, schema::k_core_columns> k_core_names = {
    "entity", "indicator", "period", "value", "unit", "qualifiers"};

/// Bytes that make a line leave the fast path: quotes, CR, NUL and the start of non-ASCII.
constexpr std::array<bool, 256> special_bytes() {
  std::array<bool, 256> table{};
  table['"'] = true;
  table['\r'] = true;
  table[0] = true;
  for (int b = 0x80; b < 256; ++b) table[static_cast<std::size_t>(b)] = true;
  return table;
}
constexpr std::array<bool, 256> k_special = special_bytes();

/// Fills the fact's value, period and qualifiers from checked core cells.
void set_core(ParsedChunk& parsed, RawFact& fact, const schema::CoreCells& core) {
  fact.period = core.period.code();
  fact.qualifiers = core.qualifiers;
  fact.flags = 0;
  if (!core.value) return;
  fact.flags = RawFact::k_has_value;
  const Decimal& value = *core.value;
  if (value.mantissa() >= INT64_MIN && value.mantissa() <= INT64_MAX) {
    fact.mantissa = static_cast<std::int64_t>(value.mantissa());
    fact.scale = static_cast<std::int8_t>(value.scale());
  } else {
    fact.flags |= RawFact::k_wide;
    fact.mantissa = static_cast<std::int64_t>(parsed.wide.size());
    parsed.wide.push_back(value);
  }
}

/// Moves `error` `lines` lines down: a chunk's reader counts from its own first line.
DataError shifted(const DataError& error, std::size_t lines) {
  Location where = error.where();
  where.line += lines;
  return DataError(where, error.what());
}

/// The records from byte `pos` on, read by the full CSV reader (quotes, CRLF, errors).
void parse_generic(ParsedChunk& parsed, const Layout& layout, std::size_t pos, std::size_t line,
                   const std::string& source, std::deque<std::string>& arena) {
  const std::string& text = parsed.chunk.text;
  try {
    // The reader starts mid-file here: no byte order mark, but the run's quote policy and limits.
    csv::Options options = layout.csv;
    options.file_start = parsed.chunk.index == 0 && pos == 0;
    csv::Reader reader(std::string_view(text).substr(pos), source, options);
    csv::Record record;
    schema::CoreCells core;
    while (reader.next(record)) {
      schema::read_core(reader, record, layout.width, layout.columns, core);
      // Fields the reader unescaped live in its buffer until the next record: keep copies.
      auto keep = [&](std::string_view s) -> std::string_view {
        if (s.data() >= text.data() && s.data() + s.size() <= text.data() + text.size()) return s;
        arena.emplace_back(s);
        return arena.back();
      };
      RawFact fact;
      if (parsed.facts.empty() || parsed.facts.back().entity != core.entity ||
          parsed.facts.back().indicator != core.indicator) {
        parsed.runs.push_back(static_cast<std::uint32_t>(parsed.facts.size()));
      }
      fact.entity = keep(core.entity);
      fact.indicator = keep(core.indicator);
      fact.unit = keep(core.unit);
      set_core(parsed, fact, core);
      fact.line = static_cast<std::uint32_t>(line + record.line - 1);
      fact.line_start = static_cast<std::uint32_t>(pos + record.offsets[0]);
      parsed.facts.push_back(fact);
    }
  } catch (const DataError& error) {
    parsed.error = shifted(error, line - 1);
  }
}

} // namespace

std::optional<Layout> plain_layout(const csv::Record& header) {
  Layout layout;
  layout.columns.fill(-1);
  layout.width = header.fields.size();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    auto it = std::find(k_core_names.begin(), k_core_names.end(), header.fields[i]);
    if (it == k_core_names.end()) return std::nullopt;
    int& slot = layout.columns[static_cast<std::size_t>(it - k_core_names.begin())];
    if (slot >= 0) return std::nullopt;
    slot = static_cast<int>(i);
  }
  for (int c = 0; c < schema::c_qualifiers; ++c) {
    if (layout.columns[static_cast<std::size_t>(c)] < 0) return std::nullopt;
  }
  return layout;
}

std::optional<Decimal> value_of(const ParsedChunk& parsed, const RawFact& fact) {
  if (!(fact.flags & RawFact::k_has_value)) return std::nullopt;
  if (fact.flags & RawFact::k_wide) return parsed.wide[static_cast<std::size_t>(fact.mantissa)];
  return Decimal(fact.mantissa, fact.scale);
}

void parse_chunk(ParsedChunk& parsed, const Layout& layout, std::size_t start,
                 std::size_t first_line, const std::string& source) {
  const std::string& text = parsed.chunk.text;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = data + text.size();
  const auto* p = data + start;
  std::size_t line = first_line;
  std::array<std::string_view, schema::k_core_columns> cells;
  std::array<std::string_view, 64> fields;
  schema::CoreCells core;
  schema::CellError bad;
  std::string_view checked_indicator;
  parsed.facts.reserve(text.size() / 40);
  const std::size_t width = layout.width;
  while (p < end) {
    // One pass over the line: split at commas, stop at the newline, and leave for the full
    // reader at anything it has rules for (quotes, CR, NUL, bad UTF-8, a wrong field count).
    const auto* line_begin = p;
    const auto* field = p;
    std::size_t count = 0;
    bool plain = width <= fields.size();
    const unsigned char* line_end = nullptr;
    while (plain) {
      if (p == end) {
        line_end = p;
        break;
      }
      unsigned char b = *p;
      if (b == ',') {
        if (count + 1 >= width) {
          plain = false;
          break;
        }
        fields[count++] = std::string_view(reinterpret_cast<const char*>(field), static_cast<std::size_t>(p - field));
        field = ++p;
      } else if (b == '\n') {
        line_end = p;
        break;
      } else if (!k_special[b]) {
        ++p;
      } else if (b >= 0x80) {
        std::size_t length = text::utf8_char_length(
            std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)));
        if (length == 0) {
          plain = false;
        } else {
          p += length;
        }
      } else if (b == '\r' && p + 1 < end && p[1] == '\n') {
        line_end = p; // CRLF: the CR is part of the line ending
        break;
      } else {
        plain = false;
      }
    }
    if (plain && line_end == line_begin) { // a blank line: skipped, as the reader does
      p = line_end + (line_end < end && *line_end == '\r' ? 2 : 1);
      ++line;
      continue;
    }
    if (plain) {
      fields[count++] = std::string_view(reinterpret_cast<const char*>(field), static_cast<std::size_t>(line_end - field));
      plain = count == width;
      // A field over the limit is the full reader's to report.
      for (std::size_t f = 0; plain && f < count; ++f) plain = fields[f].size() <= layout.csv.max_field_bytes;
    }
    if (plain) {
      for (int c = 0; c < schema::k_core_columns; ++c) {
        int at = layout.columns[static_cast<std::size_t>(c)];
        cells[static_cast<std::size_t>(c)] = at < 0 ? std::string_view{} : fields[static_cast<std::size_t>(at)];
      }
      plain = schema::parse_core(cells, core, bad, &checked_indicator);
    }
    std::size_t pos = static_cast<std::size_t>(line_begin - data);
    if (!plain) {
      parse_generic(parsed, layout, pos, line, source, parsed.arena);
      parsed.lines = line - first_line + static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(pos), text.end(), '\n'));
      return;
    }
    // Rows of one series usually come together: mark where each run starts, so that the
    // series is looked up once per run.
    bool same_series = !parsed.facts.empty() && parsed.facts.back().entity == core.entity &&
                       parsed.facts.back().indicator == core.indicator;
    if (!same_series) parsed.runs.push_back(static_cast<std::uint32_t>(parsed.facts.size()));
    bool same_unit = same_series && parsed.facts.back().unit == core.unit;
    RawFact& fact = parsed.facts.emplace_back();
    fact.entity = core.entity;
    fact.indicator = core.indicator;
    fact.unit = core.unit;
    set_core(parsed, fact, core);
    if (same_unit) fact.flags |= RawFact::k_same_unit;
    fact.line = static_cast<std::uint32_t>(line);
    fact.line_start = static_cast<std::uint32_t>(pos);
    p = line_end == end ? end : line_end + (*line_end == '\r' ? 2 : 1);
    ++line;
  }
  parsed.lines = line - first_line;
}

Location locate_in_chunk(const ParsedChunk& parsed, std::size_t line, std::size_t line_start,
                         std::size_t offset, const std::string& source) {
  std::string_view text = parsed.chunk.text;
  std::size_t end = text.find('\n', line_start);
  std::string_view line_text = text.substr(line_start, end == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  Location where;
  where.source = source;
  where.line = line;
  where.column = 1 + text::codepoint_count(line_text.substr(0, offset - line_start));
  where.line_text = line_text;
  return where;
}

} // namespace jjstat::engine
