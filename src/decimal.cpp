#include "jjstat/decimal.hpp"

#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace jjstat {

namespace {

using Mantissa = Decimal::Mantissa;

// Spelled out rather than taken from std::numeric_limits, whose __int128 specialisation depends on
// the standard library and on GNU extensions being enabled.
constexpr Mantissa k_mantissa_max = (Mantissa{1} << 126) - 1 + (Mantissa{1} << 126);
constexpr Mantissa k_mantissa_min = Decimal::k_lowest_mantissa;
static_assert(k_mantissa_min == -k_mantissa_max - 1);

// 10^38 is the largest power of ten below 2^127.
constexpr int k_max_power = 38;

constexpr std::array<Mantissa, k_max_power + 1> make_powers_of_ten() {
  std::array<Mantissa, k_max_power + 1> powers{};
  powers[0] = 1;
  for (int i = 1; i <= k_max_power; ++i) {
    powers[i] = powers[i - 1] * 10;
  }
  return powers;
}

constexpr std::array<Mantissa, k_max_power + 1> k_powers_of_ten = make_powers_of_ten();

constexpr int k_max_precision = 30;

// The lowest Mantissa is kept out of every result so that negation, and with it magnitudes, can
// never overflow.
std::optional<Decimal> checked(Mantissa mantissa, bool overflowed, int scale) {
  if (overflowed || mantissa == k_mantissa_min) {
    return std::nullopt;
  }
  return Decimal(mantissa, scale);
}

std::optional<Mantissa> scaled_up(Mantissa mantissa, int digits) {
  if (digits == 0) return mantissa; // (values of one scale: no 128-bit product to check)
  Mantissa result = 0;
  if (__builtin_mul_overflow(mantissa, k_powers_of_ten[digits], &result)) {
    return std::nullopt;
  }
  return result;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// A unit begins with a letter or with any non-ASCII character ("km", "亿", "万元").
bool starts_unit(char c) { return is_ascii_letter(c) || is_non_ascii(c); }

// Code points U+FF00..U+FF3F are encoded as EF BC 80..BF in UTF-8.
bool has_fullwidth_form(std::string_view text, std::size_t at, unsigned char last_byte) {
  return at + 2 < text.size() && static_cast<unsigned char>(text[at]) == 0xEF &&
         static_cast<unsigned char>(text[at + 1]) == 0xBC &&
         static_cast<unsigned char>(text[at + 2]) == last_byte;
}

bool is_percent_sign(std::string_view text, std::size_t at) {
  return text[at] == '%' || has_fullwidth_form(text, at, 0x85); // U+FF05 ％
}

bool is_grouping_comma(std::string_view text, std::size_t at) {
  return text[at] == ',' || has_fullwidth_form(text, at, 0x8C); // U+FF0C ，
}

std::size_t grouping_comma_length(std::string_view text, std::size_t at) {
  return text[at] == ',' ? 1 : 3;
}

// Fullwidth digits U+FF10..FF19, point U+FF0E and minus U+FF0D: text pasted from a Chinese
// document, worth naming as such rather than as a bare "malformed".
std::size_t find_fullwidth(std::string_view text) {
  for (std::size_t at = 0; at + 2 < text.size(); ++at) {
    if (static_cast<unsigned char>(text[at]) != 0xEF ||
        static_cast<unsigned char>(text[at + 1]) != 0xBC) {
      continue;
    }
    const auto last = static_cast<unsigned char>(text[at + 2]);
    if (last == 0x8D || last == 0x8E || (last >= 0x90 && last <= 0x99)) {
      return at;
    }
  }
  return std::string_view::npos;
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  return std::equal(text.begin(), text.end(), lower.begin(), lower.end(), [](char a, char b) {
    return (is_ascii_letter(a) ? static_cast<char>(a | 0x20) : a) == b;
  });
}

// "nan", "inf" or "infinity" in any case after an optional sign; trailing white space is allowed
// because the word, not the space, is the first thing wrong with "NaN ".
std::optional<std::size_t> find_not_finite(std::string_view text) {
  const std::size_t word = (text[0] == '+' || text[0] == '-') ? 1 : 0;
  std::size_t end = text.size();
  while (end > word && is_space(text[end - 1])) {
    --end;
  }
  const std::string_view rest = text.substr(word, end - word);
  if (equals_ignoring_case(rest, "nan") || equals_ignoring_case(rest, "inf") ||
      equals_ignoring_case(rest, "infinity")) {
    return word;
  }
  return std::nullopt;
}

// The longest prefix of a text that follows the number grammar, and where its parts are.
struct NumberScan {
  std::size_t end = 0; // first byte after the number
  bool complete = false;
  bool has_point = false;
  std::size_t integer_begin = 0;
  std::size_t integer_end = 0;
  std::size_t fraction_begin = 0;
  std::size_t fraction_end = 0;
  std::size_t exponent_marker = std::string_view::npos;
  std::int64_t exponent = 0;
};

NumberScan scan_number(std::string_view text) {
  const std::size_t size = text.size();
  NumberScan scan;
  std::size_t i = 0;
  if (i < size && (text[i] == '+' || text[i] == '-')) {
    ++i;
  }
  scan.integer_begin = i;
  while (i < size && is_digit(text[i])) {
    ++i;
  }
  scan.integer_end = i;
  scan.fraction_begin = scan.fraction_end = i;
  if (i < size && text[i] == '.') {
    scan.has_point = true;
    ++i;
    scan.fraction_begin = i;
    while (i < size && is_digit(text[i])) {
      ++i;
    }
    scan.fraction_end = i;
  }
  scan.end = i;
  if (scan.integer_end == scan.integer_begin && scan.fraction_end == scan.fraction_begin) {
    return scan;
  }
  if (i < size && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    const bool signed_exponent = j < size && (text[j] == '+' || text[j] == '-');
    const bool negative_exponent = signed_exponent && text[j] == '-';
    if (signed_exponent) {
      ++j;
    }
    if (j == size || !is_digit(text[j])) {
      // "5eV" is a number with a unit; "1e", "1e+" and "1e+x" are unfinished exponents.
      scan.complete = !signed_exponent && j < size && starts_unit(text[j]);
      scan.end = scan.complete ? i : j;
      return scan;
    }
    // Once |exponent| exceeds the length of the text plus the digit limits, every larger value
    // gives the same verdict, so clamping there keeps the arithmetic small without changing it.
    const auto limit = static_cast<std::int64_t>(size) + 2 * Decimal::k_max_scale + 2;
    std::int64_t exponent = 0;
    for (; j < size && is_digit(text[j]); ++j) {
      exponent = std::min(exponent * 10 + (text[j] - '0'), limit);
    }
    scan.exponent_marker = i;
    scan.exponent = negative_exponent ? -exponent : exponent;
    i = j;
  }
  scan.end = i;
  scan.complete = true;
  return scan;
}

DecimalParse failure(NumberError error, std::size_t offset) {
  return DecimalParse{Decimal(), error, offset};
}

// What follows a complete number decides the error: a unit, a percent sign, digit grouping or
// trailing space each get their own diagnosis; anything else is malformed.
DecimalParse classify_trailer(std::string_view text, const NumberScan& scan) {
  const std::size_t at = scan.end;
  if (is_space(text[at])) {
    std::size_t next = at;
    while (next < text.size() && is_space(text[next])) {
      ++next;
    }
    if (next == text.size()) {
      return failure(NumberError::space, at);
    }
    if (is_percent_sign(text, next)) {
      return failure(NumberError::percent, next);
    }
    if (starts_unit(text[next])) {
      return failure(NumberError::unit_suffix, next);
    }
    return failure(NumberError::malformed, at);
  }
  const bool after_integer_digits =
      !scan.has_point && scan.exponent_marker == std::string_view::npos;
  if (after_integer_digits && is_grouping_comma(text, at)) {
    const std::size_t next = at + grouping_comma_length(text, at);
    if (next < text.size() && is_digit(text[next])) {
      return failure(NumberError::grouping, at);
    }
  }
  if (is_percent_sign(text, at)) {
    return failure(NumberError::percent, at);
  }
  if (starts_unit(text[at])) {
    return failure(NumberError::unit_suffix, at);
  }
  return failure(NumberError::malformed, at);
}

std::size_t first_nonzero(std::string_view text, std::size_t begin, std::size_t end) {
  while (begin < end && text[begin] == '0') {
    ++begin;
  }
  return begin;
}

// The value of a fully consumed number: digits D with F of them after the point and exponent E
// stand for D × 10^(E - F).
DecimalParse evaluate(std::string_view text, const NumberScan& scan) {
  const bool has_exponent = scan.exponent_marker != std::string_view::npos;
  const auto fraction_digits = static_cast<std::int64_t>(scan.fraction_end - scan.fraction_begin);

  // Significant digits: the written digits without leading zeros, the point skipped over.
  std::size_t lead = first_nonzero(text, scan.integer_begin, scan.integer_end);
  std::int64_t significant = static_cast<std::int64_t>(scan.integer_end - lead) + fraction_digits;
  if (lead == scan.integer_end) {
    lead = first_nonzero(text, scan.fraction_begin, scan.fraction_end);
    significant = static_cast<std::int64_t>(scan.fraction_end - lead);
  }
  const bool is_zero = significant == 0;

  const std::int64_t integer_digits =
      is_zero ? 0 : std::max<std::int64_t>(0, significant + scan.exponent - fraction_digits);
  // Without an exponent the first digit past the limit is to blame; with one, the exponent is.
  if (integer_digits > Decimal::k_max_integer_digits) {
    const std::size_t digit_past_limit = lead + Decimal::k_max_integer_digits;
    return failure(NumberError::overflow, has_exponent ? scan.exponent_marker : digit_past_limit);
  }
  const std::int64_t scale = std::max<std::int64_t>(0, fraction_digits - scan.exponent);
  if (scale > Decimal::k_max_scale) {
    const std::size_t digit_past_limit = scan.fraction_begin + Decimal::k_max_scale;
    return failure(NumberError::too_precise,
                   has_exponent ? scan.exponent_marker : digit_past_limit);
  }

  // The checks above bound the significant digits by 36, which fits a Mantissa.
  Mantissa mantissa = 0;
  for (std::size_t i = lead; i < scan.fraction_end; ++i) {
    if (is_digit(text[i])) {
      mantissa = mantissa * 10 + (text[i] - '0');
    }
  }
  if (!is_zero && scan.exponent > fraction_digits) {
    mantissa *= k_powers_of_ten[scan.exponent - fraction_digits];
  }
  if (text[0] == '-') {
    mantissa = -mantissa;
  }
  return DecimalParse{Decimal(mantissa, static_cast<int>(scale)), NumberError::none, 0};
}

// A finite double as its shortest round-trip digits: negative, digits "d1d2...dn" without a point,
// and the number of digits before the point (zero or negative for values below 0.1).
struct ShortestDigits {
  bool negative = false;
  std::array<char, 32> buffer; // the first `count` are set
  std::size_t count = 0;
  int point = 0;
  std::string_view digits() const { return {buffer.data(), count}; }
};

ShortestDigits shortest_digits(double value) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument("cannot format a number that is not finite");
  }
  // Shortest scientific form, e.g. "-1.25e-01"; its digits are those of the shortest round trip.
  std::array<char, 64> buffer; // to_chars sets what it writes
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                          std::chars_format::scientific);
  if (error != std::errc()) {
    throw std::logic_error("to_chars failed on a finite double");
  }
  const std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  ShortestDigits result;
  std::size_t i = 0;
  if (text[i] == '-') {
    result.negative = true;
    ++i;
  }
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] != '.') {
      result.buffer[result.count++] = text[i];
    }
  }
  // The exponent: 'e', a sign, two or three digits.
  int exponent = 0;
  const bool below_one = text[i + 1] == '-';
  for (std::size_t k = i + 2; k < text.size(); ++k) exponent = exponent * 10 + (text[k] - '0');
  result.point = (below_one ? -exponent : exponent) + 1;
  return result;
}

