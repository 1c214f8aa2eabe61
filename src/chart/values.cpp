#include "jjstat/chart/values.hpp"

#include <algorithm>

namespace jjstat::chart {

std::optional<double> value_in(const Observation& observation, std::string_view unit) {
  if (!observation.value) return std::nullopt;
  if (observation.unit == unit || !same_dimension(observation.unit, unit)) {
    return to_double(*observation.value);
  }
  return to_double(in_unit(*observation.value, observation.unit, unit));
}

std::string common_unit(const std::vector<const Observation*>& observations) {
  std::vector<std::pair<std::string_view, int>> counts;
  for (const Observation* obs : observations) {
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == obs->unit; });
    if (it == counts.end()) {
      counts.emplace_back(obs->unit, 1);
    } else {
      ++it->second;
    }
  }
  auto best = std::max_element(counts.begin(), counts.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best == counts.end() ? std::string() : std::string(best->first);
}

Timeline timeline(const stats::Series& series) {
  Timeline line;
  if (series.points.empty()) return line;
  const Period& first = series.points.front()->period;
  const Period& last = series.points.back()->period;
  int step = first.kind() == PeriodKind::year ? 12 : first.kind() == PeriodKind::quarter ? 3 : 1;
  auto span = static_cast<std::size_t>((last.month_index() - first.month_index()) / step) + 1;
  if (span > k_max_timeline || last.kind() != first.kind()) {
    for (const Observation* obs : series.points) {
      line.periods.push_back(obs->period);
      line.points.push_back(obs);
    }
    return line;
  }
  std::size_t next = 0;
  for (std::size_t i = 0; i < span; ++i) {
    int month = first.month_index() + static_cast<int>(i) * step;
    Period period = Period::from_code(month * 4 + static_cast<int>(first.kind()));
    const Observation* point = nullptr;
    if (next < series.points.size() && series.points[next]->period == period) {
      point = series.points[next++];
    }
    line.periods.push_back(period);
    line.points.push_back(point);
  }
  return line;
}

std::vector<std::optional<double>> timeline_values(const Timeline& line, std::string_view unit) {
  std::vector<std::optional<double>> values;
  for (const Observation* obs : line.points) {
    values.push_back(obs ? value_in(*obs, unit) : std::nullopt);
  }
  return values;
}

} // namespace jjstat::chart
