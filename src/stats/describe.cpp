#include "jjstat/stats/describe.hpp"

#include <stdexcept>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace jjstat::stats {

void Aggregate::add(const std::optional<Number>& value, std::string_view unit,
                    Qualifiers qualifiers) {
  m_qualifiers = m_qualifiers.merged(qualifiers);
  auto part = std::find_if(m_parts.begin(), m_parts.end(),
                           [&](const Part& p) { return p.unit == unit; });
  if (part == m_parts.end()) {
    m_parts.push_back(Part{std::string(unit), 0, 0, {}, {}, {}});
    part = m_parts.end() - 1;
  }
  ++part->rows;
  if (!value) {
    ++m_missing;
    return;
  }
  ++part->count;
  // Decimals of the part's scale, the usual case, add and compare without rescaling.
  const auto* v = std::get_if<Decimal>(&*value);
  const Decimal* sum = part->sum ? std::get_if<Decimal>(&*part->sum) : nullptr;
  if (v && sum && v->scale() == sum->scale()) {
    Decimal::Mantissa total = 0;
    if (!__builtin_add_overflow(sum->mantissa(), v->mantissa(), &total)) {
      part->sum = Decimal(total, v->scale());
      const Decimal& low = std::get<Decimal>(*part->min);
      const Decimal& high = std::get<Decimal>(*part->max);
      if (low.scale() == v->scale() ? v->mantissa() < low.mantissa() : *v < low) part->min = *value;
      if (high.scale() == v->scale() ? high.mantissa() < v->mantissa() : high < *v) part->max = *value;
      return;
    }
  }
  part->sum = part->sum ? plus(*part->sum, *value) : *value;
  if (!part->min || less(*value, *part->min)) part->min = *value;
  if (!part->max || less(*part->max, *value)) part->max = *value;
}

void Aggregate::add_summed(std::string_view unit, std::size_t rows, std::size_t count,
                           const Decimal& sum, const Decimal& min, const Decimal& max,
                           Qualifiers qualifiers) {
  if (!m_parts.empty() || m_missing != 0) {
    throw std::logic_error("Aggregate::add_summed on an aggregate that holds figures");
  }
  m_qualifiers = qualifiers;
  m_missing = rows - count;
  Part part{std::string(unit), rows, count, {}, {}, {}};
  if (count > 0) {
    part.sum = sum;
    part.min = min;
    part.max = max;
  }
  m_parts.push_back(std::move(part));
}

void Aggregate::merge(const Aggregate& other) {
  m_qualifiers = m_qualifiers.merged(other.m_qualifiers);
  m_missing += other.m_missing;
  for (const Part& theirs : other.m_parts) {
    auto part = std::find_if(m_parts.begin(), m_parts.end(),
                             [&](const Part& p) { return p.unit == theirs.unit; });
    if (part == m_parts.end()) {
      m_parts.push_back(theirs);
      continue;
    }
    part->rows += theirs.rows;
    part->count += theirs.count;
    if (theirs.sum) part->sum = part->sum ? plus(*part->sum, *theirs.sum) : *theirs.sum;
    if (theirs.min && (!part->min || less(*theirs.min, *part->min))) part->min = theirs.min;
    if (theirs.max && (!part->max || less(*part->max, *theirs.max))) part->max = theirs.max;
  }
}

Description Aggregate::finish(std::string indicator, const Period& period) const {
  Description d;
  d.indicator = std::move(indicator);
  d.period = period;
  d.missing = m_missing;
  d.qualifiers = m_qualifiers;
  auto common = std::max_element(m_parts.begin(), m_parts.end(),
                                 [](const Part& a, const Part& b) { return a.rows < b.rows; });
  if (common == m_parts.end()) return d;
  d.unit = common->unit;
  for (const Part& part : m_parts) {
    if (part.count == 0) continue;
    d.count += part.count;
    Number sum = in_unit(*part.sum, part.unit, d.unit);
    Number min = in_unit(*part.min, part.unit, d.unit);
    Number max = in_unit(*part.max, part.unit, d.unit);
    d.sum = d.sum ? plus(*d.sum, sum) : sum;
    if (!d.min || less(min, *d.min)) d.min = min;
    if (!d.max || less(*d.max, max)) d.max = max;
  }
  if (d.count > 0) d.mean = ratio(*d.sum, Decimal::from_integer(static_cast<std::int64_t>(d.count)));
  return d;
}

std::vector<Description> describe(const std::vector<const Observation*>& observations) {
  // Indicators numbered in order of appearance (found by name through a hash map: a file may
  // hold hundreds of thousands), the groups keyed by that number, so that the map's order is
  // the output's: indicators as they appeared, each one's periods in order.
  std::vector<std::string_view> indicators;
  std::unordered_map<std::string_view, std::size_t> numbers;
  std::map<std::pair<std::size_t, Period>, Aggregate> groups;
  for (const Observation* obs : observations) {
    const auto [found, added] = numbers.try_emplace(obs->indicator, indicators.size());
    if (added) indicators.push_back(obs->indicator);
    groups[{found->second, obs->period}].add(obs->value, obs->unit, obs->qualifiers);
  }
  std::vector<Description> out;
  out.reserve(groups.size());
  for (const auto& [key, aggregate] : groups) {
    out.push_back(aggregate.finish(std::string(indicators[key.first]), key.second));
  }
  return out;
}

} // namespace jjstat::stats
