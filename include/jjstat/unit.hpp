#pragma once
/// Units as printed (亿元, 万元, 亩, 平方公里, 个, 家, %) and the conversions between units of
/// one dimension (1 亿元 = 10 000 万元; 1 平方公里 = 1 500 亩).

#include "jjstat/decimal.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace jjstat {

/// A computed number: an exact decimal where the arithmetic allowed it, else a double.
using Number = std::variant<Decimal, double>;

/// The nearest double of a Number.
double to_double(const Number& number);

/// A Number at full precision: a Decimal's own digits, a double's shortest round-trip form.
std::string to_string(const Number& number);

/// a / b with one rounding where it can: for decimals with mantissas below 2^53 the integer
/// quotient is rounded once and scaled by a power of ten (26.4 / 0.024 is exactly 1100).
double ratio(const Number& a, const Number& b);
/// ratio() of two decimals, without a Number made of each (the rows written from kept ends).
double ratio(const Decimal& a, const Decimal& b);

/// a + b, exact when both are decimals and the sum fits.
Number plus(const Number& a, const Number& b);

/// a − b, exact when both are decimals and the difference fits.
Number minus(const Number& a, const Number& b);

/// a < b, exactly for decimals.
bool less(const Number& a, const Number& b);

/// `value` in unit `from` expressed in `to` (same dimension); exact where the conversion allows.
Number in_unit(const Number& value, std::string_view from, std::string_view to);

/// `value` × 100, exact for decimals where it fits.
Number times_hundred(const Number& value);

/// A unit jjstat can convert: its symbol, its dimension and its size in the dimension's base.
struct UnitInfo {
  std::string_view symbol;    ///< as printed: "亿元"
  std::string_view dimension; ///< "money", "area", "people", "visits", "percent"
  std::int64_t numerator;     ///< size in base units = numerator / denominator
  std::int64_t denominator;
};

/// Every unit with a known dimension.
std::span<const UnitInfo> known_units();

/// The known unit `symbol`, or nullptr.
const UnitInfo* find_unit(std::string_view symbol);

/// The dimension of `unit`: a known dimension, or "count of <unit>" for counters (个, 家, 户)
/// and other units, which compare only with themselves.
std::string dimension_of(std::string_view unit);

/// True when values in `a` and `b` can be compared after conversion.
bool same_dimension(std::string_view a, std::string_view b);

/// `value` in unit `from` expressed in unit `to` (same dimension); exact when the factor is an
/// integer or a power of ten divisor, else a double.
Number convert(const Decimal& value, std::string_view from, std::string_view to);

} // namespace jjstat