// Integer and fraction digits of the shortest form, in plain notation.
std::pair<std::string, std::string> plain_parts(const ShortestDigits& shortest) {
  const std::string digits(shortest.digits());
  const int point = shortest.point;
  if (point <= 0) {
    return {"0", std::string(static_cast<std::size_t>(-point), '0') + digits};
  }
  const auto integer_size = static_cast<std::size_t>(point);
  if (integer_size >= digits.size()) {
    return {digits + std::string(integer_size - digits.size(), '0'), ""};
  }
  return {digits.substr(0, integer_size), digits.substr(integer_size)};
}

bool all_zeros(std::string_view digits) {
  return digits.find_first_not_of('0') == std::string_view::npos;
}

/// "00" to "99" side by side: digits are written two at a time.
constexpr auto k_digit_pairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

/// Writes the two digits of `pair` (below 100) at `out`.
inline void put_pair(char* out, std::uint32_t pair) {
  std::memcpy(out, k_digit_pairs.data() + 2 * static_cast<std::size_t>(pair), 2);
}

/// Writes the decimal digits of `value` backwards, ending just before `end`, and returns where
/// they start (20 at most). Eight digits at a time are split into four pairs that do not wait
/// on each other: a long value is not a chain of divisions by 100.
char* digits_backwards(char* end, std::uint64_t value) {
  char* p = end;
  while (value >= 100000000) {
    const auto eight = static_cast<std::uint32_t>(value % 100000000);
    value /= 100000000;
    const std::uint32_t high = eight / 10000, low = eight % 10000;
    p -= 8;
    put_pair(p, high / 100);
    put_pair(p + 2, high % 100);
    put_pair(p + 4, low / 100);
    put_pair(p + 6, low % 100);
  }
  auto rest = static_cast<std::uint32_t>(value);
  while (rest >= 100) {
    p -= 2;
    put_pair(p, rest % 100);
    rest /= 100;
  }
  if (rest >= 10) {
    p -= 2;
    put_pair(p, rest);
  } else {
    *--p = static_cast<char>('0' + rest);
  }
  return p;
}

