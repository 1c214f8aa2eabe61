// jjstat show: the observations themselves, with everything known about each.
#include "jjstat/chart/flags.hpp"
#include "jjstat/chart/views.hpp"
#include "jjstat/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

namespace jjstat::commands {
namespace {

struct ShowOptions {
  Selection selection;
  chart::Flags chart;
};

/// The columns of show: names and compact provenance for people, the schema for machines.
std::vector<Column> show_columns(const Context& context) {
  Report report;
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("indicator_label", context.label("indicator", "指标"), Align::left,
                    Audience::human);
  report.add_column("period_label", context.label("period", "时期"), Align::left, Audience::human);
  report.add_column("value_shown", context.label("value", "数值"), Align::right, Audience::human);
  report.add_column("unit_shown", context.label("unit", "单位"), Align::left, Audience::human);
  report.add_column("qualifiers_shown", context.label("qualifiers", "限定"), Align::left,
                    Audience::human);
  report.add_column("reported_rank_shown", context.label("reported rank", "报道排名"),
                    Align::left, Audience::human);
  report.add_column("source_shown", context.label("source", "出处"), Align::left, Audience::human);
  add_schema_columns(report, Audience::machine);
  return std::move(report.columns);
}

/// The number of columns show_columns() gives people only.
constexpr std::size_t k_human_columns = 8;

/// The cells of an observation's columns for people (show_columns()): names, the value as
/// rounded, and compact provenance.
void add_human_cells(const Context& context, const Observation& obs, format::RowWriter& row) {
  row.text(context.entity_name(obs.entity));
  row.text(obs.indicator);
  row.text(obs.period.label());
  if (obs.value) {
    row.number(*obs.value, context.precision);
  } else {
    row.missing();
  }
  row.text(obs.unit);
  row.text(obs.qualifiers.words(context.chinese));
  row.text(reported_rank_text(context, obs));
  std::string source = obs.source;
  if (obs.source_line) source += fmt::format(":{}", *obs.source_line);
  row.text(source);
  static_assert(k_human_columns == 8);
}

int run_show(const ShowOptions& options, Context& context, std::string& out) {
  auto chart_style =
      chart::prepare(options.chart, context.format_name, context.write, context.chinese);
  const bool human = format::is_human(context.write.format);
  if (!chart_style &&
      write_streamed_observations(
          context, options.selection, true, show_columns(context), context.write,
          [&](const Observation& obs, const IndicatorCells& indicator, format::RowWriter& row) {
            // (The machine formats show none of the columns for people; md shows only them.)
            if (human) {
              add_human_cells(context, obs, row);
            } else {
              for (std::size_t c = 0; c < k_human_columns; ++c) row.missing();
            }
            add_schema_cells(obs, indicator, context.precision, row);
          },
          out))
    return 0;
  std::vector<const Observation*> rows = select(context, options.selection);
  if (chart_style) {
    out += chart::render(chart::observation_charts(rows, context), {}, *chart_style);
    return 0;
  }
  // Row by row: csv, tsv, json, jsonl and md write each row at once (a million rows are not
  // kept as cells first); table keeps them for its column widths.
  format::Writer writer(show_columns(context), -1, context.write, out);
  for (const Observation* obs : rows) {
    format::RowWriter row(writer);
    add_human_cells(context, *obs, row);
    add_schema_cells(context, *obs, row);
    row.end();
  }
  writer.finish({});
  return 0;
}

} // namespace

Runner setup_show(CLI::App& app) {
  auto options = std::make_shared<ShowOptions>();
  add_selection_options(app, options->selection);
  chart::add_flags(app, options->chart);
  return [options](Context& context, std::string& out) { return run_show(*options, context, out); };
}

} // namespace jjstat::commands
