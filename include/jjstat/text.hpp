#pragma once
/// Text measured as a terminal shows it: display width, escaping, truncation.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace jjstat::text {

/// The UTF-8 byte-order mark, U+FEFF: dropped at the start of a file, an error at the start of
/// an entity or unit cell.
inline constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

/// Columns a code point takes on a terminal: 2 for East Asian wide and fullwidth (CJK, Hangul,
/// most emoji), 0 for combining marks, zero-width joiners, variation selectors and C0/C1
/// controls (escape_for_terminal makes those visible first), else 1.
int codepoint_width(char32_t code_point);

/// Display width of UTF-8 text; an invalid byte counts 1.
std::size_t display_width(std::string_view text);

/// Number of code points (an invalid byte counts as one); columns in error locations use it.
std::size_t codepoint_count(std::string_view text);
/// The bytes of the character at byte `pos` of `text` as codepoint_count() counts it (a byte of
/// malformed UTF-8 is one character).
std::size_t codepoint_length(std::string_view text, std::size_t pos);

/// Number of bytes of `text` equal to `byte` (16 at a time with SSE2: std::count widens every
/// byte to a 64-bit sum, and a piece of a big file is megabytes).
std::size_t count_byte(std::string_view text, char byte);

/// Text safe to show on a terminal: C0/C1 controls, DEL, bidirectional controls, the invisible
/// spaces U+FEFF (byte-order mark), U+200B and U+2060, and invalid bytes become visible escapes
/// (\t, \n, \r, \x1b, \u{202e}, \u{feff}, \xff); everything else, a backslash included, is
/// kept as it is.
std::string escape_for_terminal(std::string_view text);

/// `text` cut to at most `width` columns, ending in "…" when cut; never splits a character.
std::string truncate_to_width(std::string_view text, std::size_t width);

/// `text` followed by spaces up to `width` columns (unchanged when already as wide).
std::string pad_right(std::string_view text, std::size_t width);

/// Spaces up to `width` columns followed by `text` (unchanged when already as wide).
std::string pad_left(std::string_view text, std::size_t width);

/// True when `text` is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// Bytes (1 to 4) of the valid UTF-8 character that `text` starts with, or 0 when `text` is empty
/// or starts with an invalid byte (the same strictness as is_valid_utf8).
std::size_t utf8_char_length(std::string_view text);

/// Copies the first and the last `N` of `size` bytes (N <= size <= 2N: all of them).
template <std::size_t N> inline void copy_ends(char* out, const char* from, std::size_t size) {
  std::memcpy(out, from, N);
  std::memcpy(out + size - N, from + size - N, N);
}

/// Copies `text` to `out` and returns the end of the copy. Up to 32 bytes in two overlapping
/// moves, inline, where a call to memcpy would cost more than the copy: the fields of a
/// million-row table are such pieces.
inline char* copy_short(char* out, std::string_view text) {
  const char* from = text.data();
  const std::size_t size = text.size();
  if (size > 32) {
    std::memcpy(out, from, size);
  } else if (size >= 16) {
    copy_ends<16>(out, from, size);
  } else if (size >= 8) {
    copy_ends<8>(out, from, size);
  } else if (size >= 4) {
    copy_ends<4>(out, from, size);
  } else if (size >= 2) {
    copy_ends<2>(out, from, size);
  } else if (size == 1) {
    *out = *from;
  }
  return out + size;
}

} // namespace jjstat::text
