#include "jjstat/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jjstat::text {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Zero-width code points: combining marks (Mn/Me), format characters such as joiners and
// bidirectional controls, variation selectors and tags. Checked before k_wide because a few
// combining marks (U+302A..302D, U+3099..309A) sit inside wide blocks. Hangul U+1160..11FF are
// the medial vowels and final consonants that conjoin with a leading jamo into one wide syllable.
constexpr std::array k_zero_width{
    Range{0x0300, 0x036F},   Range{0x0483, 0x0489},   Range{0x0591, 0x05BD},
    Range{0x05BF, 0x05BF},   Range{0x05C1, 0x05C2},   Range{0x05C4, 0x05C5},
    Range{0x05C7, 0x05C7},   Range{0x0610, 0x061A},   Range{0x061C, 0x061C},
    Range{0x064B, 0x065F},   Range{0x0670, 0x0670},   Range{0x06D6, 0x06DC},
    Range{0x06DF, 0x06E4},   Range{0x06E7, 0x06E8},   Range{0x06EA, 0x06ED},
    Range{0x0711, 0x0711},   Range{0x0730, 0x074A},   Range{0x07A6, 0x07B0},
    Range{0x07EB, 0x07F3},   Range{0x0816, 0x0819},   Range{0x081B, 0x0823},
    Range{0x0825, 0x0827},   Range{0x0829, 0x082D},   Range{0x0859, 0x085B},
    Range{0x0898, 0x089F},   Range{0x08CA, 0x08E1},   Range{0x08E3, 0x0902},
    Range{0x093A, 0x093A},   Range{0x093C, 0x093C},   Range{0x0941, 0x0948},
    Range{0x094D, 0x094D},   Range{0x0951, 0x0957},   Range{0x0962, 0x0963},
    Range{0x0981, 0x0981},   Range{0x09BC, 0x09BC},   Range{0x09C1, 0x09C4},
    Range{0x09CD, 0x09CD},   Range{0x09E2, 0x09E3},   Range{0x0E31, 0x0E31},
    Range{0x0E34, 0x0E3A},   Range{0x0E47, 0x0E4E},   Range{0x0EB1, 0x0EB1},
    Range{0x0EB4, 0x0EBC},   Range{0x0EC8, 0x0ECE},   Range{0x0F18, 0x0F19},
    Range{0x0F35, 0x0F35},   Range{0x0F37, 0x0F37},   Range{0x0F39, 0x0F39},
    Range{0x0F71, 0x0F7E},   Range{0x0F80, 0x0F84},   Range{0x0F86, 0x0F87},
    Range{0x0F8D, 0x0FBC},   Range{0x102D, 0x1030},   Range{0x1032, 0x1037},
    Range{0x1039, 0x103A},   Range{0x1160, 0x11FF},   Range{0x1AB0, 0x1AFF},
    Range{0x1DC0, 0x1DFF},   Range{0x200B, 0x200F},   Range{0x202A, 0x202E},
    Range{0x2060, 0x2064},   Range{0x2066, 0x206F},   Range{0x20D0, 0x20FF},
    Range{0x302A, 0x302D},   Range{0x3099, 0x309A},   Range{0xD7B0, 0xD7FF},
    Range{0xFE00, 0xFE0F},   Range{0xFE20, 0xFE2F},   Range{0xFEFF, 0xFEFF},
    Range{0x1D167, 0x1D169}, Range{0x1D173, 0x1D182}, Range{0x1D185, 0x1D18B},
    Range{0x1D1AA, 0x1D1AD}, Range{0xE0001, 0xE0001}, Range{0xE0020, 0xE007F},
    Range{0xE0100, 0xE01EF},
};

