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
    if (auto exact = value.times(p)) return *exact;
  } else if (p == 1) {
    int digits = 0;
    std::int64_t rest = q;
    while (rest % 10 == 0) {
      rest /= 10;
      ++digits;
    }
    if (rest == 1) {
      if (auto exact = value.shifted_right(digits)) return *exact;
    }
  }
  return value.to_double() * static_cast<double>(p) / static_cast<double>(q);
}

} // namespace jjstat