/// How many decimal digits `value` has (1 for 0): its bit width gives the count or one less
/// (1233 / 4096 is just above log10(2)), a power of ten tells which.
std::size_t digit_count(std::uint64_t value) {
  static constexpr std::array<std::uint64_t, 20> k_tens = [] {
    std::array<std::uint64_t, 20> tens{};
    std::uint64_t ten = 1;
    for (std::uint64_t& t : tens) {
      t = ten;
      ten *= 10;
    }
    return tens;
  }();
  const auto below = static_cast<std::size_t>((std::bit_width(value | 1) * 1233) >> 12);
  return std::max<std::size_t>(1, below + (value >= k_tens[below] ? 1 : 0));
}

} // namespace

void Decimal::reject(int scale) {
  if (scale < 0 || scale > k_max_scale) {
    throw std::invalid_argument("decimal scale " + std::to_string(scale) + " is outside [0, " +
                                std::to_string(k_max_scale) + "]");
  }
  throw std::invalid_argument("decimal mantissa is the lowest __int128");
}

double Decimal::to_double() const {
  // A mantissa below 2^53 and a power of ten up to 10^22 are both exact doubles, so their
  // quotient is rounded once, correctly: the result from_chars gives (Clinger's fast path).
  constexpr Mantissa k_exact = Mantissa{1} << 53;
  static constexpr std::array<double, 23> k_exact_powers = {
      1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (m_mantissa >= -k_exact && m_mantissa <= k_exact) {
    return static_cast<double>(m_mantissa) / k_exact_powers[static_cast<std::size_t>(m_scale)];
  }
  // Otherwise going through the exact text lets from_chars do the one correctly rounded
  // conversion; dividing in double would round twice.
  const std::string text = to_string();
  double value = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string Decimal::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

void Decimal::append_to(std::string& out) const {
  std::array<char, k_max_text> buffer;
  out.append(buffer.data(), write_to(buffer.data()));
}

char* Decimal::write_to(char* out) const {
  const Mantissa magnitude = m_mantissa < 0 ? -m_mantissa : m_mantissa;
  const auto scale = static_cast<std::size_t>(m_scale);
  if (m_mantissa < 0) *out++ = '-';
  // Most values fit 64 bits, where division is far cheaper than on 128. Their digits go
  // straight to their places, the point among them: digits written to a buffer and copied
  // from it were read back while their stores were still in flight, which stalls.
  if (magnitude <= static_cast<Mantissa>(UINT64_MAX)) {
    auto value = static_cast<std::uint64_t>(magnitude);
    // The whole part takes at least one digit (0.05, not .05).
    const std::size_t count = digit_count(value);
    const std::size_t whole = count > scale ? count - scale : 1;
    char* const end = out + whole + (scale != 0 ? 1 + scale : 0);
    char* p = end;
    if (scale != 0) {
      // The fraction, two digits at a time, zeros where it has fewer digits than its scale.
      std::size_t left = scale;
      for (; left >= 2; left -= 2) {
        p -= 2;
        put_pair(p, static_cast<std::uint32_t>(value % 100));
        value /= 100;
      }
      if (left == 1) {
        *--p = static_cast<char>('0' + value % 10);
        value /= 10;
      }
      *--p = '.';
    }
    digits_backwards(p, value);
    return end;
  }
  // Wider: digit by digit at the end of a buffer, then copied with the point.
  std::array<char, k_max_text> buffer;
  char* const end = buffer.data() + buffer.size();
  char* digits = end;
  Mantissa rest = magnitude;
  do {
    *--digits = static_cast<char>('0' + static_cast<int>(rest % 10));
    rest /= 10;
  } while (rest != 0);
  const auto count = static_cast<std::size_t>(end - digits);
  if (scale == 0) return text::copy_short(out, std::string_view(digits, count));
  if (scale < count) {
    out = text::copy_short(out, std::string_view(digits, count - scale));
    *out++ = '.';
    return text::copy_short(out, std::string_view(digits + count - scale, scale));
  }
  *out++ = '0';
  *out++ = '.';
  out = std::fill_n(out, scale - count, '0');
  return text::copy_short(out, std::string_view(digits, count));
}

std::optional<Decimal> Decimal::plus(const Decimal& other) const {
  const int scale = std::max(m_scale, other.m_scale);
  const auto left = scaled_up(m_mantissa, scale - m_scale);
  const auto right = scaled_up(other.m_mantissa, scale - other.m_scale);
  if (!left || !right) {
    return std::nullopt;
  }
  Mantissa sum = 0;
  const bool overflowed = __builtin_add_overflow(*left, *right, &sum);
  return checked(sum, overflowed, scale);
}

std::optional<Decimal> Decimal::minus(const Decimal& other) const {
  const int scale = std::max(m_scale, other.m_scale);
  const auto left = scaled_up(m_mantissa, scale - m_scale);
  const auto right = scaled_up(other.m_mantissa, scale - other.m_scale);
  if (!left || !right) {
    return std::nullopt;
  }
  Mantissa difference = 0;
  const bool overflowed = __builtin_sub_overflow(*left, *right, &difference);
  return checked(difference, overflowed, scale);
}

std::optional<Decimal> Decimal::times(std::int64_t factor) const {
  // Two factors of 64 bits make a product of 127 at most: only a wider mantissa is checked.
  if (m_mantissa >= INT64_MIN && m_mantissa <= INT64_MAX)
    return Decimal(Mantissa{static_cast<std::int64_t>(m_mantissa)} * factor, m_scale);
  Mantissa product = 0;
  const bool overflowed = __builtin_mul_overflow(m_mantissa, Mantissa{factor}, &product);
  return checked(product, overflowed, m_scale);
}

std::optional<Decimal> Decimal::shifted_right(int digits) const {
  if (digits < 0) {
    throw std::invalid_argument("Decimal::shifted_right needs digits >= 0");
  }
  if (digits > k_max_scale - m_scale) {
    return std::nullopt;
  }
  return Decimal(m_mantissa, m_scale + digits);
}

bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.m_scale == b.m_scale) {
    return a.m_mantissa <=> b.m_mantissa;
  }
  // Aligning the scales could overflow, so compare the integer parts (truncated toward zero),
  // then the fractions. A fraction is below 10^18 in magnitude, so aligning fractions to a
  // common scale stays below 10^36 and cannot overflow.
  const Mantissa a_unit = k_powers_of_ten[a.m_scale];
  const Mantissa b_unit = k_powers_of_ten[b.m_scale];
  const Mantissa a_integer = a.m_mantissa / a_unit;
  const Mantissa b_integer = b.m_mantissa / b_unit;
  if (a_integer != b_integer) {
    return a_integer <=> b_integer;
  }
  const int scale = std::max(a.m_scale, b.m_scale);
  const Mantissa a_fraction = (a.m_mantissa % a_unit) * k_powers_of_ten[scale - a.m_scale];
  const Mantissa b_fraction = (b.m_mantissa % b_unit) * k_powers_of_ten[scale - b.m_scale];
  return a_fraction <=> b_fraction;
}

