// jjstat summary: the main job, an overview by category of the headline figures, their growth,
// the derived figures and the ranks the source reports.
#include "jjstat/commands.hpp"
#include "jjstat/stats/growth.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jjstat::commands {
namespace {

struct SummaryOptions {
  Selection selection;
};

void add_columns(Report& report, const Context& context) {
  report.section_column =
      static_cast<int>(report.add_column("category", context.label("category", "类别")));
  report.add_column("figure", context.label("figure", "指标"), Align::left, Audience::human);
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("entity", "entity", Align::left, Audience::machine);
  report.add_column("indicator", "indicator", Align::left, Audience::machine);
  report.add_column("measure", "measure", Align::left, Audience::machine);
  report.add_column("period", context.label("period", "时期"));
  report.add_column("value", context.label("value", "数值"), Align::right);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  report.add_column("reported_rank_shown", context.label("reported rank", "报道排名"), Align::left,
                    Audience::human);
  report.add_column("reported_rank", "reported_rank", Align::right, Audience::machine);
  report.add_column("rank_scope", "rank_scope", Align::left, Audience::machine);
}

/// What the rows of a series show besides its figures: its category and the names of its
/// category, indicator and entity in the chosen language.
struct SeriesNames {
  std::string_view category;
  std::string category_name, indicator_name, entity_name;
};

/// The row of one figure as printed (measure "value").
std::vector<Cell> figure_row(const Context& context, const SeriesNames& names,
                             const Observation& obs) {
  return {
      Cell::text(std::string(names.category), names.category_name),
      Cell::text(names.indicator_name),
      Cell::text(names.entity_name),
      Cell::text(obs.entity),
      Cell::text(obs.indicator),
      Cell::text("value"),
      Cell::text(obs.period.label()),
      obs.value ? Cell::number(*obs.value, context.precision) : Cell::missing(),
      Cell::text(obs.unit),
      Cell::text(obs.qualifiers.ids(), obs.qualifiers.words(context.chinese))
          .with_tone(Cell::Tone::note),
      Cell::text(reported_rank_text(context, obs)),
      obs.reported_rank ? Cell::integer(*obs.reported_rank) : Cell::missing(),
      Cell::text(obs.rank_scope),
  };
}

/// Three rows for the first-to-last growth of a series: change, change % and CAGR.
void add_growth_rows(const Context& context, const SeriesNames& names, const stats::Series& series,
                     format::Writer& out) {
  stats::GrowthRow g = stats::growth(series, std::nullopt, std::nullopt);
  std::string span = fmt::format("{}/{}", g.from->label(), g.to->label());
  struct Measure {
    std::string_view id, english, chinese;
    std::optional<Number> value;
    std::string unit;
  };
  std::optional<Number> pct, cagr;
  if (g.pct_change) pct = *g.pct_change;
  if (g.cagr) cagr = *g.cagr;
  const Measure measures[] = {
      {"change", "change", "变化", g.change, g.unit == "%" ? "pp" : g.unit},
      {"pct_change", "change %", "增幅", pct, "%"},
      {"cagr", "CAGR", "年均增长", cagr, "%/yr"},
  };
  for (const Measure& m : measures) {
    if (g.unit == "%" && m.id != "change") continue;
    out.row({
        Cell::text(std::string(names.category), names.category_name),
        Cell::text(
            fmt::format("{}: {}", names.indicator_name, context.chinese ? m.chinese : m.english)),
        Cell::text(names.entity_name),
        Cell::text(series.entity),
        Cell::text(series.indicator),
        Cell::text(std::string(m.id)),
        Cell::text(span),
        m.value ? Cell::number(*m.value, context.precision, true) : Cell::missing(),
        Cell::text(m.unit),
        Cell::text(g.qualifiers.ids(), g.qualifiers.words(context.chinese))
            .with_tone(Cell::Tone::note),
        Cell::text(""),
        Cell::missing(),
        Cell::text(""),
    });
  }
}

/// The rows of a series: each figure, then its growth when it has two periods or more.
void add_series_rows(const Context& context, const SeriesNames& names, const stats::Series& series,
                     format::Writer& writer) {
  for (const Observation* obs : series.points) writer.row(figure_row(context, names, *obs));
  if (series.period_count >= 2) add_growth_rows(context, names, series, writer);
}

int run_summary(const SummaryOptions& options, Context& context, std::string& out) {
  Report report;
  add_columns(report, context);
  // Streamed (--data files): every figure of the series selected kept, with its reported rank,
  // in the store's order, which is that of the categories and indicators below.
  engine::Retention retention;
  retention.keep = engine::Retention::Keep::all;
  retention.reported_ranks = true;
  std::unique_ptr<format::Writer> writer;
  if (const auto store = stream_or_load(context, options.selection, retention)) {
    // Categories are named by a categories table: the embedded data's (a file holding one is
    // read whole).
    static const Dataset k_no_tables;
    const Dataset& tables = context.no_embedded ? k_no_tables : context.embedded_data();
    std::unordered_map<std::string_view, std::string_view> category_of;
    for (const engine::IndicatorListing& info : store->listing())
      category_of.emplace(info.id, info.category);
    writer =
        std::make_unique<format::Writer>(report.columns, report.section_column, context.write, out);
    // The rows of a series into `to`; `names` and `indicator` (the indicator they name) are the
    // caller's, kept from series to series (an indicator's series come together).
    auto put_series = [&](const stats::Series& series, SeriesNames& names, std::string& indicator,
                          format::Writer& to) {
      if (series.indicator != indicator) {
        indicator = series.indicator;
        names.category = category_of.at(indicator);
        names.category_name = tables.category_name(names.category, context.chinese);
        names.indicator_name = context.indicator_name(indicator);
      }
      names.entity_name = context.entity_name(series.entity);
      add_series_rows(context, names, series, to);
    };
    if (writer->rows_stand_alone()) {
      // csv, tsv and jsonl: blocks of series rendered on every core, appended in order (the
      // 10M panel, 710 MB of csv: 7.3 s on one core).
      const format::WriteOptions block_options = format::block_options(context.write);
      engine::render_in_parallel(
          *store,
          [&](std::string& text, std::span<const engine::RenderBlock> ranges) {
            format::Writer block(report.columns, report.section_column, block_options, text);
            SeriesNames names;
            std::string indicator;
            for (const engine::RenderBlock& range : ranges) {
              store->for_each_series_of(
                  range.indicator,
                  [&](const stats::Series& series) { put_series(series, names, indicator, block); },
                  range.begin, range.end);
            }
          },
          [&](std::string& rows) { writer->append_rendered(rows); });
    } else {
      SeriesNames names;
      std::string indicator;
      store->for_each_series(
          [&](const stats::Series& series) { put_series(series, names, indicator, *writer); });
    }
  } else {
    const Dataset& data = context.data();
    std::vector<stats::Series> all = stats::group_series(select(context, options.selection));
    // Each indicator's series, in their order (one pass, however many indicators).
    std::unordered_map<std::string_view, std::vector<const stats::Series*>> by_indicator;
    for (const stats::Series& series : all) by_indicator[series.indicator].push_back(&series);
    // Row by row: csv, tsv, json, jsonl and md write each row at once; table keeps them for
    // its column widths.
    writer =
        std::make_unique<format::Writer>(report.columns, report.section_column, context.write, out);
    // Category order, then indicator order; each series' figures, then its growth.
    for (const CategoryInfo& category : data.categories()) {
      for (const IndicatorInfo* info : data.indicators()) {
        if (info->category != category.id) continue;
        auto found = by_indicator.find(info->id);
        if (found == by_indicator.end()) continue;
        SeriesNames names{info->category,
                          data.category_name(info->category, context.chinese),
                          data.indicator_name(info->id, context.chinese),
                          {}};
        for (const stats::Series* series : found->second) {
          names.entity_name = data.entity_name(series->entity, context.chinese);
          add_series_rows(context, names, *series, *writer);
        }
      }
    }
  }
  report.notes.push_back(context.label(
      fmt::format("Growth runs from the first to the last period (see `jjstat growth`); derived "
                  "figures are computed from their definitions; computed values are rounded half "
                  "away from zero to {} decimals. Check the article's own claims with `jjstat "
                  "verify`.",
                  context.precision),
      fmt::format("增长为首末时期之间（见 `jjstat growth`）；推算值按定义计算；计算值四舍五入（远离零）"
                  "保留{}位小数。用 `jjstat verify` 核验原文论断。",
                  context.precision)));
  writer->finish(report.notes);
  return 0;
}

} // namespace

Runner setup_summary(CLI::App& app) {
  auto options = std::make_shared<SummaryOptions>();
  app.add_option("--category", options->selection.category, "Only this category")->type_name("ID");
  app.add_option("--entity", options->selection.entities, "Only this entity (repeatable)")
      ->type_name("ID")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  return [options](Context& context, std::string& out) {
    return run_summary(*options, context, out);
  };
}

} // namespace jjstat::commands
