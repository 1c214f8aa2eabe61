#include "jjstat/chart/terminal.hpp"

#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace jjstat;
using namespace jjstat::chart;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

Bar bar(std::vector<std::string> labels, std::optional<double> value, std::string text) {
  Bar b;
  b.labels = std::move(labels);
  b.value = value;
  b.value_text = std::move(text);
  return b;
}

} // namespace

BOOST_AUTO_TEST_SUITE(chart_terminal)

BOOST_AUTO_TEST_CASE(eighth_blocks) {
  BOOST_TEST(bar_cells(0, false, false) == "");
  BOOST_TEST(bar_cells(-1, false, false) == "");
  BOOST_TEST(bar_cells(1, false, false) == "█");
  BOOST_TEST(bar_cells(2.5, false, false) == "██▌");
  BOOST_TEST(bar_cells(0.125, false, false) == "▏");
  BOOST_TEST(bar_cells(1.875, false, false) == "█▉");
  // A value too small to see still gets the smallest step.
  BOOST_TEST(bar_cells(0.001, false, false) == "▏");
  // Leftwards (negative values) in halves, the half on the far side.
  BOOST_TEST(bar_cells(2.5, true, false) == "▐██");
  BOOST_TEST(bar_cells(0.01, true, false) == "▐");
  BOOST_TEST(bar_cells(2.5, false, true) == "##=");
  BOOST_TEST(bar_cells(2.5, true, true) == "=##");
  BOOST_TEST(bar_cells(3, false, true) == "###");
}

BOOST_AUTO_TEST_CASE(sparklines) {
  BOOST_TEST(sparkline({1.0, 2.0}, false) == "");
  BOOST_TEST(sparkline({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0}, false) == "▁▂▃▄▅▆▇█");
  BOOST_TEST(sparkline({8.0, std::nullopt, 1.0}, false) == "█ ▁");
  BOOST_TEST(sparkline({5.0, 5.0, 5.0}, false) == "▅▅▅");
  BOOST_TEST(sparkline({-3.0, 0.0, 3.0}, false) == "▁▅█");
  BOOST_TEST(sparkline({1.0, 2.0, 3.0, 4.0}, true) == "_-=#");
}

BOOST_AUTO_TEST_CASE(labels_aligned_by_display_width) {
  BarChart chart;
  chart.title = "Amount, 2021";
  chart.label_align = {Align::right, Align::left};
  chart.bars = {bar({"1", "专利质押贷款"}, 25650, "25650 万元"),
                bar({"2", "Seed fund"}, 1500, "1500 万元"), bar({"10", "x"}, std::nullopt, "n/a")};
  chart.bars[2].note = "value for 2021 is missing";
  TerminalStyle style;
  style.width = 50;
  std::string out =
      render({chart}, {"A note that is long enough to wrap at the width of the chart."}, style);
  // 50 columns: 18 of labels, 20 of bars, 2 + 10 of values; 1500 / 25650 × 20 = 1.17 columns.
  const std::string expected = "Amount, 2021\n"
                               " 1  专利质押贷款  ████████████████████  25650 万元\n"
                               " 2  Seed fund     █▏                     1500 万元\n"
                               "10  x             n/a (value for 2021 is missing)\n"
                               "\n"
                               "A note that is long enough to wrap at the width of\n"
                               "the chart.\n";
  BOOST_TEST(out == expected);
  for (const std::string& line : lines_of(out))
    BOOST_TEST(text::display_width(line) <= 50U);
}

BOOST_AUTO_TEST_CASE(negative_values_left_of_an_axis) {
  BarChart chart;
  chart.title = "Change";
  chart.bars = {bar({"a"}, 30, "+30"), bar({"b"}, -10, "-10"), bar({"c"}, 0, "0")};
  TerminalStyle style;
  style.width = 30;
  // 22 columns of bars over [-10, 30]: the axis after 5, 40 / 21 per column; +30 is 15.75
  // columns, -10 is 5.25 (halves to the left: 5).
  const std::string expected = "Change\n"
                               "a       │███████████████▊  +30\n"
                               "b  █████│                  -10\n"
                               "c       │                    0\n";
  BOOST_TEST(render({chart}, {}, style) == expected);
  style.ascii = true;
  BOOST_TEST(render({chart}, {}, style) == "Change\n"
                                           "a       |################  +30\n"
                                           "b  #####|                  -10\n"
                                           "c       |                    0\n");
  // -6.5 is 3.74 columns: three whole cells and the half on the far side.
  chart.bars[1].value = -6.5;
  BOOST_TEST(render({chart}, {}, style).find("\nb  =###|") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(narrow_widths_cut_labels_not_bars) {
  BarChart chart;
  chart.title = "A title far wider than the chart it heads";
  chart.bars = {bar({"团结湖大数据智能产业园"}, 3, "3.33 平方公里"),
                bar({"科学城江津园区"}, 200, "200 平方公里")};
  TerminalStyle style;
  style.width = 34;
  std::vector<std::string> lines = lines_of(render({chart}, {}, style));
  BOOST_TEST_REQUIRE(lines.size() == 4U);
  BOOST_TEST(lines[0] == "A title far wider than the chart");
  // The label is cut to 7 columns so that 10 are left for the bars.
  BOOST_TEST(lines[2] == "团结湖…  ▏           3.33 平方公里");
  for (const std::string& line : lines)
    BOOST_TEST(text::display_width(line) <= 34U);
}

BOOST_AUTO_TEST_CASE(log_scale_is_said) {
  BarChart chart;
  chart.title = "Data stored";
  chart.bars = {bar({"a"}, 850000, "850000 TB"), bar({"d"}, 0.5, "0.5 TB")};
  TerminalStyle style;
  style.width = 40;
  std::vector<std::string> lines = lines_of(render({chart}, {}, style));
  BOOST_TEST_REQUIRE(lines.size() == 5U);
  BOOST_TEST(lines[1] == "(log scale: values span 6 orders of");
  BOOST_TEST(lines[2] == "magnitude)");
  // Seven decades over 26 columns: 0.5 is log10(5) = 0.7 decade above 0.1, 2.6 columns.
  BOOST_TEST(lines[4] == "d  ██▋                            0.5 TB");
}

BOOST_AUTO_TEST_SUITE_END()
