#pragma once
/// What a chart shows, before it is drawn in a terminal or as SVG: bars with their labels and
/// values, or a series of values over periods.

#include "jjstat/report.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jjstat::chart {

/// One bar: what it stands for, its length and its value as printed beside it.
struct Bar {
  std::vector<std::string> labels; ///< one per label column: "1", "Patent pledge loans"
  std::optional<double> value;     ///< the length, in the chart's unit; nullopt: no bar
  std::string value_text;          ///< beside the bar: "25650 万元"; "n/a" when missing
  std::string note;                ///< why a missing value is missing ("base value is 0")
  /// A series for the sparkline column (drawn when it has three or more periods; nullopt for
  /// a period without a value).
  std::vector<std::optional<double>> trend;
};

/// Horizontal bars that share one unit: a ranking, a column of growth rates.
struct BarChart {
  std::string title;              ///< "Amount, 2021"
  std::string unit;               ///< the unit of the lengths ("万元"); may be empty
  std::vector<Align> label_align; ///< how each label column lines up in a terminal
  std::vector<Bar> bars;
};

/// The values of one series over its periods.
struct LineChart {
  std::string title;                         ///< "Output: District A"
  std::string unit;                          ///< the unit of the values ("亿元")
  std::vector<std::string> periods;          ///< in order: "2016", "2017", ...
  std::vector<std::optional<double>> values; ///< one per period; nullopt: missing
  std::vector<std::string> value_texts;      ///< one per period, as printed ("n/a" when missing)
};

} // namespace jjstat::chart