DecimalParse parse_decimal(std::string_view text) {
  if (text.empty()) {
    return failure(NumberError::empty, 0);
  }
  if (is_space(text[0])) {
    return failure(NumberError::space, 0);
  }
  if (const auto word = find_not_finite(text)) {
    return failure(NumberError::not_finite, *word);
  }
  if (const std::size_t at = find_fullwidth(text); at != std::string_view::npos) {
    return failure(NumberError::fullwidth, at);
  }
  const NumberScan scan = scan_number(text);
  if (!scan.complete) {
    return failure(NumberError::malformed, scan.end);
  }
  if (scan.end < text.size()) {
    return classify_trailer(text, scan);
  }
  return evaluate(text, scan);
}

std::string format_fixed(double value, int precision) {
  if (precision < 0 || precision > k_max_precision) {
    throw std::invalid_argument("format_fixed precision " + std::to_string(precision) +
                                " is outside [0, " + std::to_string(k_max_precision) + "]");
  }
  const ShortestDigits shortest = shortest_digits(value);
  auto [integer, fraction] = plain_parts(shortest);
  const auto kept = static_cast<std::size_t>(precision);
  // Rounding the shortest decimal digits, not the binary value, is what makes 2.675 give 2.68:
  // the reader wrote 2.675, not 2.67499999999999982236431605997495353221893310546875.
  const bool round_up = fraction.size() > kept && fraction[kept] >= '5';
  fraction.resize(kept, '0');
  std::string digits = integer + fraction;
  if (round_up) {
    auto it = digits.rbegin();
    for (; it != digits.rend() && *it == '9'; ++it) {
      *it = '0';
    }
    if (it == digits.rend()) {
      digits.insert(digits.begin(), '1');
    } else {
      ++*it;
    }
  }
  const std::size_t integer_size = digits.size() - kept;
  std::string result = shortest.negative && !all_zeros(digits) ? "-" : "";
  result += digits.substr(0, integer_size);
  if (kept > 0) {
    result += '.';
    result += digits.substr(integer_size);
  }
  return result;
}

