#include "jjstat/csv.hpp"

#include "jjstat/diagnostic.hpp"

#include "jjstat/text.hpp"

#include <algorithm>
#include <utility>

namespace jjstat::csv {

namespace {

using namespace std::string_view_literals;

// What a byte means to the scanner. Everything but `ordinary` leaves the tight loop, so plain
// ASCII costs one table lookup per byte and UTF-8 is only decoded where a non-ASCII byte is.
enum ByteClass : unsigned char {
  ordinary,
  ends_field, // the delimiter, LF or CR outside quotes
  quote,
  line_feed, // inside quotes, where it is kept but still counts as a new physical line
  nul,
  non_ascii,
};

constexpr std::array<unsigned char, 256> make_quoted_classes() {
  std::array<unsigned char, 256> classes{};
  classes['"'] = quote;
  classes['\n'] = line_feed;
  classes[0] = nul;
  for (std::size_t byte = 0x80; byte < 256; ++byte) {
    classes[byte] = non_ascii;
  }
  return classes;
}

constexpr std::array<unsigned char, 256> k_quoted_classes = make_quoted_classes();

// The end of the bytes a field starting at `start` may span: one byte past `allowed` is still
// read so that a field of exactly `allowed` bytes can see the byte that ends it. Scanning stops
// there, which bounds the work spent on a runaway field (an unclosed quote in a huge file).
std::size_t scan_limit(std::size_t start, std::size_t allowed, std::size_t size) {
  return size - start > allowed ? start + allowed + 1 : size;
}

std::size_t saturating_add(std::size_t a, std::size_t b) {
  return a > static_cast<std::size_t>(-1) - b ? static_cast<std::size_t>(-1) : a + b;
}

std::string describe_delimiter(char delimiter) {
  if (delimiter == '\t') {
    return "tab";
  }
  // Appending instead of chaining operator+ avoids a false -Wrestrict of g++ 12 at -O2.
  std::string quoted = "'";
  quoted += text::escape_for_terminal(std::string_view(&delimiter, 1));
  quoted += '\'';
  return quoted;
}

} // namespace

Reader::Reader(std::string_view text, std::string source, Options options)
    : m_text(text), m_source(std::move(source)), m_options(options) {
  const auto delimiter = static_cast<unsigned char>(m_options.delimiter);
  // A non-ASCII byte could match inside a multi-byte character; the others already have a meaning.
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == 0 ||
      delimiter >= 0x80) {
    throw UsageError("the delimiter must be an ASCII character other than a quote, CR, LF or NUL");
  }
  m_unquoted_class[delimiter] = ends_field;
  m_unquoted_class['\n'] = ends_field;
  m_unquoted_class['\r'] = ends_field;
  m_unquoted_class['"'] = quote;
  m_unquoted_class[0] = nul;
  for (std::size_t byte = 0x80; byte < 256; ++byte) {
    m_unquoted_class[byte] = non_ascii;
  }

  if (!m_options.file_start) {
    return;
  }
  if (m_text.starts_with(text::k_byte_order_mark)) {
    m_pos = m_first_line_start = text::k_byte_order_mark.size();
    return;
  }
  // UTF-32LE first: its mark begins with the UTF-16LE one.
  constexpr std::pair<std::string_view, std::string_view> k_foreign_marks[] = {
      {"\xFF\xFE\x00\x00"sv, "UTF-32LE"},
      {"\x00\x00\xFE\xFF"sv, "UTF-32BE"},
      {"\xFF\xFE"sv, "UTF-16LE"},
      {"\xFE\xFF"sv, "UTF-16BE"},
  };
  for (const auto& [mark, encoding] : k_foreign_marks) {
    if (m_text.starts_with(mark)) {
      // No line text: the line is not UTF-8, so showing it would only print noise.
      const std::string name(encoding);
      throw DataError(Location{m_source, 1, 1, {}},
                      "file starts with a " + name +
                          " byte order mark; jjstat reads UTF-8 only (convert with: iconv -f " +
                          name + " -t UTF-8)");
    }
  }
}

