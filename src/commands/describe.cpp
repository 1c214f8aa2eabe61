// jjstat describe: count, sum, mean, min and max of each indicator in each period.
#include "jjstat/commands.hpp"
#include "jjstat/stats/describe.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <functional>
#include <memory>

namespace jjstat::commands {
namespace {

struct DescribeOptions {
  Selection selection;
};

int run_describe(const DescribeOptions& options, Context& context, std::string& out) {
  int p = context.precision;
  Report report;
  report.add_column("indicator", context.label("indicator", "指标"));
  report.add_column("period", context.label("period", "时期"));
  report.add_column("count", context.label("count", "个数"), Align::right);
  report.add_column("missing", context.label("missing", "缺失"), Align::right);
  report.add_column("sum", context.label("sum", "合计"), Align::right);
  report.add_column("mean", context.label("mean", "均值"), Align::right);
  report.add_column("min", context.label("min", "最小"), Align::right);
  report.add_column("max", context.label("max", "最大"), Align::right);
  report.add_column("unit", context.label("unit", "单位"));
  report.add_column("qualifiers", context.label("qualifiers", "限定"));
  engine::Retention retention;
  retention.describe = true;
  auto store = stream_or_load(context, options.selection, retention);
  std::vector<stats::Description> descriptions; // (read whole: all made at once)
  if (!store) descriptions = stats::describe(select(context, options.selection));
  auto number = [&](const std::optional<Number>& n) {
    return n ? Cell::number(*n, p) : Cell::missing();
  };
  // Row by row (csv, tsv, json, jsonl and md write each row at once; table keeps only the
  // text it shows): a description of a few hundred thousand groups is not kept as cells.
  format::Writer writer(std::move(report.columns), -1, context.write, out);
  std::vector<Cell> row;
  auto put = [&](const stats::Description& d) {
    row.clear();
    row.push_back(Cell::text(d.indicator, context.indicator_name(d.indicator)));
    row.push_back(Cell::text(d.period.label()));
    row.push_back(Cell::integer(static_cast<std::int64_t>(d.count)));
    row.push_back(Cell::integer(static_cast<std::int64_t>(d.missing)));
    row.push_back(number(d.sum));
    row.push_back(d.mean ? Cell::real(*d.mean, p) : Cell::missing());
    row.push_back(number(d.min));
    row.push_back(number(d.max));
    row.push_back(Cell::text(d.unit));
    row.push_back(Cell::text(d.qualifiers.ids(), d.qualifiers.words(context.chinese))
                      .with_tone(Cell::Tone::note));
    writer.write_row(row);
  };
  if (store) {
    store->each_description(put);
  } else {
    for (const stats::Description& d : descriptions) put(d);
  }
  report.notes.push_back(context.label(
      fmt::format("Per indicator and period; values of one dimension converted to the group's "
                  "most common unit; sums exact; mean = sum / count rounded half away from zero "
                  "to {} decimals; missing values are counted apart, never as 0.",
                  p),
      fmt::format("按指标和时期分组；同一量纲的数值换算为组内最常见的单位；合计精确；均值 = 合计 / "
                  "个数，四舍五入（远离零）保留{}位小数；缺失值单独计数，不按0计。",
                  p)));
  writer.finish(report.notes);
  return 0;
}

} // namespace

Runner setup_describe(CLI::App& app) {
  auto options = std::make_shared<DescribeOptions>();
  add_selection_options(app, options->selection);
  return [options](Context& context, std::string& out) {
    return run_describe(*options, context, out);
  };
}

} // namespace jjstat::commands