std::string format_shortest(double value) {
  std::string result;
  append_shortest(result, value);
  return result;
}

char* write_shortest_quick(char* out, double value) {
  // Zero (which may be -0) and numbers whose plain form is long (many zeros before or after
  // the digits) go the long way.
  if (value == 0 || !std::isfinite(value)) return nullptr;
  // The shortest digits that read back as `value` (the nearest such when several are as short):
  // fmt's Dragonbox, the digits to_chars gives (tests compare them), in half its time.
  const auto shortest = fmt::detail::dragonbox::to_decimal(value);
  std::array<char, 20> buffer;
  char* const digits_end = buffer.data() + buffer.size();
  char* const digits = digits_backwards(digits_end, shortest.significand);
  const auto count = static_cast<int>(digits_end - digits);
  const int point = count + shortest.exponent; // digits before the point
  const int length = (value < 0 ? 1 : 0) + (point <= 0       ? 2 - point + count
                                            : point >= count ? point
                                                             : count + 1);
  if (length > static_cast<int>(k_quick_shortest_room)) return nullptr;
  if (value < 0) *out++ = '-';
  const std::string_view all(digits, static_cast<std::size_t>(count));
  if (point <= 0) {
    *out++ = '0';
    *out++ = '.';
    out = std::fill_n(out, -point, '0');
    return text::copy_short(out, all);
  }
  if (point >= count) {
    out = text::copy_short(out, all);
    return std::fill_n(out, point - count, '0');
  }
  out = text::copy_short(out, all.substr(0, static_cast<std::size_t>(point)));
  *out++ = '.';
  return text::copy_short(out, all.substr(static_cast<std::size_t>(point)));
}