bool Reader::next(Record& record) {
  record.fields.clear();
  record.offsets.clear();
  m_buffer.clear();
  m_unescaped.clear();

  const std::size_t size = m_text.size();
  while (m_pos < size) {
    if (m_text[m_pos] == '\n') {
      m_pos += 1;
    } else if (m_text[m_pos] == '\r' && m_pos + 1 < size && m_text[m_pos + 1] == '\n') {
      m_pos += 2;
    } else {
      break;
    }
    ++m_line;
  }
  if (m_pos >= size) {
    return false;
  }

  record.line = m_line;
  for (;;) {
    if (record.fields.size() == m_options.max_columns) {
      fail(m_pos,
           "record has more than " + std::to_string(m_options.max_columns) + " fields (the limit)");
    }
    record.offsets.push_back(m_pos);
    std::size_t end = 0;
    if (m_pos < size && m_text[m_pos] == '"') {
      end = scan_quoted(record);
      check_after_closing_quote(end);
    } else {
      end = scan_unquoted();
      record.fields.push_back(m_text.substr(m_pos, end - m_pos));
    }
    if (end == size) {
      m_pos = size;
      break;
    }
    if (m_text[end] == m_options.delimiter) {
      m_pos = end + 1;
      continue;
    }
    if (m_text[end] == '\n') {
      m_pos = end + 1;
      ++m_line;
      break;
    }
    if (end + 1 < size && m_text[end + 1] == '\n') {
      m_pos = end + 2;
      ++m_line;
      break;
    }
    fail(end, "carriage return not followed by a line feed; expected LF or CRLF line endings");
  }

  // The views are taken only now: appending to m_buffer may have moved its bytes.
  for (std::size_t i = 0; i < m_unescaped.size(); ++i) {
    const std::size_t begin = m_unescaped[i].offset;
    const std::size_t end =
        i + 1 < m_unescaped.size() ? m_unescaped[i + 1].offset : m_buffer.size();
    record.fields[m_unescaped[i].field] = std::string_view(m_buffer).substr(begin, end - begin);
  }
  return true;
}

std::size_t Reader::scan_unquoted() {
  const auto* data = reinterpret_cast<const unsigned char*>(m_text.data());
  const std::size_t start = m_pos;
  const std::size_t limit = scan_limit(start, m_options.max_field_bytes, m_text.size());
  std::size_t pos = start;
  for (;;) {
    while (pos < limit && m_unquoted_class[data[pos]] == ordinary) {
      ++pos;
    }
    if (pos >= limit) {
      break;
    }
    switch (m_unquoted_class[data[pos]]) {
    case ends_field:
      return pos;
    case quote:
      if (m_options.quotes == QuotePolicy::strict) {
        fail(pos, "quote inside an unquoted field; quote the whole field and double the quote "
                  "(\"\")");
      }
      ++pos;
      break;
    case nul:
      fail(pos, "NUL byte; expected UTF-8 text");
    default: {
      const std::size_t length = text::utf8_char_length(m_text.substr(pos));
      if (length == 0) {
        fail_invalid_utf8(pos);
      }
      pos += length;
    }
    }
  }
  if (pos - start > m_options.max_field_bytes) {
    fail(start,
         "field longer than the limit of " + std::to_string(m_options.max_field_bytes) + " bytes");
  }
  return pos;
}

std::size_t Reader::scan_quoted(Record& record) {
  const auto* data = reinterpret_cast<const unsigned char*>(m_text.data());
  const std::size_t size = m_text.size();
  const std::size_t opening = m_pos;
  const std::size_t content = opening + 1;
  // A doubled quote is two bytes of text but one byte of value, so each one lets the field span
  // one more byte of text.
  std::size_t doubled = 0;
  std::size_t limit = scan_limit(content, m_options.max_field_bytes, size);
  std::size_t pos = content;
  for (;;) {
    while (pos < limit && k_quoted_classes[data[pos]] == ordinary) {
      ++pos;
    }
    if (pos >= limit) {
      break;
    }
    switch (k_quoted_classes[data[pos]]) {
    case quote:
      if (pos + 1 < size && data[pos + 1] == '"') {
        ++doubled;
        pos += 2;
        limit = scan_limit(content, saturating_add(m_options.max_field_bytes, doubled), size);
        break;
      }
      if (doubled == 0) {
        record.fields.push_back(m_text.substr(content, pos - content));
      } else {
        m_unescaped.push_back({record.fields.size(), m_buffer.size()});
        const std::string_view raw = m_text.substr(content, pos - content);
        std::size_t from = 0;
        for (std::size_t found = raw.find('"'); found != std::string_view::npos;
             found = raw.find('"', from)) {
          m_buffer.append(raw.substr(from, found + 1 - from));
          from = found + 2;
        }
        m_buffer.append(raw.substr(from));
        record.fields.emplace_back();
      }
      return pos + 1;
    case line_feed:
      ++m_line;
      ++pos;
      break;
    case nul:
      fail(pos, "NUL byte; expected UTF-8 text");
    default: {
      const std::size_t length = text::utf8_char_length(m_text.substr(pos));
      if (length == 0) {
        fail_invalid_utf8(pos);
      }
      pos += length;
    }
    }
  }
  if (pos - content - doubled > m_options.max_field_bytes) {
    fail(opening, "quoted field longer than the limit of " +
                      std::to_string(m_options.max_field_bytes) +
                      " bytes; is the quote opened here ever closed?");
  }
  fail(opening, "unterminated quoted field: the quote opened here is never closed");
}

