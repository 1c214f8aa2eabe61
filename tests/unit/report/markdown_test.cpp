#include "jjstat/report/markdown.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using namespace jjstat::report;

BOOST_AUTO_TEST_SUITE(report_markdown)

BOOST_AUTO_TEST_CASE(escaping) {
  BOOST_TEST(markdown_escape("a|b") == "a\\|b");
  BOOST_TEST(markdown_escape("*x* _y_ `z` [l](u) <b> ~s~ $m$ \\") ==
             "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<b\\> \\~s\\~ \\$m\\$ \\\\");
  // Inside a word an underscore is no markup; R&D is no entity, &amp; would be.
  BOOST_TEST(markdown_escape("article_2021 R&D &amp; &#20013;") ==
             "article_2021 R&D \\&amp; \\&#20013;");
  BOOST_TEST(markdown_escape("江津区_甲") == "江津区_甲");
  BOOST_TEST(markdown_escape("a\nb\x1b") == "a\\\\nb\\\\x1b");
}

BOOST_AUTO_TEST_CASE(a_document) {
  Document document;
  document.title = "T";
  document.blocks.push_back(Heading{1, "Report: R&D | 研发"});
  document.blocks.push_back(Paragraph{"Data: my.csv."});
  Table table;
  table.caption = "Figures *as printed*.";
  table.headers = {"figure", "value", "qualifiers"};
  table.align = {Align::left, Align::right, Align::left};
  table.rows.push_back(
      {{Phrase{"a|b", {}}}, {Phrase{"26.4", {}}}, {Phrase{"projected", {"projected"}}}});
  table.rows.push_back({{Phrase{"c", {}}},
                        {Phrase{"n/a", {}}},
                        {Phrase{"projected", {}}, Phrase{", about", {"approximate"}}}});
  document.blocks.push_back(table);
  document.blocks.push_back(Items{{"one", "two"}});
  chart::BarChart bars;
  bars.title = "left out";
  document.blocks.push_back(Figure{bars});
  document.footnotes = {{"projected", "projected (预计): an estimate."},
                        {"approximate", "about (约)."}};
  const std::string expected = "# Report: R&D \\| 研发\n"
                               "\n"
                               "Data: my.csv.\n"
                               "\n"
                               "*Figures \\*as printed\\*.*\n"
                               "\n"
                               "| figure | value | qualifiers |\n"
                               "| --- | ---: | --- |\n"
                               "| a\\|b | 26.4 | projected[^projected] |\n"
                               "| c | n/a | projected, about[^approximate] |\n"
                               "\n"
                               "- one\n"
                               "- two\n"
                               "\n"
                               "[^projected]: projected (预计): an estimate.\n"
                               "[^approximate]: about (约).\n";
  BOOST_TEST(to_markdown(document) == expected);
}

BOOST_AUTO_TEST_SUITE_END()
