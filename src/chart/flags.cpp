#include "jjstat/chart/flags.hpp"

#include "jjstat/error.hpp"

#include "jjstat/whole_number.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace jjstat::chart {

void add_flags(CLI::App& app, Flags& flags) {
  CLI::Option* chart = app.add_flag(
      "--chart", flags.chart,
      "Draw the results as horizontal bars (table format only; implies it when --format is not "
      "given)");
  app.add_option("--width", flags.width,
                 "Columns the chart takes (default: COLUMNS or the terminal's when the format is "
                 "table, on a terminal or given; else 80)")
      ->transform(cli::whole_number(30, 1000))
      ->type_name("N")
      ->needs(chart);
  app.add_flag("--ascii", flags.ascii, "Draw the chart with #, = and | instead of block characters")
      ->needs(chart);
}

std::optional<TerminalStyle> prepare(const Flags& flags, std::string_view format_name,
                                     format::WriteOptions& write, bool chinese) {
  if (!flags.chart) return std::nullopt;
  if (!format_name.empty() && format_name != "table") {
    throw UsageError(fmt::format("--chart draws in the table format only, not in {}; leave out "
                                 "--chart or --format {}",
                                 format_name, format_name));
  }
  if (!write.columns.empty()) {
    throw UsageError("--columns applies to csv, tsv, json and jsonl output, not to --chart; leave "
                     "out one of them");
  }
  write.format = format::Format::table;
  TerminalStyle style;
  style.width = flags.width > 0       ? flags.width
                : write.max_width > 0 ? write.max_width
                                      : k_default_width;
  style.ascii = flags.ascii;
  style.chinese = chinese;
  return style;
}

} // namespace jjstat::chart