// East Asian Wide and Fullwidth code points, emoji that terminals draw in two cells included.
constexpr std::array k_wide{
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},
    Range{0x23E9, 0x23EC},   Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},
    Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},   Range{0x2648, 0x2653},
    Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},
    Range{0x26CE, 0x26CE},   Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},
    Range{0x26F2, 0x26F3},   Range{0x26F5, 0x26F5},   Range{0x26FA, 0x26FA},
    Range{0x26FD, 0x26FD},   Range{0x2705, 0x2705},   Range{0x270A, 0x270B},
    Range{0x2728, 0x2728},   Range{0x274C, 0x274C},   Range{0x274E, 0x274E},
    Range{0x2753, 0x2755},   Range{0x2757, 0x2757},   Range{0x2795, 0x2797},
    Range{0x27B0, 0x27B0},   Range{0x27BF, 0x27BF},   Range{0x2B1B, 0x2B1C},
    Range{0x2B50, 0x2B50},   Range{0x2B55, 0x2B55},   Range{0x2E80, 0x303E},
    Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},   Range{0x4E00, 0x9FFF},
    Range{0xA000, 0xA4CF},   Range{0xA960, 0xA97F},   Range{0xAC00, 0xD7A3},
    Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},   Range{0xFE30, 0xFE6F},
    Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x16FE0, 0x16FE4},
    Range{0x16FF0, 0x16FF1}, Range{0x17000, 0x18CFF}, Range{0x18D00, 0x18D08},
    Range{0x1AFF0, 0x1B2FF}, Range{0x1F004, 0x1F004}, Range{0x1F0CF, 0x1F0CF},
    Range{0x1F18E, 0x1F18E}, Range{0x1F191, 0x1F19A}, Range{0x1F200, 0x1F202},
    Range{0x1F210, 0x1F23B}, Range{0x1F240, 0x1F248}, Range{0x1F250, 0x1F251},
    Range{0x1F260, 0x1F265}, Range{0x1F300, 0x1F64F}, Range{0x1F680, 0x1F6FF},
    Range{0x1F7E0, 0x1F7EB}, Range{0x1F900, 0x1F9FF}, Range{0x1FA70, 0x1FAFF},
    Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

template <std::size_t N> constexpr bool is_sorted_and_disjoint(const std::array<Range, N>& ranges) {
  for (std::size_t i = 0; i < N; ++i) {
    if (ranges[i].first > ranges[i].last || (i > 0 && ranges[i - 1].last >= ranges[i].first)) {
      return false;
    }
  }
  return true;
}
// The binary search below is only correct on sorted, non-overlapping tables.
static_assert(is_sorted_and_disjoint(k_zero_width));
static_assert(is_sorted_and_disjoint(k_wide));

template <std::size_t N> bool contains(const std::array<Range, N>& ranges, char32_t code_point) {
  auto after =
      std::upper_bound(ranges.begin(), ranges.end(), code_point,
                       [](char32_t value, const Range& range) { return value < range.first; });
  return after != ranges.begin() && code_point <= std::prev(after)->last;
}

// A decoded character; length 0 marks an invalid byte, which callers treat as one unit.
struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;
};

// Strict UTF-8 (RFC 3629): the allowed range of the second byte depends on the lead byte, which
// is what rules out overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code
// points above U+10FFFF (F4 90..BF) without decoding first and checking afterwards.
Decoded decode(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t continuations = 0;
  char32_t code_point = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuations = 1;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuations = 2;
    code_point = lead & 0x0Fu;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuations = 3;
    code_point = lead & 0x07u;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return {};
  }
  if (text.size() - pos <= continuations) {
    return {};
  }
  for (std::size_t i = 1; i <= continuations; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if (byte < low || byte > high) {
      return {};
    }
    code_point = (code_point << 6) | (byte & 0x3Fu);
    low = 0x80;
    high = 0xBF;
  }
  return {code_point, continuations + 1};
}

