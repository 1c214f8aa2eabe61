#pragma once
/// Exact decimal numbers as printed (14.98 stays 14.98), and the rounding of computed reals.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jjstat {

/// A decimal number mantissa × 10^-scale held exactly; 2.50 keeps its scale of 2.
class Decimal {
public:
  /// The digits, a signed 128-bit integer (__extension__ keeps -Wpedantic quiet about it).
  __extension__ using Mantissa = __int128;
  /// Most digits after the point a value may have.
  static constexpr int k_max_scale = 18;
  /// Most digits before the point a parsed value may have.
  static constexpr int k_max_integer_digits = 18;

  /// Zero.
  Decimal() = default;
  /// mantissa × 10^-scale; throws std::invalid_argument unless scale is in [0, k_max_scale] and
  /// mantissa is above the lowest Mantissa (so every value can be negated). Inline, the throw
  /// apart: a Decimal made of a fact's parts is made in place, not returned through memory.
  Decimal(Mantissa mantissa, int scale) : m_mantissa(mantissa), m_scale(scale) {
    if (scale < 0 || scale > k_max_scale || mantissa == k_lowest_mantissa) [[unlikely]] {
      reject(scale);
    }
  }
  /// The lowest Mantissa, -2^127, which no Decimal holds (its negation does not fit).
  static constexpr Mantissa k_lowest_mantissa =
      -((Mantissa{1} << 126) - 1 + (Mantissa{1} << 126)) - 1;

  /// An integer.
  static Decimal from_integer(std::int64_t value) { return Decimal(value, 0); }

  /// The digits as an integer.
  Mantissa mantissa() const { return m_mantissa; }
  /// Digits after the point.
  int scale() const { return m_scale; }
  /// True when zero.
  bool is_zero() const { return m_mantissa == 0; }
  /// True when below zero.
  bool is_negative() const { return m_mantissa < 0; }
  /// The nearest double.
  double to_double() const;
  /// Exact text with `scale()` digits after the point: "11.42", "-0.05", "30000".
  std::string to_string() const;
  /// to_string() appended to `out`.
  void append_to(std::string& out) const;
  /// Most characters to_string() gives (39 digits, a point and a sign).
  static constexpr std::size_t k_max_text = 41;
  /// Writes to_string() at `out`, which has room for k_max_text characters; returns its end.
  char* write_to(char* out) const;

  /// Exact sum, with the larger scale of the two; nullopt when it overflows.
  std::optional<Decimal> plus(const Decimal& other) const;
  /// Exact difference, with the larger scale of the two; nullopt when it overflows.
  std::optional<Decimal> minus(const Decimal& other) const;
  /// Exact product with an integer; nullopt when it overflows.
  std::optional<Decimal> times(std::int64_t factor) const;
  /// The value divided by 10^digits: same mantissa, scale raised by `digits` (always exact);
  /// nullopt when `digits` exceeds the room left by k_max_scale; throws when `digits` < 0.
  std::optional<Decimal> shifted_right(int digits) const;
  /// The negated value.
  Decimal negated() const { return Decimal(-m_mantissa, m_scale); }

  /// Numeric comparison: 2.5 == 2.50.
  friend bool operator==(const Decimal& a, const Decimal& b);
  /// Numeric ordering.
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

private:
  /// Throws the std::invalid_argument the constructor promises (for `scale`, or else for the
  /// lowest mantissa).
  [[noreturn]] static void reject(int scale);

  Mantissa m_mantissa = 0;
  int m_scale = 0;
};

/// Why a text is not a plain decimal number.
enum class NumberError {
  none,         ///< a number
  empty,        ///< ""
  space,        ///< leading or trailing white space: " 12"
  grouping,     ///< digit grouping: "1,234"
  fullwidth,    ///< fullwidth digits or point: "１２３"
  unit_suffix,  ///< a unit after the number: "26.4亿", "12万元"
  percent,      ///< a percent sign: "12%"
  not_finite,   ///< "NaN", "inf", "Infinity" in any case
  overflow,     ///< more than k_max_integer_digits before the point: "1e400"
  too_precise,  ///< scale above k_max_scale (written trailing zeros count): "1e-30"
  malformed,    ///< anything else: "1.2.3", "--5", "abc"
};

/// The result of parse_decimal: a value, or an error and the byte offset of the first offending
/// byte (text.size() when the text ends too early: "1e+").
struct DecimalParse {
  Decimal value;
  NumberError error = NumberError::none;
  std::size_t error_offset = 0;
};

/// Parses a plain decimal number, fully consumed: optional sign, digits with an optional point,
/// optional exponent (`-12.5`, `+3`, `.5`, `5.`, `3e4`, `1.5E-3`). The scale is the written digits
/// after the point minus the exponent, at least 0: `3e4` has scale 0, `1.5e-3` scale 4, `2.50` 2.
DecimalParse parse_decimal(std::string_view text);

/// `value` rounded half away from zero to `precision` digits after the point, starting from its
/// shortest round-trip decimal form (so 2.675 gives "2.68"); never exponent notation; "-0.00"
/// prints as "0.00". Throws std::invalid_argument unless `value` is finite and `precision` is in
/// [0, 30].
std::string format_fixed(double value, int precision);

/// The shortest text that reads back as `value`, in plain notation ("0.0001", "123000000").
/// Throws std::invalid_argument unless `value` is finite.
std::string format_shortest(double value);
/// format_shortest(value) appended to `out`.
void append_shortest(std::string& out, double value);
/// Room write_shortest_quick needs.
constexpr std::size_t k_quick_shortest_room = 32;
/// Writes format_shortest(value) at `out` (room for k_quick_shortest_room characters) and
/// returns its end when it fits that room and `value` is not zero (most reals); null, having
/// written nothing that counts, otherwise: then append_shortest.
char* write_shortest_quick(char* out, double value);

/// `number` (as printed by this module) with `separator` between groups of three integer digits:
/// "1234567.891" gives "1,234,567.891".
std::string group_thousands(std::string_view number, std::string_view separator = ",");

/// `digits` (a printed number) with a leading '+' when it is above zero: "+1.5", but "-1.5",
/// "0" and "0.00" stay as they are (a change shown with its sign).
std::string with_plus_sign(std::string digits);

} // namespace jjstat

