#pragma once
/// A strict RFC 8259 validator for the tests and fuzz targets: the whole grammar, nothing more
/// (no NaN, Infinity, comments, trailing commas or single quotes), strings of valid UTF-8
/// without raw control characters, \u escapes whose surrogates pair up, and unique keys.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace jjstat::json_check {

/// Why a text is not valid JSON, and where; `ok` when it is.
struct Verdict {
  bool ok = true;
  std::size_t offset = 0; ///< byte offset of the problem
  std::string message;
};

namespace detail {

/// A recursive-descent parser that only validates; nesting is bounded so that hostile input
/// cannot exhaust the stack.
class Validator {
public:
  explicit Validator(std::string_view text) : m_text(text) {}

  Verdict run() {
    skip_space();
    if (!value(0)) return m_verdict;
    skip_space();
    if (m_pos != m_text.size()) fail("text after the JSON value");
    return m_verdict;
  }

private:
  static constexpr int k_max_depth = 256;

  bool fail(std::string message) {
    if (m_verdict.ok) {
      m_verdict.ok = false;
      m_verdict.offset = m_pos;
      m_verdict.message = std::move(message);
    }
    return false;
  }

  bool at_end() const { return m_pos >= m_text.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(m_text[m_pos]); }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++m_pos;
    }
  }

  bool literal(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word) return fail("unknown literal");
    m_pos += word.size();
    return true;
  }

  bool value(int depth) {
    if (depth > k_max_depth) return fail("nesting too deep");
    if (at_end()) return fail("expected a value, found the end");
    switch (peek()) {
    case '{': return object(depth);
    case '[': return array(depth);
    case '"': {
      std::string ignored;
      return string(ignored);
    }
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    default: return number();
    }
  }

  bool object(int depth) {
    ++m_pos; // '{'
    skip_space();
    if (!at_end() && peek() == '}') {
      ++m_pos;
      return true;
    }
    std::set<std::string> keys;
    for (;;) {
      skip_space();
      if (at_end() || peek() != '"') return fail("expected a string key");
      std::string key;
      const std::size_t key_at = m_pos;
      if (!string(key)) return false;
      if (!keys.insert(key).second) {
        m_pos = key_at;
        return fail("duplicate key");
      }
      skip_space();
      if (at_end() || peek() != ':') return fail("expected ':'");
      ++m_pos;
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (at_end()) return fail("unterminated object");
      if (peek() == ',') {
        ++m_pos;
        continue;
      }
      if (peek() == '}') {
        ++m_pos;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool array(int depth) {
    ++m_pos; // '['
    skip_space();
    if (!at_end() && peek() == ']') {
      ++m_pos;
      return true;
    }
    for (;;) {
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (at_end()) return fail("unterminated array");
      if (peek() == ',') {
        ++m_pos;
        continue;
      }
      if (peek() == ']') {
        ++m_pos;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool digits() {
    const std::size_t start = m_pos;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++m_pos;
    return m_pos > start;
  }

  bool number() {
    if (!at_end() && peek() == '-') ++m_pos;
    if (at_end()) return fail("expected a digit");
    if (peek() == '0') {
      ++m_pos;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      return fail("expected a value");
    }
    if (!at_end() && peek() == '.') {
      ++m_pos;
      if (!digits()) return fail("expected a digit after the point");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++m_pos;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++m_pos;
      if (!digits()) return fail("expected a digit in the exponent");
    }
    return true;
  }

  bool hex4(std::uint32_t& out) {
    if (m_text.size() - m_pos < 4) return fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const unsigned char c = peek();
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return fail("bad hex digit in \\u escape");
      }
      out = out * 16 + digit;
      ++m_pos;
    }
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // One UTF-8 character per RFC 3629 (no overlong forms, no surrogates, at most U+10FFFF).
  bool utf8_char(std::string& out) {
    const unsigned char lead = peek();
    std::size_t continuations = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuations = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuations = 2;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuations = 3;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return fail("invalid UTF-8 lead byte in a string");
    }
    if (m_text.size() - m_pos <= continuations) return fail("truncated UTF-8 in a string");
    for (std::size_t i = 1; i <= continuations; ++i) {
      const auto byte = static_cast<unsigned char>(m_text[m_pos + i]);
      if (byte < low || byte > high) return fail("invalid UTF-8 in a string");
      low = 0x80;
      high = 0xBF;
    }
    out.append(m_text.substr(m_pos, continuations + 1));
    m_pos += continuations + 1;
    return true;
  }

  bool string(std::string& out) {
    ++m_pos; // '"'
    for (;;) {
      if (at_end()) return fail("unterminated string");
      const unsigned char c = peek();
      if (c == '"') {
        ++m_pos;
        return true;
      }
      if (c < 0x20) return fail("raw control character in a string");
      if (c >= 0x80) {
        if (!utf8_char(out)) return false;
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++m_pos;
        continue;
      }
      ++m_pos;
      if (at_end()) return fail("unterminated escape");
      const unsigned char e = peek();
      ++m_pos;
      switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        std::uint32_t unit = 0;
        if (!hex4(unit)) return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("lone low surrogate escape");
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          if (m_text.substr(m_pos, 2) != "\\u") return fail("high surrogate escape without a pair");
          m_pos += 2;
          std::uint32_t low_unit = 0;
          if (!hex4(low_unit)) return false;
          if (low_unit < 0xDC00 || low_unit > 0xDFFF) return fail("high surrogate escape without a pair");
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low_unit - 0xDC00);
        }
        append_utf8(out, unit);
        break;
      }
      default: --m_pos; return fail("unknown escape");
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  Verdict m_verdict;
};

} // namespace detail

/// Checks that `text` is exactly one JSON value (RFC 8259), white space around it allowed.
inline Verdict check(std::string_view text) { return detail::Validator(text).run(); }

/// Checks JSON Lines: every line, ended by '\n', is one JSON value; empty text is valid.
inline Verdict check_lines(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      return Verdict{false, text.size(), "last line has no line end"};
    }
    Verdict line = check(text.substr(start, end - start));
    if (!line.ok) {
      line.offset += start;
      line.message = "line at byte " + std::to_string(start) + ": " + line.message;
      return line;
    }
    start = end + 1;
  }
  return {};
}

} // namespace jjstat::json_check