void append_shortest(std::string& out, double value) {
  std::array<char, k_quick_shortest_room> buffer;
  if (char* end = write_shortest_quick(buffer.data(), value)) {
    out.append(buffer.data(), end);
    return;
  }
  // plain_parts without its temporary strings: this one writes every real of a big table.
  const ShortestDigits shortest = shortest_digits(value);
  const std::string_view all = shortest.digits();
  const int point = shortest.point;
  if (shortest.negative && !all_zeros(all)) out += '-';
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += all;
  } else if (static_cast<std::size_t>(point) >= all.size()) {
    out += all;
    out.append(static_cast<std::size_t>(point) - all.size(), '0');
  } else {
    out += all.substr(0, static_cast<std::size_t>(point));
    out += '.';
    out += all.substr(static_cast<std::size_t>(point));
  }
}

std::string with_plus_sign(std::string digits) {
  if (!digits.empty() && digits[0] != '-' && digits.find_first_not_of("0.") != std::string::npos) {
    digits.insert(digits.begin(), '+');
  }
  return digits;
}

std::string group_thousands(std::string_view number, std::string_view separator) {
  std::size_t begin = 0;
  if (!number.empty() && (number[0] == '-' || number[0] == '+')) {
    begin = 1;
  }
  std::size_t end = begin;
  while (end < number.size() && is_digit(number[end])) {
    ++end;
  }
  std::string result(number.substr(0, begin));
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin && (end - i) % 3 == 0) {
      result += separator;
    }
    result += number[i];
  }
  result += number.substr(end);
  return result;
}

} // namespace jjstat
