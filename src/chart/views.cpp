#include "jjstat/chart/views.hpp"

#include "jjstat/chart/values.hpp"
#include "jjstat/report/numbers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace jjstat::chart {
namespace {

std::string rank_text(double rank) {
  double whole = 0;
  return std::modf(rank, &whole) == 0.0 ? fmt::format("{}", static_cast<long long>(rank))
                                        : format_fixed(rank, 1);
}

/// `number` and its unit as a table shows them: "25650 万元", "+25.00 %".
std::string with_unit(const std::optional<Number>& number, std::string_view unit,
                      const commands::Context& context, bool sign = false) {
  std::string text =
      report::number_text(number, context.precision, sign, context.write.group_digits);
  if (number && !unit.empty()) text += fmt::format(" {}", unit);
  return text;
}

} // namespace

std::vector<BarChart> ranking_charts(const std::vector<stats::RankedRow>& rows,
                                     const commands::Context& context) {
  std::vector<BarChart> charts;
  std::string current;
  for (const stats::RankedRow& row : rows) {
    bool pooled = row.ranking == "pooled";
    if (charts.empty() || row.ranking != current) {
      current = row.ranking;
      BarChart chart;
      chart.title =
          pooled ? context.label("pooled", "合并排名") : context.indicator_name(row.ranking);
      chart.unit = row.unit;
      chart.label_align = {Align::right, Align::left, Align::left};
      charts.push_back(std::move(chart));
    }
    Bar bar;
    bar.labels = {rank_text(row.rank), context.entity_name(row.entity)};
    if (pooled) bar.labels.push_back(context.indicator_name(row.indicator));
    if (row.measure) bar.value = to_double(*row.measure);
    bar.value_text = with_unit(row.measure, row.unit, context);
    if (!row.measure) bar.note = stats::note_text(row, context.chinese);
    charts.back().bars.push_back(std::move(bar));
  }
  // A ranking of one period says so in its title.
  std::size_t begin = 0;
  for (BarChart& chart : charts) {
    std::string period = rows[begin].period;
    bool one = std::all_of(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                           rows.begin() + static_cast<std::ptrdiff_t>(begin + chart.bars.size()),
                           [&](const stats::RankedRow& r) { return r.period == period; });
    if (one && !period.empty()) chart.title += context.label(", ", "，") + period;
    begin += chart.bars.size();
  }
  return charts;
}

void GrowthCharts::add(const stats::Series& series, const std::vector<stats::GrowthRow>& rows) {
  if (rows.empty()) return;
  const auto [it, added] = m_chart_of.try_emplace(series.indicator, m_charts.size());
  if (added) {
    bool points = rows.front().unit == "%";
    BarChart chart;
    std::string name = m_context.indicator_name(series.indicator);
    chart.title = points ? m_context.label(name + ": change (pp)", name + "：变化（百分点）")
                         : m_context.label(name + ": change %", name + "：增幅%");
    chart.unit = points ? "pp" : "%";
    chart.label_align = {Align::left, Align::left};
    m_charts.push_back(std::move(chart));
  }
  BarChart& chart = m_charts[it->second];
  bool first = true;
  for (const stats::GrowthRow& row : rows) {
    Bar bar;
    std::string span = row.from && row.to ? fmt::format("{}/{}", row.from->label(), row.to->label())
                                          : std::string("n/a");
    bar.labels = {m_context.entity_name(row.entity), span};
    std::optional<Number> measure;
    if (row.unit == "%") {
      measure = row.change;
    } else if (row.pct_change) {
      measure = *row.pct_change;
    }
    if (measure) bar.value = to_double(*measure);
    bar.value_text = with_unit(measure, chart.unit, m_context, true);
    if (!measure) bar.note = stats::gap_text(row.gap, m_context.chinese, row.gap_period);
    if (first && series.period_count >= 3) bar.trend = timeline_values(timeline(series), row.unit);
    first = false;
    chart.bars.push_back(std::move(bar));
  }
}

std::vector<BarChart> observation_charts(const std::vector<const Observation*>& observations,
                                         const commands::Context& context) {
  std::vector<BarChart> charts;
  std::vector<std::string> indicators;
  std::map<std::string, std::vector<const Observation*>, std::less<>> by_indicator;
  for (const Observation* obs : observations) {
    if (!by_indicator.contains(obs->indicator)) indicators.push_back(obs->indicator);
    by_indicator[obs->indicator].push_back(obs);
  }
  for (const std::string& indicator : indicators) {
    const std::vector<const Observation*>& held = by_indicator[indicator];
    BarChart chart;
    chart.unit = common_unit(held);
    chart.title = context.chinese
                      ? fmt::format("{}（{}）", context.indicator_name(indicator), chart.unit)
                      : fmt::format("{} ({})", context.indicator_name(indicator), chart.unit);
    chart.label_align = {Align::left, Align::left};
    for (const stats::Series& series : stats::group_series(held)) {
      bool first = true;
      for (const Observation* obs : series.points) {
        Bar bar;
        bar.labels = {context.entity_name(obs->entity), obs->period.label()};
        bar.value = value_in(*obs, chart.unit);
        bar.value_text = with_unit(obs->value, obs->unit, context);
        if (first && series.period_count >= 3)
          bar.trend = timeline_values(timeline(series), chart.unit);
        first = false;
        chart.bars.push_back(std::move(bar));
      }
    }
    charts.push_back(std::move(chart));
  }
  return charts;
}

} // namespace jjstat::chart
