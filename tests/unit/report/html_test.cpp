#include "jjstat/report/html.hpp"

#include "../xml_check.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using namespace jjstat::report;
using jjstat::test::xml_error;

namespace {

Document nasty() {
  Document document;
  document.title = "R&D <report> \"quoted\"";
  document.chinese = true;
  document.blocks.push_back(Heading{1, document.title});
  document.blocks.push_back(Paragraph{"a < b & c > d \x1b[31m \xff"});
  Table table;
  table.caption = "<caption>";
  table.headers = {"figure", "value"};
  table.align = {Align::left, Align::right};
  table.rows.push_back(
      {{Phrase{"</td><script>alert(1)</script>", {}}}, {Phrase{"26.4", {"projected"}}}});
  document.blocks.push_back(table);
  document.blocks.push_back(Items{{"1 亿元 = 10 000 万元 & 1 平方公里 = 1 500 亩"}});
  chart::BarChart bars;
  bars.title = "Bars & <more>";
  chart::Bar bar;
  bar.labels = {"甲区\"<"};
  bar.value = 3;
  bar.value_text = "3 亿元";
  bars.bars = {bar};
  document.blocks.push_back(Figure{bars});
  chart::LineChart line;
  line.title = "Line";
  line.periods = {"2017", "2018", "2019"};
  line.values = {1.0, std::nullopt, 3.0};
  line.value_texts = {"1", "n/a", "3"};
  document.blocks.push_back(Figure{line});
  document.footnotes = {{"projected", "预计 <estimate> & more"}};
  return document;
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_html)

BOOST_AUTO_TEST_CASE(self_contained_and_well_formed) {
  std::string html = to_html(nasty());
  auto error = xml_error(html);
  BOOST_TEST(!error, (error ? *error : ""));
  BOOST_TEST(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
  BOOST_TEST(html.find("Content-Security-Policy") != std::string::npos);
  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("&lt;/td&gt;&lt;script&gt;") != std::string::npos);
  BOOST_TEST(html.find("src=") == std::string::npos);
  BOOST_TEST(html.find("http://") == html.find("http://www.w3.org/2000/svg"));
  BOOST_TEST(html.find("@page { size: A4;") != std::string::npos);
  BOOST_TEST(html.find("\"Noto Sans CJK SC\"") != std::string::npos);
  // The footnote mark links to its note, numbered by first use.
  BOOST_TEST(html.find("26.4<sup class=\"fn\"><a href=\"#fn-projected\">1</a></sup>") !=
             std::string::npos);
  BOOST_TEST(html.find("<li id=\"fn-projected\">预计 &lt;estimate&gt; &amp; more</li>") !=
             std::string::npos);
  BOOST_TEST(html.find("<figure>\n<figcaption>Bars &amp; &lt;more&gt;</figcaption>\n<svg") !=
             std::string::npos);
  BOOST_TEST(html.find("<td class=\"num\">") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deterministic) { BOOST_TEST(to_html(nasty()) == to_html(nasty())); }

BOOST_AUTO_TEST_SUITE_END()
