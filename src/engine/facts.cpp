#include "jjstat/engine/facts.hpp"

#include "jjstat/text.hpp"

#include <algorithm>
#include <array>
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

/// True when `line` holds no quote, CR or NUL and its non-ASCII bytes are valid UTF-8.
bool plain_bytes(std::string_view line) {
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const auto* end = p + line.size();
  while (p < end) {
    if (!k_special[*p]) {
      ++p;
      continue;
    }
    if (*p < 0x80) return false;
    std::size_t length = text::utf8_char_length(
        std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p)));
    if (length == 0) return false;
    p += length;
  }
  return true;
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
    csv::Reader reader(std::string_view(text).substr(pos), source);
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
      fact.entity = keep(core.entity);
      fact.indicator = keep(core.indicator);
      fact.unit = keep(core.unit);
      fact.period = core.period;
      fact.value = core.value;
      fact.qualifiers = core.qualifiers;
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

void parse_chunk(ParsedChunk& parsed, const Layout& layout, std::size_t start,
                 std::size_t first_line, const std::string& source) {
  const std::string& text = parsed.chunk.text;
  const char* data = text.data();
  std::size_t size = text.size();
  std::size_t pos = start;
  std::size_t line = first_line;
  std::array<std::string_view, schema::k_core_columns> cells;
  std::array<std::string_view, 64> fields;
  schema::CoreCells core;
  schema::CellError bad;
  parsed.facts.reserve(size / 40);
  while (pos < size) {
    const char* newline = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
    std::size_t end = newline ? static_cast<std::size_t>(newline - data) : size;
    std::size_t content_end = end;
    if (content_end > pos && data[content_end - 1] == '\r') --content_end;
    if (content_end == pos) { // a blank line: skipped, as the reader does
      pos = end + 1;
      ++line;
      continue;
    }
    std::string_view row(data + pos, content_end - pos);
    // Split on commas; anything unusual goes to the full reader, which knows every rule.
    std::size_t count = 0;
    bool plain = layout.width <= fields.size();
    for (std::size_t from = 0; plain;) {
      std::size_t comma = row.find(',', from);
      if (count == layout.width) {
        plain = false;
        break;
      }
      fields[count++] = row.substr(from, comma == std::string_view::npos ? std::string_view::npos
                                                                         : comma - from);
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
    plain = plain && count == layout.width && plain_bytes(row);
    if (plain) {
      for (int c = 0; c < schema::k_core_columns; ++c) {
        int at = layout.columns[static_cast<std::size_t>(c)];
        cells[static_cast<std::size_t>(c)] =
            at < 0 ? std::string_view{} : fields[static_cast<std::size_t>(at)];
      }
      plain = schema::parse_core(cells, core, bad);
    }
    if (!plain) {
      parse_generic(parsed, layout, pos, line, source, parsed.arena);
      parsed.lines = line - first_line + static_cast<std::size_t>(
                                              std::count(text.begin() + static_cast<std::ptrdiff_t>(pos),
                                                         text.end(), '\n'));
      return;
    }
    RawFact& fact = parsed.facts.emplace_back();
    fact.entity = core.entity;
    fact.indicator = core.indicator;
    fact.unit = core.unit;
    fact.period = core.period;
    fact.value = core.value;
    fact.qualifiers = core.qualifiers;
    fact.line = static_cast<std::uint32_t>(line);
    fact.line_start = static_cast<std::uint32_t>(pos);
    pos = end + 1;
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
