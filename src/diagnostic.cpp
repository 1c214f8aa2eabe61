#include "jjstat/diagnostic.hpp"

#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>
#include <vector>

namespace jjstat {
namespace {

// How many characters of context to show on each side of the column in a long line.
constexpr std::size_t k_context_chars = 60;

/// The line split into code points as columns count them (text::codepoint_count()), so that
/// columns index it directly.
std::vector<std::string_view> split_code_points(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t length = text::codepoint_length(line, i);
    out.push_back(line.substr(i, length));
    i += length;
  }
  return out;
}

/// Quoted parts of a message longer than this are cut (a value of the data: the fixed words of
/// a message never quote so much, so that an apostrophe in a value, which pairs the quotes
/// wrongly, cuts none of them).
constexpr std::size_t k_long_quote_bytes = 1000;

/// A message with every quoted part ('…') of more than k_long_quote_bytes cut to its first
/// k_context_chars characters and an ellipsis: a bad cell of half a megabyte makes no such line.
std::string shortened(std::string_view message) {
  std::string out;
  for (std::size_t i = 0; i < message.size();) {
    const std::size_t open = message.find('\'', i);
    const std::size_t close = open == std::string_view::npos ? open : message.find('\'', open + 1);
    if (close == std::string_view::npos) {
      out += message.substr(i);
      break;
    }
    const std::string_view quoted = message.substr(open + 1, close - open - 1);
    out += message.substr(i, open + 1 - i);
    if (quoted.size() > k_long_quote_bytes) {
      std::size_t cut = 0;
      // (More than 1000 bytes hold more than k_context_chars characters.)
      for (std::size_t chars = 0; chars < k_context_chars; ++chars)
        cut += text::codepoint_length(quoted, cut);
      out += quoted.substr(0, cut);
      out += "…";
    } else {
      out += quoted;
    }
    out += '\'';
    i = close + 1;
  }
  return out;
}

/// Lines up to this many bytes are kept whole in a Location.
constexpr std::size_t k_whole_line_bytes = 4096;

/// The compressed format whose magic bytes `start` (the start of an input) begins with, and the
/// command that decompresses it to standard output; empty when none (or gzip, which is read).
struct Compressed {
  std::string_view format, command;
};
Compressed compressed_format(std::string_view start) {
  struct Magic {
    std::string_view bytes, format, command;
  };
  // bzip2: BZh, the block size 1 to 9, then the first block's magic (text may start "BZh").
  if (start.size() >= 10 && start.starts_with("BZh") && start[3] >= '1' && start[3] <= '9' &&
      start.substr(4, 6) == "1AY&SY")
    return {"bzip2", "bzip2 -dc"};
  static constexpr std::array<Magic, 5> k_magic{{
      {std::string_view("\xFD"
                        "7zXZ\0",
                        6),
       "xz", "xz -dc"},
      {std::string_view("\x28\xB5\x2F\xFD", 4), "zstd", "zstd -dc"},
      {std::string_view("\x04\x22\x4D\x18", 4), "lz4", "lz4 -dc"},
      {std::string_view("PK\x03\x04", 4), "zip", "unzip -p"},
      {std::string_view("7z\xBC\xAF\x27\x1C", 6), "7z", "7z x -so"},
  }};
  for (const Magic& magic : k_magic) {
    if (start.starts_with(magic.bytes)) return {magic.format, magic.command};
  }
  return {};
}

} // namespace

std::string render_data_error(const DataError& error) {
  const Location& where = error.where();
  // The message quotes data, which may hold a newline or an escape sequence: keep it one line.
  std::string message = shortened(error.what());
  // A compressed file of another format than gzip fails as text on its first line (not UTF-8, a
  // NUL byte, or a quote, as lz4's magic bytes hold one): say what it looks like. (Each magic
  // but bzip2's holds bytes no text starts with; bzip2's is checked to its block's magic.)
  if (where.line == 1 && where.text_column == 1) {
    if (const Compressed found = compressed_format(where.line_text); !found.format.empty()) {
      message += fmt::format("; the input looks like {} data, and jjstat reads only gzip among "
                             "compressed formats: decompress it first ({} FILE | jjstat ... "
                             "--data -)",
                             found.format, found.command);
    }
  }
  std::string out = fmt::format("{}:{}:{}: error: {}\n", where.source, where.line, where.column,
                                text::escape_for_terminal(message));
  if (where.line == 0 || where.line_text.empty()) return out;
  std::vector<std::string_view> chars = split_code_points(where.line_text);
  // (Indexes into the kept text, which starts at column text_column of the line.)
  std::size_t at = where.column > where.text_column ? where.column - where.text_column : 0;
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

void set_line_text(Location& where, std::string_view line) {
  where.text_column = 1;
  if (line.size() <= k_whole_line_bytes) {
    where.line_text = std::string(line);
    return;
  }
  // Characters [first, last) of the line, counted by code point as the renderer counts them.
  const std::size_t at = where.column > 0 ? where.column - 1 : 0;
  const std::size_t first = at > k_context_chars + 1 ? at - k_context_chars - 1 : 0;
  const std::size_t last = at + k_context_chars + 1;
  std::size_t i = 0, index = 0, begin = 0;
  for (; i < line.size() && index < last; ++index) {
    if (index == first) begin = i;
    i += text::codepoint_length(line, i);
  }
  if (index <= first) begin = i; // (a column past the line's end)
  where.text_column = (index <= first ? index : first) + 1;
  where.line_text = std::string(line.substr(begin, i - begin));
}

} // namespace jjstat
