// jjstat summary: the main job, an overview of the data by category.
#include "jjstat/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

namespace jjstat::commands {
namespace {

struct SummaryOptions {
  Selection selection;
};

int run_summary(const SummaryOptions& options, Context& context, std::string& out) {
  const Dataset& data = context.dataset;
  std::vector<const Observation*> rows = select(context, options.selection);
  Report report;
  report.section_column = static_cast<int>(report.add_column("category", context.label("category", "类别")));
  report.add_column("figure", context.label("figure", "指标"), Align::left, Audience::human);
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("entity", "entity", Align::left, Audience::machine);
  report.add_column("indicator", "indicator", Align::left, Audience::machine);
  report.add_column("period", context.label("period", "时期"));
  report.add_column("value", context.label("value", "数值"), Align::right);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  report.add_column("reported_rank_shown", context.label("reported rank", "报道排名"), Align::left,
                    Audience::human);
  report.add_column("reported_rank", "reported_rank", Align::right, Audience::machine);
  report.add_column("rank_scope", "rank_scope", Align::left, Audience::machine);
  // Category order, then the order of the data within a category.
  for (const CategoryInfo& category : data.categories()) {
    for (const IndicatorInfo* info : data.indicators()) {
      if (info->category != category.id) continue;
      for (const Observation* obs : rows) {
        if (obs->indicator != info->id) continue;
        report.rows.push_back({
            Cell::text(category.id, data.category_name(category.id, context.chinese)),
            Cell::text(data.indicator_name(obs->indicator, context.chinese)),
            Cell::text(data.entity_name(obs->entity, context.chinese)),
            Cell::text(obs->entity),
            Cell::text(obs->indicator),
            Cell::text(obs->period.label()),
            obs->value ? Cell::decimal(*obs->value) : Cell::missing(),
            Cell::text(obs->unit),
            Cell::text(obs->qualifiers.ids(), obs->qualifiers.words(context.chinese)),
            Cell::text(reported_rank_text(context, *obs)),
            obs->reported_rank ? Cell::integer(*obs->reported_rank) : Cell::missing(),
            Cell::text(obs->rank_scope),
        });
      }
    }
  }
  format::write(report, context.write, out);
  return 0;
}

} // namespace

Runner setup_summary(CLI::App& app) {
  auto options = std::make_shared<SummaryOptions>();
  app.add_option("--category", options->selection.category, "Only this category")
      ->type_name("ID");
  app.add_option("--entity", options->selection.entities, "Only this entity (repeatable)")
      ->type_name("ID")
      ->allow_extra_args(false);
  return [options](Context& context, std::string& out) {
    return run_summary(*options, context, out);
  };
}

} // namespace jjstat::commands
