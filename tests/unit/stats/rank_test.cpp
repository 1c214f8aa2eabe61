#include "jjstat/error.hpp"
#include "jjstat/stats/rank.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using namespace jjstat::stats;

namespace {

std::vector<double> ranks(std::vector<std::optional<double>> values, TieMethod method,
                          bool ascending = false) {
  return rank_values(values, method, ascending);
}

std::vector<const Observation*> all_of(const Dataset& data) {
  std::vector<const Observation*> all;
  for (const Observation& obs : data.observations()) all.push_back(&obs);
  return all;
}

} // namespace

BOOST_AUTO_TEST_SUITE(rank)

// The textbook example: [10, 20, 20, 30], largest first.
BOOST_AUTO_TEST_CASE(tie_methods) {
  std::vector<std::optional<double>> v = {10, 20, 20, 30};
  BOOST_TEST(ranks(v, TieMethod::min) == (std::vector<double>{4, 2, 2, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::dense) == (std::vector<double>{3, 2, 2, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::average) == (std::vector<double>{4, 2.5, 2.5, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::ordinal) == (std::vector<double>{4, 2, 3, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::max) == (std::vector<double>{4, 3, 3, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::min, true) == (std::vector<double>{1, 2, 2, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_values_rank_last) {
  std::vector<std::optional<double>> v = {std::nullopt, 5, std::nullopt, 7};
  BOOST_TEST(ranks(v, TieMethod::min) == (std::vector<double>{3, 2, 3, 1}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::min, true) == (std::vector<double>{3, 1, 3, 2}), boost::test_tools::per_element());
  BOOST_TEST(ranks(v, TieMethod::ordinal) == (std::vector<double>{3, 2, 4, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(units_are_converted_before_comparing) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\nseed,amount,2021,1500,万元\n"
            "patent,amount,2021,2.565,亿元\ncredit,amount,2021,9080,万元\nincentive,amount,2021,4000,万元\n",
            "t.csv");
  std::vector<RankedRow> rows = rank_figures(all_of(data), RankRequest{});
  BOOST_TEST_REQUIRE(rows.size() == 4U);
  BOOST_TEST(rows[0].entity == "patent");
  BOOST_TEST(to_string(*rows[0].measure) == "25650");
  BOOST_TEST(rows[0].unit == "万元");
  BOOST_TEST(rows[1].entity == "credit");
  BOOST_TEST(rows[2].entity == "incentive");
  BOOST_TEST(rows[3].entity == "seed");
}

BOOST_AUTO_TEST_CASE(top_keeps_ties_at_the_cut) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,x,2020,30,个\nb,x,2020,20,个\nc,x,2020,20,个\n"
            "d,x,2020,10,个\ne,x,2020,,个\n",
            "t.csv");
  RankRequest request;
  request.top = 2;
  std::vector<RankedRow> rows = rank_figures(all_of(data), request);
  BOOST_TEST(rows.size() == 3U);
  request.top.reset();
  rows = rank_figures(all_of(data), request);
  BOOST_TEST_REQUIRE(rows.size() == 5U);
  BOOST_TEST(rows[4].entity == "e");
  BOOST_TEST(rows[4].rank == 5.0);
  BOOST_TEST(rows[4].note == "value for 2020 is missing");
}

BOOST_AUTO_TEST_CASE(growth_measures) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,x,2016,10,个\na,x,2020,20,个\n"
            "b,x,2016,10,个\nb,x,2020,40,个\nc,x,2016,0,个\nc,x,2020,5,个\n",
            "t.csv");
  RankRequest request;
  request.by = RankBy::cagr;
  std::vector<RankedRow> rows = rank_figures(all_of(data), request);
  BOOST_TEST_REQUIRE(rows.size() == 3U);
  BOOST_TEST(rows[0].entity == "b");
  BOOST_TEST(rows[0].period == "2016/2020");
  BOOST_TEST(rows[2].entity == "c");
  BOOST_TEST(!rows[2].measure.has_value());
  BOOST_TEST(rows[2].note == "base value is 0: no percent change or CAGR");
  request.by = RankBy::change;
  rows = rank_figures(all_of(data), request);
  BOOST_TEST(rows[0].entity == "b");
  BOOST_TEST(rows[1].entity == "a");
  BOOST_TEST(rows[2].entity == "c");
  BOOST_TEST(rows[2].rank == 3.0);
}

BOOST_AUTO_TEST_CASE(pooling_refuses_mixed_dimensions) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,amount,2021,5,万元\na,firms,2021,3,家\n", "t.csv");
  RankRequest request;
  request.pool = true;
  BOOST_CHECK_EXCEPTION(rank_figures(all_of(data), request), UsageError, [](const UsageError& e) {
    return std::string(e.what()) ==
           "cannot rank 'amount' (money) together with 'firms' (count of 家): quantities of "
           "different dimensions are never ranked together";
  });
}

BOOST_AUTO_TEST_SUITE_END()
