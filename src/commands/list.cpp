// jjstat list: the indicators with their category, names, units and observation counts.
#include "jjstat/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jjstat::commands {
namespace {

struct ListOptions {
  Selection selection;
};

/// The distinct units of each indicator's observations, in order of appearance (one pass over
/// the observations, however many indicators).
std::unordered_map<std::string_view, std::vector<std::string_view>>
units_by_indicator(const Dataset& data) {
  std::unordered_map<std::string_view, std::vector<std::string_view>> units;
  for (const Observation& obs : data.observations()) {
    std::vector<std::string_view>& known = units[obs.indicator];
    if (std::find(known.begin(), known.end(), obs.unit) == known.end()) known.push_back(obs.unit);
  }
  return units;
}

int run_list(const ListOptions& options, Context& context, std::string& out) {
  check_selection(context, options.selection);
  Report report;
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("category", context.label("category", "类别"));
  report.add_column("name", context.label("name", "名称"), Align::left, Audience::human);
  report.add_column("name_zh", "name_zh", Align::left, Audience::machine);
  report.add_column("name_en", "name_en", Align::left, Audience::machine);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("observations", context.label("obs", "观测数"), Align::right);
  const Dataset& data = context.data();
  const auto units_of = units_by_indicator(data);
  for (const IndicatorInfo* info : data.indicators()) {
    const Selection& s = options.selection;
    if (!s.category.empty() && info->category != s.category) continue;
    if (!s.indicators.empty() &&
        std::find(s.indicators.begin(), s.indicators.end(), info->id) == s.indicators.end()) {
      continue;
    }
    static const std::vector<std::string_view> k_no_units;
    const auto found = units_of.find(info->id);
    const std::vector<std::string_view>& units =
        found == units_of.end() ? k_no_units : found->second;
    report.rows.push_back({
        Cell::text(info->id),
        Cell::text(info->category),
        Cell::text(data.indicator_name(info->id, context.chinese)),
        Cell::text(info->name_zh),
        Cell::text(info->name_en),
        Cell::text(fmt::format("{}", fmt::join(units, ";")), fmt::format("{}", fmt::join(units, ", "))),
        Cell::integer(static_cast<std::int64_t>(info->observations)),
    });
  }
  format::write(report, context.write, out);
  return 0;
}

} // namespace

Runner setup_list(CLI::App& app) {
  auto options = std::make_shared<ListOptions>();
  app.add_option("INDICATOR", options->selection.indicators, "Only these indicator ids")
      ->type_name("ID");
  app.add_option("--category", options->selection.category, "Only indicators of this category")
      ->type_name("ID");
  return [options](Context& context, std::string& out) { return run_list(*options, context, out); };
}

} // namespace jjstat::commands
