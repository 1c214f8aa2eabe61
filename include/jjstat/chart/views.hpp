#pragma once
/// The terminal charts of the commands: rank, growth and show results turned into bar charts,
/// with names in the chosen language.

#include "jjstat/chart/model.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/stats/growth.hpp"
#include "jjstat/stats/rank.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace jjstat::chart {

/// One chart per ranking, a bar per ranked figure in rank order: rank and entity (and the
/// indicator, in a pooled ranking) as labels, the ranked value and unit beside the bar. Only the
/// rows' own fields are read, never row.observation (rank may have let the figures go).
std::vector<BarChart> ranking_charts(const std::vector<stats::RankedRow>& rows,
                                     const commands::Context& context);

/// Growth rows gathered series by series into one chart per indicator: a bar per row for its
/// change % (its change in pp for an indicator in %), the series' sparkline on its first row.
class GrowthCharts {
public:
  /// Charts whose names and numbers follow `context`.
  explicit GrowthCharts(const commands::Context& context) : m_context(context) {}
  /// Adds the rows of one series (copied: the series may go away).
  void add(const stats::Series& series, const std::vector<stats::GrowthRow>& rows);
  /// The charts, one per indicator in order of first appearance.
  const std::vector<BarChart>& charts() const { return m_charts; }

private:
  const commands::Context& m_context;
  std::vector<BarChart> m_charts;
  /// Each indicator's chart, by name (a file may hold hundreds of thousands of indicators).
  std::unordered_map<std::string, std::size_t> m_chart_of;
};

/// One chart per indicator, a bar per observation, series by series in period order: entity
/// and period as labels, the value as printed beside the bar; the bars are in the indicator's
/// most common unit; each series of three or more periods has its sparkline on its first row.
std::vector<BarChart> observation_charts(const std::vector<const Observation*>& observations,
                                         const commands::Context& context);

} // namespace jjstat::chart
