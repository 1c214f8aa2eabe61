// jjstat list: the indicators with their category, names, units and observation counts.
#include "jjstat/commands.hpp"
#include "jjstat/engine/series.hpp"

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

/// A row of the listing; `units` as they came, `name` in the chosen language or the id.
void put_row(Report& report, std::string_view id, std::string_view category, std::string_view name,
             std::string_view name_zh, std::string_view name_en,
             const std::vector<std::string_view>& units, std::size_t observations) {
  report.rows.push_back({
      Cell::text(std::string(id)),
      Cell::text(std::string(category)),
      Cell::text(std::string(name)),
      Cell::text(std::string(name_zh)),
      Cell::text(std::string(name_en)),
      Cell::text(fmt::format("{}", fmt::join(units, ";")),
                 fmt::format("{}", fmt::join(units, ", "))),
      Cell::integer(static_cast<std::int64_t>(observations)),
  });
}

int run_list(const ListOptions& options, Context& context, std::string& out) {
  Report report;
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("category", context.label("category", "类别"));
  report.add_column("name", context.label("name", "名称"), Align::left, Audience::human);
  report.add_column("name_zh", "name_zh", Align::left, Audience::machine);
  report.add_column("name_en", "name_en", Align::left, Audience::machine);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("observations", context.label("obs", "观测数"), Align::right);
  const Selection& s = options.selection;
  auto listed = [&](std::string_view id, std::string_view category) {
    return (s.category.empty() || category == s.category) &&
           (s.indicators.empty() ||
            std::find(s.indicators.begin(), s.indicators.end(), id) != s.indicators.end());
  };
  // Streamed (--data files): an indicator's units and figures are counted as the
  // rows go by, and no row is kept.
  if (const auto store = stream_or_load(context, s, engine::Retention{})) {
    for (const engine::IndicatorListing& info : store->listing()) {
      if (!listed(info.id, info.category)) continue;
      put_row(report, info.id, info.category, context.indicator_name(info.id), info.name_zh,
              info.name_en, info.units, info.figures);
    }
    format::write(report, context.write, out);
    return 0;
  }
  check_selection(context, s);
  const Dataset& data = context.data();
  const auto units_of = units_by_indicator(data);
  for (const IndicatorInfo* info : data.indicators()) {
    if (!listed(info->id, info->category)) continue;
    static const std::vector<std::string_view> k_no_units;
    const auto found = units_of.find(info->id);
    put_row(report, info->id, info->category, context.indicator_name(info->id), info->name_zh,
            info->name_en, found == units_of.end() ? k_no_units : found->second,
            info->observations);
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
