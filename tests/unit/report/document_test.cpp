#include "jjstat/report/document.hpp"

#include "jjstat/report/markdown.hpp"
#include "jjstat/stats/derive.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using namespace jjstat::report;

namespace {

Dataset districts() {
  Dataset data;
  data.load("category,name_zh,name_en\neconomy,经济,Economy\nfinance,财政,Finance\n", "c.csv");
  data.load("entity,name_zh,name_en,kind\na,甲区,District A,district\nb,乙区,District B,district\n",
            "e.csv");
  data.load("entity,indicator,period,value,unit,qualifiers,category\n"
            "a,output,2017,120,亿元,,economy\na,output,2018,135,亿元,,\na,output,2019,150,亿元,"
            "projected,\n"
            "b,output,2017,0,亿元,,\nb,output,2019,9000,万元,approximate,\n"
            "a,balance,2019,-5,亿元,projected,finance\nb,balance,2019,,亿元,,\n",
            "o.csv");
  data.load("derived,kind,numerator,denominator,unit,category\n"
            "output_per_balance,ratio,output,balance,亿元/亿元,finance\n",
            "d.csv");
  data.load("claim,kind,subject,from,to,stated,unit,needs,statement_en\n"
            "growth_a,pct_change,a/output,2017,2019,25,%,,A grew 25%\n"
            "balance_b,unverifiable,b/balance,,2019,,,B's accounts,B balanced\n",
            "claims.csv");
  stats::add_derived_figures(data);
  return data;
}

template <typename T> std::vector<const T*> blocks_of(const Document& document) {
  std::vector<const T*> out;
  for (const Block& block : document.blocks) {
    if (const T* t = std::get_if<T>(&block)) out.push_back(t);
  }
  return out;
}

std::vector<std::string> headings(const Document& document) {
  std::vector<std::string> out;
  for (const Heading* h : blocks_of<Heading>(document))
    out.push_back(std::to_string(h->level) + " " + h->text);
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_document)

BOOST_AUTO_TEST_CASE(parts_in_order) {
  Dataset data = districts();
  DocumentOptions options;
  options.inputs = {"o.csv"};
  Document document = build_document(data, options);
  BOOST_TEST(document.title == "jjstat report");
  std::vector<std::string> expected = {"1 jjstat report",
                                       "2 Overview",
                                       "2 1. Economy",
                                       "3 Figures",
                                       "3 Growth",
                                       "3 Rankings",
                                       "2 2. Finance",
                                       "3 Figures",
                                       "3 Rankings",
                                       "3 Derived figures",
                                       "2 The source's claims, checked",
                                       "2 Methods",
                                       "2 Sources"};
  BOOST_TEST(headings(document) == expected, boost::test_tools::per_element());
  // One line chart, for the series of three periods; a bar chart per ranking of two entities
  // (output, balance and the derived ratio).
  std::size_t lines = 0;
  std::size_t bars = 0;
  for (const Figure* figure : blocks_of<Figure>(document)) {
    (std::holds_alternative<chart::LineChart>(figure->chart) ? lines : bars)++;
  }
  BOOST_TEST(lines == 1U);
  BOOST_TEST(bars == 3U);
}

BOOST_AUTO_TEST_CASE(the_numbers_are_those_of_the_stats) {
  Document document = build_document(districts(), DocumentOptions{});
  std::string md = to_markdown(document);
  // Growth of A from 2017 to 2019; B's zero base has no change %.
  BOOST_TEST(md.find("| output | District A | 2017/2019 | 120 | 150 | 亿元 | +30 | +25.00 | +11.80 "
                     "| projected |  |") != std::string::npos);
  BOOST_TEST(md.find("| output | District B | 2017/2019 | 0 | 0.9 | 亿元 | +0.9 | n/a | n/a | "
                     "approximate | base value is 0: no percent change or CAGR |") !=
             std::string::npos);
  // Ranked in one unit: 9000 万元 = 0.9 亿元.
  BOOST_TEST(md.find("| 2 | District B | 0.9 | 亿元 | 9000 | 万元 | approximate |  |") !=
             std::string::npos);
  BOOST_TEST(md.find("Of 2 claims, 1 holds, 0 fail and 1 cannot be checked") != std::string::npos);
  BOOST_TEST(md.find("| output_per_balance | District A | 2019 | -30.00 | 亿元/亿元 | projected, "
                     "derived | output / balance |") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_qualifier_is_footnoted_where_first_used) {
  Document document = build_document(districts(), DocumentOptions{});
  std::vector<std::string> ids;
  for (const Footnote& note : document.footnotes)
    ids.push_back(note.id);
  BOOST_TEST(ids == (std::vector<std::string>{"projected", "approximate", "derived"}),
             boost::test_tools::per_element());
  std::string md = to_markdown(document);
  std::size_t marks = 0;
  for (std::size_t at = md.find("[^projected]"); at != std::string::npos;
       at = md.find("[^projected]", at + 1))
    ++marks;
  BOOST_TEST(marks == 2U); // the mark and the note
}

BOOST_AUTO_TEST_CASE(one_category) {
  DocumentOptions options;
  options.category = "finance";
  options.chinese = true;
  Document document = build_document(districts(), options);
  BOOST_TEST(document.title == "jjstat 数据报告——财政");
  std::vector<std::string> expected = {
      "1 jjstat 数据报告——财政", "2 概览", "2 1. 财政", "3 数据", "3 排名", "3 推算指标",
      "2 原文论断核验",          "2 方法", "2 来源"};
  BOOST_TEST(headings(document) == expected, boost::test_tools::per_element());
  // Only the claim about a figure of the category.
  std::string md = to_markdown(document);
  BOOST_TEST(md.find("B balanced") != std::string::npos);
  BOOST_TEST(md.find("A grew 25%") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(same_data_same_document) {
  BOOST_TEST(to_markdown(build_document(districts(), {})) ==
             to_markdown(build_document(districts(), {})));
}

BOOST_AUTO_TEST_SUITE_END()
