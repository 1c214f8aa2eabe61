// jjstat describe: count, sum, mean, min and max of each indicator in each period.
#include "jjstat/commands.hpp"
#include "jjstat/stats/describe.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

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
  std::vector<stats::Description> descriptions;
  engine::Retention retention;
  retention.describe = true;
  if (auto store = stream_or_load(context, options.selection, retention)) {
    descriptions = store->descriptions();
  } else {
    descriptions = stats::describe(select(context, options.selection));
  }
  auto number = [&](const std::optional<Number>& n) {
    return n ? Cell::number(*n, p) : Cell::missing();
  };
  for (const stats::Description& d : descriptions) {
    report.rows.push_back({
        Cell::text(d.indicator, context.indicator_name(d.indicator)),
        Cell::text(d.period.label()),
        Cell::integer(static_cast<std::int64_t>(d.count)),
        Cell::integer(static_cast<std::int64_t>(d.missing)),
        number(d.sum),
        d.mean ? Cell::real(*d.mean, p) : Cell::missing(),
        number(d.min),
        number(d.max),
        Cell::text(d.unit),
        Cell::text(d.qualifiers.ids(), d.qualifiers.words(context.chinese)).with_tone(Cell::Tone::note),
    });
  }
  report.notes.push_back(context.label(
      fmt::format("Per indicator and period; values of one dimension converted to the group's "
                  "most common unit; sums exact; mean = sum / count rounded half away from zero "
                  "to {} decimals; missing values are counted apart, never as 0.",
                  p),
      fmt::format("按指标和时期分组；同一量纲的数值换算为组内最常见的单位；合计精确；均值 = 合计 / "
                  "个数，四舍五入（远离零）保留{}位小数；缺失值单独计数，不按0计。",
                  p)));
  format::write(report, context.write, out);
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
