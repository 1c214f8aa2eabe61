#include "jjstat/diagnostic.hpp"

#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <vector>

namespace jjstat {
namespace {

// How many characters of context to show on each side of the column in a long line.
constexpr std::size_t k_context_chars = 60;

/// The line split into code points (an invalid byte is one), so columns index it directly.
std::vector<std::string_view> split_code_points(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    auto b = static_cast<unsigned char>(line[i]);
    std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (i + length > line.size() || !text::is_valid_utf8(line.substr(i, length))) length = 1;
    out.push_back(line.substr(i, length));
    i += length;
  }
  return out;
}

} // namespace

std::string render_data_error(const DataError& error) {
  const Location& where = error.where();
  // The message quotes data, which may hold a newline or an escape sequence: keep it one line.
  std::string out = fmt::format("{}:{}:{}: error: {}\n", where.source, where.line, where.column,
                                text::escape_for_terminal(error.what()));
  if (where.line == 0 || where.line_text.empty()) return out;
  std::vector<std::string_view> chars = split_code_points(where.line_text);
  std::size_t at = where.column > 0 ? where.column - 1 : 0;
  std::size_t begin = at > k_context_chars ? at - k_context_chars : 0;
  std::size_t end = std::min(chars.size(), at + k_context_chars);
  std::string before = begin > 0 ? "…" : "";
  std::string after;
  for (std::size_t i = begin; i < std::min(at, chars.size()); ++i) {
    before += text::escape_for_terminal(chars[i]);
  }
  for (std::size_t i = std::min(at, chars.size()); i < end; ++i) {
    after += text::escape_for_terminal(chars[i]);
  }
  if (end < chars.size()) after += "…";
  std::string gutter = fmt::format("{}", where.line);
  out += fmt::format(" {} | {}{}\n", gutter, before, after);
  out += fmt::format(" {} | {}^\n", std::string(gutter.size(), ' '),
                     std::string(text::display_width(before), ' '));
  return out;
}

} // namespace jjstat