void Reader::check_after_closing_quote(std::size_t offset) const {
  if (offset == m_text.size()) {
    return;
  }
  const char found = m_text[offset];
  // A CR is left to the caller, which reports a lone one as a line-ending error: that is the more
  // useful message for `"a"\r`.
  if (found == m_options.delimiter || found == '\n' || found == '\r') {
    return;
  }
  if (found == '\0') {
    fail(offset, "NUL byte; expected UTF-8 text");
  }
  const std::size_t length = text::utf8_char_length(m_text.substr(offset));
  if (length == 0) {
    fail_invalid_utf8(offset);
  }
  fail(offset, "unexpected character '" + text::escape_for_terminal(m_text.substr(offset, length)) +
                   "' after a closing quote; expected " + describe_delimiter(m_options.delimiter) +
                   " or the end of the line");
}

void Reader::fail(std::size_t offset, const std::string& message) const {
  throw DataError(locate(offset), message);
}

void Reader::fail_invalid_utf8(std::size_t offset) const {
  constexpr std::string_view k_digits = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(m_text[offset]);
  std::string hex = "0x";
  hex += k_digits[byte / 16];
  hex += k_digits[byte % 16];
  fail(offset, "invalid UTF-8 byte " + hex + "; jjstat reads UTF-8 text only");
}

Location Reader::locate(std::size_t offset) const {
  offset = std::min(offset, m_text.size());
  // Counting from the start is linear, but it runs once per error, not once per field.
  const std::string_view before = m_text.substr(0, offset);
  const std::size_t newline = before.rfind('\n');
  const std::size_t line_start =
      newline == std::string_view::npos ? std::min(m_first_line_start, offset) : newline + 1;
  std::size_t line_end = m_text.find('\n', line_start);
  if (line_end == std::string_view::npos) {
    line_end = m_text.size();
  } else if (line_end > line_start && m_text[line_end - 1] == '\r') {
    --line_end;
  }

  Location where;
  where.source = m_source;
  where.line = 1 + text::count_byte(before, '\n');
  where.column = 1 + text::codepoint_count(m_text.substr(line_start, offset - line_start));
  set_line_text(where, m_text.substr(line_start, line_end - line_start));
  return where;
}

std::vector<std::vector<std::string>> parse(std::string_view text, const std::string& source,
                                            Options options) {
  Reader reader(text, source, options);
  Record record;
  std::vector<std::vector<std::string>> records;
  while (reader.next(record)) {
    records.emplace_back(record.fields.begin(), record.fields.end());
  }
  return records;
}

bool plain_field(std::string_view field, char delimiter) {
  // A field that starts with U+FEFF is quoted too: at the start of a file a reader would take
  // those bytes for a byte order mark and drop them.
  if (field.starts_with(text::k_byte_order_mark)) return false;
  return std::none_of(field.begin(), field.end(), [delimiter](char c) {
    return c == delimiter || c == '"' || c == '\r' || c == '\n';
  });
}

void append_field(std::string& out, std::string_view field, char delimiter) {
  if (plain_field(field, delimiter)) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

bool plain_tsv_field(std::string_view field) {
  return std::none_of(field.begin(), field.end(),
                      [](char c) { return c == '\t' || c == '\n' || c == '\r' || c == '\\'; });
}

void append_tsv_field(std::string& out, std::string_view field) {
  if (plain_tsv_field(field)) {
    out += field;
    return;
  }
  for (const char c : field) {
    switch (c) {
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\\':
      out += "\\\\";
      break;
    default:
      out += c;
    }
  }
}

} // namespace jjstat::csv
