#include "jjstat/unit.hpp"

#include <array>
#include <numeric>

namespace jjstat {
namespace {

// Base units: 元 for money, 亩 for area (1 平方公里 = 1 500 亩 exactly, as the Chinese
// statistical convention 1 亩 = 2 000/3 m² gives), persons, person-visits, percent.
constexpr std::array<UnitInfo, 16> k_units = {{
    {"元", "money", 1, 1},
    {"千元", "money", 1000, 1},
    {"万元", "money", 10000, 1},
    {"百万元", "money", 1000000, 1},
    {"千万元", "money", 10000000, 1},
    {"亿元", "money", 100000000, 1},
    {"万亿元", "money", 1000000000000, 1},
    {"亩", "area", 1, 1},
    {"万亩", "area", 10000, 1},
    {"公顷", "area", 15, 1},
    {"平方米", "area", 3, 2000},
    {"平方公里", "area", 1500, 1},
    {"人", "people", 1, 1},
    {"万人", "people", 10000, 1},
    {"人次", "visits", 1, 1},
    {"万人次", "visits", 10000, 1},
}};

} // namespace

double to_double(const Number& number) {
  if (const auto* d = std::get_if<Decimal>(&number)) return d->to_double();
  return std::get<double>(number);
}

std::string to_string(const Number& number) {
  if (const auto* d = std::get_if<Decimal>(&number)) return d->to_string();
  return format_shortest(std::get<double>(number));
}

double ratio(const Number& a, const Number& b) {
  const auto* da = std::get_if<Decimal>(&a);
  const auto* db = std::get_if<Decimal>(&b);
  if (da && db) return ratio(*da, *db);
  return to_double(a) / to_double(b);
}

double ratio(const Decimal& a, const Decimal& b) {
  constexpr std::int64_t k_exact = std::int64_t{1} << 53;
  auto fits = [](auto m) { return m < k_exact && m > -k_exact; };
  if (!fits(a.mantissa()) || !fits(b.mantissa())) return a.to_double() / b.to_double();
  // a / b = (ma / mb) × 10^(sb − sa); folding the power of ten into an integer that stays
  // exact in a double leaves one rounding only (838338.77 / 10000 is 83.833877). (Below 2^53,
  // times 10 stays within 64 bits.)
  auto top = static_cast<std::int64_t>(a.mantissa());
  auto bottom = static_cast<std::int64_t>(b.mantissa());
  int shift = b.scale() - a.scale();
  while (shift > 0 && fits(top * 10)) {
    top *= 10;
    --shift;
  }
  while (shift < 0 && fits(bottom * 10)) {
    bottom *= 10;
    ++shift;
  }
  const double quotient = static_cast<double>(top) / static_cast<double>(bottom);
  double power = 1.0;
  for (int i = 0; i < (shift < 0 ? -shift : shift); ++i) power *= 10.0;
  return shift < 0 ? quotient / power : quotient * power;
}

Number plus(const Number& a, const Number& b) {
  const auto* da = std::get_if<Decimal>(&a);
  const auto* db = std::get_if<Decimal>(&b);
  if (da && db) {
    if (auto exact = da->plus(*db)) return *exact;
  }
  return to_double(a) + to_double(b);
}

Number minus(const Number& a, const Number& b) {
  const auto* da = std::get_if<Decimal>(&a);
  const auto* db = std::get_if<Decimal>(&b);
  if (da && db) {
    if (auto exact = da->minus(*db)) return *exact;
  }
  return to_double(a) - to_double(b);
}

bool less(const Number& a, const Number& b) {
  const auto* da = std::get_if<Decimal>(&a);
  const auto* db = std::get_if<Decimal>(&b);
  if (da && db) return *da < *db;
  return to_double(a) < to_double(b);
}

Number in_unit(const Number& value, std::string_view from, std::string_view to) {
  if (from == to) return value;
  if (const auto* d = std::get_if<Decimal>(&value)) return convert(*d, from, to);
  return std::get<double>(value) * to_double(convert(Decimal::from_integer(1), from, to));
}

Number times_hundred(const Number& value) {
  if (const auto* d = std::get_if<Decimal>(&value)) {
    if (auto exact = d->times(100)) return *exact;
  }
  return to_double(value) * 100.0;
}

std::span<const UnitInfo> known_units() { return k_units; }

const UnitInfo* find_unit(std::string_view symbol) {
  for (const UnitInfo& unit : k_units) {
    if (unit.symbol == symbol) return &unit;
  }
  return nullptr;
}

std::string dimension_of(std::string_view unit) {
  if (unit == "%") return "percent";
  if (const UnitInfo* info = find_unit(unit)) return std::string(info->dimension);
  return "count of " + std::string(unit);
}

bool same_dimension(std::string_view a, std::string_view b) {
  return a == b || dimension_of(a) == dimension_of(b);
}

Number convert(const Decimal& value, std::string_view from, std::string_view to) {
  if (from == to) return value;
  const UnitInfo* a = find_unit(from);
  const UnitInfo* b = find_unit(to);
  if (!a || !b) return value;
  // value × (a.num / a.den) / (b.num / b.den) = value × p / q
  std::int64_t p = a->numerator * b->denominator;
  std::int64_t q = a->denominator * b->numerator;
  std::int64_t g = std::gcd(p, q);
  p /= g;
  q /= g;
  if (q == 1) {
    if (auto exact = value.times(p)) {
      // The factor's own trailing zeros add no precision: 2.565 亿元 is 25650 万元, not 25650.000.
      int scale = exact->scale();
      Decimal::Mantissa mantissa = exact->mantissa();
      for (std::int64_t f = p; f % 10 == 0 && scale > 0 && mantissa % 10 == 0; f /= 10) {
        mantissa /= 10;
        --scale;
      }
      return Decimal(mantissa, scale);
    }
  } else if (p == 1) {
    int digits = 0;
    std::int64_t rest = q;
    while (rest % 10 == 0) {
      rest /= 10;
      ++digits;
    }
    if (rest == 1) {
      if (auto exact = value.shifted_right(digits)) {
        // Keep the digits the value was printed with, no more: 9000 万元 is 0.9 亿元, not 0.9000.
        Decimal::Mantissa mantissa = exact->mantissa();
        int scale = exact->scale();
        while (scale > value.scale() && mantissa % 10 == 0) {
          mantissa /= 10;
          --scale;
        }
        return Decimal(mantissa, scale);
      }
    }
  }
  // Any other factor: exact when value × p / q is a decimal of at most k_max_scale digits after
  // the point (0.9 亩 is 0.06 公顷, 0.3 亩 is 0.0002 平方公里; 5000 亩 is 3.333… 平方公里, a
  // double).
  Decimal::Mantissa scaled = 0;
  if (!__builtin_mul_overflow(value.mantissa(), static_cast<Decimal::Mantissa>(p), &scaled)) {
    for (int scale = value.scale(); scale <= Decimal::k_max_scale; ++scale) {
      if (scaled % q == 0) return Decimal(scaled / q, scale);
      if (__builtin_mul_overflow(scaled, Decimal::Mantissa{10}, &scaled)) break;
    }
  }
  return value.to_double() * static_cast<double>(p) / static_cast<double>(q);
}

} // namespace jjstat
