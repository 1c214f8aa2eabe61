#include "jjstat/stats/describe.hpp"

#include <algorithm>
#include <map>

namespace jjstat::stats {
namespace {

/// a + b, exact when both are decimals and the sum fits.
Number add(const Number& a, const Number& b) {
  const auto* da = std::get_if<Decimal>(&a);
  const auto* db = std::get_if<Decimal>(&b);
  if (da && db) {
    if (auto exact = da->plus(*db)) return *exact;
  }
  return to_double(a) + to_double(b);
}

/// `value` in `unit`, exact where the conversion allows.
Number in_unit(const Number& value, const std::string& from, const std::string& unit) {
  if (from == unit) return value;
  if (const auto* d = std::get_if<Decimal>(&value)) return convert(*d, from, unit);
  return std::get<double>(value) * to_double(convert(Decimal::from_integer(1), from, unit));
}

} // namespace

std::vector<Description> describe(const std::vector<const Observation*>& observations) {
  // Group members by (indicator, period), indicators in order of appearance.
  std::vector<std::string> indicators;
  std::map<std::pair<std::string, Period>, std::vector<const Observation*>> groups;
  for (const Observation* obs : observations) {
    if (std::find(indicators.begin(), indicators.end(), obs->indicator) == indicators.end()) {
      indicators.push_back(obs->indicator);
    }
    groups[{obs->indicator, obs->period}].push_back(obs);
  }
  std::vector<Description> out;
  for (const std::string& indicator : indicators) {
    for (auto& [key, members] : groups) {
      if (key.first != indicator) continue;
      Description d;
      d.indicator = indicator;
      d.period = key.second;
      // The most common unit (the first seen wins a tie), as rank uses.
      std::vector<std::pair<std::string, int>> units;
      for (const Observation* obs : members) {
        auto it = std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.first == obs->unit; });
        if (it == units.end()) {
          units.emplace_back(obs->unit, 1);
        } else {
          ++it->second;
        }
      }
      d.unit = std::max_element(units.begin(), units.end(), [](const auto& a, const auto& b) {
                 return a.second < b.second;
               })->first;
      for (const Observation* obs : members) {
        d.qualifiers = d.qualifiers.merged(obs->qualifiers);
        if (!obs->value) {
          ++d.missing;
          continue;
        }
        Number v = in_unit(*obs->value, obs->unit, d.unit);
        ++d.count;
        d.sum = d.sum ? add(*d.sum, v) : v;
        if (!d.min || to_double(v) < to_double(*d.min)) d.min = v;
        if (!d.max || to_double(v) > to_double(*d.max)) d.max = v;
      }
      if (d.count > 0) d.mean = ratio(*d.sum, Decimal::from_integer(static_cast<std::int64_t>(d.count)));
      out.push_back(std::move(d));
    }
  }
  return out;
}

} // namespace jjstat::stats