bool is_bidi_control(char32_t code_point) {
  return code_point == 0x061C || code_point == 0x200E || code_point == 0x200F ||
         (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

/// Characters that take no room and look like nothing: the byte-order mark (a zero-width
/// no-break space), the zero-width space and the word joiner. (Not the zero-width joiners, which
/// join emoji.)
bool is_invisible_space(char32_t code_point) {
  return code_point == 0xFEFF || code_point == 0x200B || code_point == 0x2060;
}

void append_hex(std::string& out, std::uint32_t value, int min_digits) {
  constexpr std::string_view k_digits = "0123456789abcdef";
  std::array<char, 8> reversed{};
  int count = 0;
  do {
    reversed[static_cast<std::size_t>(count++)] = k_digits[value % 16];
    value /= 16;
  } while (value != 0 || count < min_digits);
  while (count > 0) {
    out += reversed[static_cast<std::size_t>(--count)];
  }
}

void append_byte_escape(std::string& out, std::uint32_t byte) {
  out += "\\x";
  append_hex(out, byte, 2);
}

} // namespace

int codepoint_width(char32_t code_point) {
  if (code_point < 0x7F) {
    return code_point < 0x20 ? 0 : 1;
  }
  if (code_point < 0xA0) {
    return 0;
  }
  if (code_point < 0x0300) {
    return 1;
  }
  if (contains(k_zero_width, code_point)) {
    return 0;
  }
  return contains(k_wide, code_point) ? 2 : 1;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      width += (byte >= 0x20 && byte != 0x7F) ? 1 : 0;
      ++pos;
      continue;
    }
    const Decoded decoded = decode(text, pos);
    if (decoded.length == 0) {
      width += 1;
      pos += 1;
    } else {
      width += static_cast<std::size_t>(codepoint_width(decoded.code_point));
      pos += decoded.length;
    }
  }
  return width;
}

std::size_t count_byte(std::string_view text, char byte) {
  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t count = 0, i = 0;
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(byte);
  while (n - i >= 16) {
    // Matches summed per byte lane (a match subtracts -1) for at most 255 blocks, then added up.
    __m128i lanes = _mm_setzero_si128();
    const std::size_t blocks = std::min<std::size_t>((n - i) / 16, 255);
    for (std::size_t b = 0; b < blocks; ++b, i += 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(chunk, needle));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128()); // two sums of 8 lanes
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) count += p[i] == byte ? 1 : 0;
  return count;
}

std::size_t codepoint_length(std::string_view text, std::size_t pos) {
  return static_cast<unsigned char>(text[pos]) < 0x80
             ? 1
             : std::max<std::size_t>(decode(text, pos).length, 1);
}

std::size_t codepoint_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); pos += codepoint_length(text, pos)) ++count;
  return count;
}

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      switch (byte) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        // A backslash is kept as it is: the escapes are for reading, not for parsing back, and
        // doubling it would change every Windows path in a message.
        if (byte < 0x20 || byte == 0x7F) {
          append_byte_escape(out, byte);
        } else {
          out += static_cast<char>(byte);
        }
      }
      ++pos;
      continue;
    }
    const Decoded decoded = decode(text, pos);
    if (decoded.length == 0) {
      append_byte_escape(out, byte);
      ++pos;
      continue;
    }
    if (decoded.code_point < 0xA0) {
      append_byte_escape(out, decoded.code_point);
    } else if (is_bidi_control(decoded.code_point) || is_invisible_space(decoded.code_point)) {
      // A right-to-left override could make a message read backwards (CVE-2021-42574); a
      // byte-order mark or a zero-width space inside a name shows nothing at all.
      out += "\\u{";
      append_hex(out, decoded.code_point, 1);
      out += '}';
    } else {
      out.append(text.substr(pos, decoded.length));
    }
    pos += decoded.length;
  }
  return out;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) {
    return std::string(text);
  }
  if (width == 0) {
    return {};
  }
  constexpr std::string_view k_ellipsis = "…";
  const std::size_t budget = width - 1;
  std::size_t used = 0;
  std::size_t pos = 0;
  // Stopping at the first character that does not fit keeps the zero-width marks that follow a
  // kept base (they add nothing) and drops those of the base that is cut.
  while (pos < text.size()) {
    const Decoded decoded = decode(text, pos);
    const std::size_t length = decoded.length == 0 ? 1 : decoded.length;
    const std::size_t char_width =
        decoded.length == 0 ? 1 : static_cast<std::size_t>(codepoint_width(decoded.code_point));
    if (used + char_width > budget) {
      break;
    }
    used += char_width;
    pos += length;
  }
  std::string out(text.substr(0, pos));
  out += k_ellipsis;
  return out;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t current = display_width(text);
  if (current < width) {
    out.append(width - current, ' ');
  }
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t current = display_width(text);
  std::string out(current < width ? width - current : 0, ' ');
  out += text;
  return out;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t length = decode(text, pos).length;
    if (length == 0) {
      return false;
    }
    pos += length;
  }
  return true;
}

std::size_t utf8_char_length(std::string_view text) {
  return text.empty() ? 0 : decode(text, 0).length;
}

} // namespace jjstat::text
