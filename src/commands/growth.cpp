// jjstat growth: change, percent change and CAGR of each series between two periods.
#include "jjstat/chart/flags.hpp"
#include "jjstat/chart/views.hpp"
#include "jjstat/commands.hpp"
#include "jjstat/stats/growth.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <memory>

namespace jjstat::commands {
namespace {

struct GrowthOptions {
  Selection selection;
  std::string from;
  std::string to;
  bool yoy = false;
  chart::Flags chart;
};

/// A number, or missing.
void put_maybe(format::RowWriter& out, const std::optional<Number>& value, int precision,
               bool sign = false) {
  if (value) {
    out.number(*value, precision, sign);
  } else {
    out.missing();
  }
}

void put_maybe(format::RowWriter& out, const std::optional<double>& value, int precision,
               bool sign = false) {
  if (value) {
    out.real(*value, precision, sign);
  } else {
    out.missing();
  }
}

void put_period(format::RowWriter& out, const std::optional<Period>& period) {
  if (period) {
    out.text(period->label());
  } else {
    out.missing();
  }
}

std::vector<Column> growth_columns(const Context& context) {
  Report report;
  report.add_column("entity_name", context.label("entity", "主体"), Align::left, Audience::human);
  report.add_column("entity", "entity", Align::left, Audience::machine);
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("unit", context.label("unit", "单位"), Align::left, Audience::machine);
  report.add_column("from", context.label("from", "起"));
  report.add_column("to", context.label("to", "止"));
  report.add_column("years", context.label("years", "年数"), Align::right);
  report.add_column("from_value", context.label("from value", "起值"), Align::right);
  report.add_column("to_value", context.label("to value", "止值"), Align::right);
  report.add_column("unit_shown", context.label("unit", "单位"), Align::left, Audience::human);
  report.add_column("change", context.label("change", "变化"), Align::right);
  report.add_column("change_unit", context.label("change unit", "变化单位"));
  report.add_column("pct_change", context.label("change %", "增幅%"), Align::right);
  report.add_column("cagr", context.label("CAGR %/yr", "年均增长%"), Align::right);
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  report.add_column("note", context.label("note", "说明"));
  return report.columns;
}

/// Gives `out` the cells of a growth row, one per column; without `human`, what only tables
/// and Markdown show (the entity's name, the unit beside the values, the words for qualifiers
/// and gaps) is left out.
void put_row(const stats::GrowthRow& row, const Context& context, bool human,
             format::RowWriter& out) {
  const int p = context.precision;
  double whole = 0;
  const bool integral_years = std::modf(row.years, &whole) == 0.0;
  out.text(human ? context.entity_name(row.entity) : std::string());
  out.text(row.entity);
  out.text(row.indicator);
  out.text(row.unit);
  put_period(out, row.from);
  put_period(out, row.to);
  if (row.change) {
    out.real(row.years, integral_years ? 0 : 2);
  } else {
    out.missing();
  }
  put_maybe(out, row.from_value, p);
  put_maybe(out, row.to_value, p);
  out.text(human ? std::string_view(row.unit) : std::string_view());
  put_maybe(out, row.change, p, true);
  out.text(row.change ? (row.unit == "%" ? "pp" : std::string_view(row.unit)) : std::string_view());
  put_maybe(out, row.pct_change, p, true);
  put_maybe(out, row.cagr, p, true);
  out.text(row.qualifiers.ids(), human ? row.qualifiers.words(context.chinese) : std::string(),
           Cell::Tone::note);
  out.text(stats::gap_text(row.gap, false, row.gap_period),
           human ? stats::gap_text(row.gap, context.chinese, row.gap_period) : std::string());
  out.end();
}

int run_growth(const GrowthOptions& options, Context& context, std::string& out) {
  auto from = parse_period_option(options.from, "--from");
  auto to = parse_period_option(options.to, "--to");
  if (!options.yoy) check_period_order(from, to); // (--yoy has no use for them)
  bool named = !options.selection.indicators.empty();
  auto chart_style =
      chart::prepare(options.chart, context.format_name, context.write, context.chinese);
  chart::GrowthCharts charts(context);
  std::unique_ptr<format::Writer> writer;
  std::atomic<std::size_t> omitted = 0;
  const bool human = format::is_human(context.write.format);
  // `rows` is the caller's, its capacity kept from series to series.
  auto emit_to = [&](format::Writer& out_rows, const stats::Series& series,
                     std::vector<stats::GrowthRow>& rows) {
    // Without named indicators, a series of one period has no growth worth a row.
    if (!named && series.period_count < 2) {
      ++omitted;
      return;
    }
    rows.clear();
    if (options.yoy) {
      rows = stats::year_over_year(series);
      if (rows.empty()) rows.push_back(stats::growth(series, std::nullopt, std::nullopt));
    } else {
      rows.push_back(stats::growth(series, from, to));
    }
    if (chart_style) {
      charts.add(series, rows);
      return;
    }
    for (const stats::GrowthRow& row : rows) {
      format::RowWriter out(out_rows);
      put_row(row, context, human, out);
    }
  };
  std::vector<stats::GrowthRow> rows;
  auto emit = [&](const stats::Series& series) { emit_to(*writer, series, rows); };
  engine::Retention retention;
  // Year-over-year rows and the sparklines of charts need every period.
  bool every = options.yoy || chart_style;
  retention.keep = every ? engine::Retention::Keep::all : engine::Retention::Keep::ends;
  retention.from = from;
  retention.to = to;
  if (auto store = stream_or_load(context, options.selection, retention)) {
    writer = std::make_unique<format::Writer>(growth_columns(context), -1, context.write, out);
    if (writer->rows_stand_alone()) {
      // A million series make a million rows: render blocks of them on every core, append
      // them in order.
      format::WriteOptions block_options = context.write;
      block_options.header = false;
      block_options.spill = nullptr;
      std::vector<Column> columns = growth_columns(context);
      engine::render_in_parallel(
          *store,
          [&](std::string& text, const engine::BlockVisitor& each) {
            format::Writer block(columns, -1, block_options, text);
            std::vector<stats::GrowthRow> block_rows;
            each([&](const stats::Series& series) { emit_to(block, series, block_rows); });
          },
          [&](std::string& rows) { writer->append_rendered(rows); });
    } else {
      store->for_each_series(emit);
    }
  } else {
    std::vector<const Observation*> selected = select(context, options.selection);
    writer = std::make_unique<format::Writer>(growth_columns(context), -1, context.write, out);
    for (const stats::Series& series : stats::group_series(selected)) emit(series);
  }
  std::vector<std::string> notes;
  notes.push_back(context.label(
      fmt::format("change = to − from, exact; change % = (to / from − 1) × 100; CAGR = ((to / "
                  "from)^(1 / years) − 1) × 100, years being the real gap between the periods; "
                  "percentages rounded half away from zero to {} decimals; a change of a % "
                  "figure is in percentage points (pp).",
                  context.precision),
      fmt::format("变化 = 止值 − 起值（精确）；增幅% = (止值 / 起值 − 1) × 100；年均增长% = "
                  "((止值 / 起值)^(1 / 年数) − 1) × 100，年数为两时期的实际间隔；百分数四舍五入"
                  "（远离零）保留{}位小数；百分比指标的变化以百分点（pp）计。",
                  context.precision)));
  if (omitted > 0) {
    notes.push_back(context.label(
        fmt::format("{} series with a single period left out; name an indicator to see them.",
                    omitted.load()),
        fmt::format("另有{}个仅含一个时期的序列未列出；指定指标可查看。", omitted.load())));
  }
  if (chart_style) {
    out += chart::render(charts.charts(), notes, *chart_style);
  } else {
    writer->finish(notes);
  }
  return 0;
}

} // namespace

Runner setup_growth(CLI::App& app) {
  auto options = std::make_shared<GrowthOptions>();
  add_selection_options(app, options->selection);
  app.add_option("--from", options->from, "Start period (default: the first of each series)")
      ->type_name("PERIOD");
  app.add_option("--to", options->to, "End period (default: the last of each series)")
      ->type_name("PERIOD");
  app.add_flag("--yoy", options->yoy,
               "Every period against the same period a year earlier, instead of first to last");
  chart::add_flags(app, options->chart);
  return [options](Context& context, std::string& out) {
    return run_growth(*options, context, out);
  };
}

} // namespace jjstat::commands
