#include "jjstat/chart/svg.hpp"

#include "../xml_check.hpp"

#include <boost/test/unit_test.hpp>

#include <regex>

using namespace jjstat;
using namespace jjstat::chart;
using jjstat::test::xml_error;

namespace {

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

Bar bar(std::string label, std::optional<double> value, std::string text) {
  Bar b;
  b.labels = {std::move(label)};
  b.value = value;
  b.value_text = std::move(text);
  return b;
}

/// The x and width of each bar.
std::vector<std::pair<double, double>> bar_boxes(const std::string& svg) {
  std::vector<std::pair<double, double>> boxes;
  std::regex rect(R"re(<rect class="bar[^"]*" x="([-0-9.]+)" y="[-0-9.]+" width="([-0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator();
       ++it) {
    boxes.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return boxes;
}

} // namespace

BOOST_AUTO_TEST_SUITE(chart_svg)

BOOST_AUTO_TEST_CASE(the_checker_rejects_malformed_xml) {
  BOOST_TEST(!xml_error("<svg a=\"1\"><title>x &amp; y &#20013; &#x4e2d;</title><g/></svg>"));
  BOOST_TEST(!xml_error("<!DOCTYPE html>\n<html><body><p>a</p></body></html>\n"));
  BOOST_TEST(xml_error("<a><b></a></b>").has_value());
  BOOST_TEST(xml_error("<a x=1/>").has_value());
  BOOST_TEST(xml_error("<a x=\"1\" x=\"2\"/>").has_value());
  BOOST_TEST(xml_error("<a x=\"<\"/>").has_value());
  BOOST_TEST(xml_error("<a>R&D</a>").has_value());
  BOOST_TEST(xml_error("<a>1 < 2</a>").has_value());
  BOOST_TEST(xml_error("<a/><b/>").has_value());
  BOOST_TEST(xml_error("<a>").has_value());
  BOOST_TEST(xml_error("<a>\x1b</a>").has_value());
  BOOST_TEST(xml_error("<a>\xff</a>").has_value());
  BOOST_TEST(xml_error("<a>&nbsp;</a>").has_value());
  BOOST_TEST(xml_error("text").has_value());
}

BOOST_AUTO_TEST_CASE(escaping) {
  BOOST_TEST(xml_escape("R&D <b> \"q\" 'a'") == "R&amp;D &lt;b&gt; &quot;q&quot; 'a'");
  BOOST_TEST(xml_escape("江津区") == "江津区");
  // XML 1.0 cannot hold controls even as references: they are shown as escapes.
  BOOST_TEST(xml_escape("a\x1b[31mb") == "a\\x1b[31mb");
  BOOST_TEST(xml_escape("\xff") == "\\xff");
  BOOST_TEST(!xml_error("<t>" + xml_escape("<script>&amp;\x01\"\xc3") + "</t>"));
}

BOOST_AUTO_TEST_CASE(bars_of_every_kind_of_value_are_valid_xml) {
  BarChart chart;
  chart.title = "Fiscal <balance> & \"more\"";
  chart.unit = "亿元";
  chart.bars = {bar("甲区 <a&b>", 3.2, "3.2 亿元"), bar("zero", 0, "0 亿元"),
                bar("negative", -0.4, "-0.4 亿元"), bar("missing", std::nullopt, "n/a"),
                bar("\x1b[31mcontrol\xff", 1e-9, "0.000000001 亿元")};
  chart.bars[3].note = "value for 2020 is missing";
  std::string svg = bar_chart_svg(chart, false);
  auto error = xml_error(svg);
  BOOST_TEST(!error, (error ? *error : ""));
  BOOST_TEST(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  BOOST_TEST(svg.find("<title>Fiscal &lt;balance&gt; &amp; &quot;more&quot;</title>") !=
             std::string::npos);
  BOOST_TEST(svg.find("aria-label=\"Fiscal &lt;balance&gt;") != std::string::npos);
  BOOST_TEST(svg.find("<desc>") != std::string::npos);
  BOOST_TEST(svg.find("missing: n/a (value for 2020 is missing)") != std::string::npos);
  BOOST_TEST(svg.find("value (亿元)") != std::string::npos);
  // A bar for each present value, the zero one 0 wide; none for the missing one.
  BOOST_TEST(count(svg, "<rect class=\"bar") == 4U);
  BOOST_TEST(count(svg, "class=\"bar negative\"") == 1U);
  std::vector<std::pair<double, double>> boxes = bar_boxes(svg);
  BOOST_TEST_REQUIRE(boxes.size() == 4U);
  BOOST_TEST(boxes[1].second == 0.0);
  // A non-zero value is never drawn thinner than 2 px, and the negative bar ends at the axis.
  BOOST_TEST(boxes[3].second >= 2.0);
  BOOST_TEST(boxes[2].first + boxes[2].second == boxes[0].first,
             boost::test_tools::tolerance(0.11));
  // Six orders of magnitude with a zero and a negative value: linear, and said.
  BOOST_TEST(svg.find("orders of magnitude, with zero or negative ones") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(six_orders_of_magnitude_on_a_log_scale) {
  BarChart chart;
  chart.title = "Data stored, 2020 (TB)";
  chart.unit = "TB";
  chart.bars = {bar("A", 850000, "850000 TB"), bar("B", 3400, "3400 TB"), bar("C", 12, "12 TB"),
                bar("D", 0.5, "0.5 TB")};
  std::string svg = bar_chart_svg(chart, true);
  BOOST_TEST(!xml_error(svg));
  BOOST_TEST(svg.find("对数刻度：数值跨越6个数量级") != std::string::npos);
  BOOST_TEST(svg.find("数值（TB）") != std::string::npos);
  std::vector<std::pair<double, double>> boxes = bar_boxes(svg);
  BOOST_TEST_REQUIRE(boxes.size() == 4U);
  // Each bar a visible length, longest first, all from the same start.
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    BOOST_TEST(boxes[i].second > 20.0);
    BOOST_TEST(boxes[i].first == boxes[0].first);
    if (i > 0) BOOST_TEST(boxes[i].second < boxes[i - 1].second);
  }
  BOOST_TEST(svg.find(">1000000</text>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(linear_bars_are_proportional) {
  BarChart chart;
  chart.title = "Amount";
  chart.bars = {bar("a", 25650, "25650 万元"), bar("b", 1500, "1500 万元"), bar("c", 9080, "9080")};
  std::string svg = bar_chart_svg(chart, false);
  std::vector<std::pair<double, double>> boxes = bar_boxes(svg);
  BOOST_TEST_REQUIRE(boxes.size() == 3U);
  // The axis ends at 30000, a round tick.
  BOOST_TEST(boxes[1].second / boxes[0].second == 1500.0 / 25650,
             boost::test_tools::tolerance(0.01));
  BOOST_TEST(svg.find(">30000</text>") != std::string::npos);
  BOOST_TEST(svg.find("orders of magnitude") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_and_all_missing_charts) {
  BarChart chart;
  chart.title = "Nothing";
  BOOST_TEST(!xml_error(bar_chart_svg(chart, false)));
  chart.bars = {bar("a", std::nullopt, "n/a")};
  std::string svg = bar_chart_svg(chart, false);
  BOOST_TEST(!xml_error(svg));
  BOOST_TEST(count(svg, "<rect") == 0U);
}

BOOST_AUTO_TEST_CASE(lines_break_at_missing_periods) {
  LineChart chart;
  chart.title = "Output: District B (亿元)";
  chart.unit = "亿元";
  chart.periods = {"2017", "2018", "2019", "2020"};
  chart.values = {0.0, 40.0, std::nullopt, 52.0};
  chart.value_texts = {"0", "40", "n/a", "52"};
  std::string svg = line_chart_svg(chart, false);
  auto error = xml_error(svg);
  BOOST_TEST(!error, (error ? *error : ""));
  BOOST_TEST(count(svg, "<circle class=\"point\"") == 3U);
  // 2017-2018 joined; 2020 alone after the gap.
  BOOST_TEST(count(svg, "<polyline") == 1U);
  BOOST_TEST(svg.find(">n/a</text>") != std::string::npos);
  BOOST_TEST(svg.find(">period</text>") != std::string::npos);
  BOOST_TEST(svg.find(">value (亿元)</text>") != std::string::npos);
  BOOST_TEST(svg.find("<desc>2017: 0; 2018: 40; 2019: n/a; 2020: 52</desc>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(lines_of_negative_and_huge_values) {
  LineChart chart;
  chart.title = "x";
  chart.periods = {"2018", "2019", "2020"};
  chart.values = {-5.0, -12.5, 3.2};
  chart.value_texts = {"-5", "-12.5", "3.2"};
  std::string svg = line_chart_svg(chart, false);
  BOOST_TEST(!xml_error(svg));
  BOOST_TEST(svg.find("class=\"zero\"") != std::string::npos);
  chart.values = {0.5, 3400.0, 850000.0};
  svg = line_chart_svg(chart, false);
  BOOST_TEST(!xml_error(svg));
  BOOST_TEST(svg.find("log scale") != std::string::npos);
  LineChart long_chart;
  long_chart.title = "monthly";
  for (int m = 1; m <= 40; ++m) {
    long_chart.periods.push_back(std::to_string(m));
    long_chart.values.push_back(m % 7 == 0 ? std::nullopt : std::optional<double>(m));
    long_chart.value_texts.push_back(std::to_string(m));
  }
  svg = line_chart_svg(long_chart, false);
  BOOST_TEST(!xml_error(svg));
  BOOST_TEST(count(svg, "<circle class=\"point\"") == 35U);
}

BOOST_AUTO_TEST_SUITE_END()
