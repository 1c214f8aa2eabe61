#include "jjstat/error.hpp"
#include "jjstat/stats/rank.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

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

// A ranking puts its rows in rank_order() and reads every method's ranks along it: that order is
// the rows sorted by their ranks (ties in input order), for every method, on random values
// with many ties and missing ones, long enough for the sort to merge.
BOOST_AUTO_TEST_CASE(rank_order_is_the_order_of_the_ranks_for_every_method) {
  std::mt19937_64 random(20261201);
  std::uniform_int_distribution<int> size(1, 300), value(-5, 12);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::optional<double>> values(static_cast<std::size_t>(size(random)));
    for (auto& v : values) {
      const int x = value(random);
      if (x > 9) continue; // missing
      v = x / 2.0;
    }
    const bool ascending = round % 2 == 1;
    const std::vector<std::size_t> order = rank_order(values, ascending);
    for (TieMethod method : {TieMethod::min, TieMethod::max, TieMethod::dense, TieMethod::average,
                             TieMethod::ordinal}) {
      const std::vector<double> by_method = rank_values(values, method, ascending);
      std::vector<std::size_t> sorted(values.size());
      std::iota(sorted.begin(), sorted.end(), std::size_t{0});
      std::stable_sort(sorted.begin(), sorted.end(),
                       [&](std::size_t a, std::size_t b) { return by_method[a] < by_method[b]; });
      BOOST_TEST(order == sorted, "round " << round << ", method " << tie_method_name(method));
      BOOST_TEST(ranks_in_order(values, order, method) == by_method);
    }
  }
}

// Many values (a radix sort of their bits from 4096 on) are put in the order a stable sort by
// the ranking's comparison gives: ties (+0 and -0 among them) in input order, negative values
// below positive ones, infinities at the ends, missing values last; both directions.
BOOST_AUTO_TEST_CASE(rank_order_of_many_values_is_the_stable_comparison_order) {
  // The order of a stable sort by (missing, the value, negated when descending).
  auto reference = [](const std::vector<std::optional<double>>& values, bool ascending) {
    std::vector<std::pair<std::pair<bool, double>, std::size_t>> keyed;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = values[i].value_or(0.0);
      keyed.push_back({{!values[i].has_value(), ascending ? v : -v}, i});
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::size_t> order;
    for (const auto& entry : keyed) order.push_back(entry.second);
    return order;
  };
  std::mt19937 rng(11);
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> special = {0.0,     -0.0,  inf,    -inf, 1e-310,
                                       -1e-310, 1e308, -1e308, 0.5,  -0.5};
  for (std::size_t size : {4095, 4096, 20000}) {
    std::vector<std::optional<double>> values;
    for (std::size_t i = 0; i < size; ++i) {
      const unsigned kind = rng() % 10;
      if (kind == 0) {
        values.emplace_back();
      } else if (kind < 3) {
        values.emplace_back(special[rng() % special.size()]);
      } else if (kind < 6) {
        values.emplace_back(static_cast<double>(rng() % 50) - 25.0); // many ties
      } else {
        values.emplace_back(std::ldexp(static_cast<double>(rng()) - 2147483648.0,
                                       static_cast<int>(rng() % 80) - 40));
      }
    }
    for (bool ascending : {false, true}) {
      BOOST_TEST(rank_order(values, ascending) == reference(values, ascending),
                 "size " << size << (ascending ? " ascending" : " descending"));
    }
    // (With a NaN the comparison orders nothing: the order is a permutation all the same.)
    values[size / 2] = std::nan("");
    std::vector<std::size_t> order = rank_order(values, false);
    std::sort(order.begin(), order.end());
    std::vector<std::size_t> every(size);
    std::iota(every.begin(), every.end(), std::size_t{0});
    BOOST_TEST(order == every, "size " << size << " NaN");
  }
  // All alike: every byte the same, no pass to make.
  const std::vector<std::optional<double>> same(5000, 7.25);
  std::vector<std::size_t> in_order(5000);
  std::iota(in_order.begin(), in_order.end(), std::size_t{0});
  BOOST_TEST(rank_order(same, false) == in_order);
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

// Figures of several indicators interleaved (a file sorted by period): each ranking holds all
// of its indicator's figures, and the rankings come in order of first appearance.
BOOST_AUTO_TEST_CASE(rankings_gather_interleaved_figures_in_order_of_appearance) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\n"
            "e1,b,2020,5,家\ne1,a,2020,3,家\ne2,b,2020,7,家\ne2,a,2020,9,家\n"
            "e3,c,2020,1,家\ne3,b,2020,6,家\n",
            "t.csv");
  std::vector<std::string> seen;
  for (const RankedRow& row : rank_figures(all_of(data), RankRequest{}))
    seen.push_back(row.ranking + " " + std::to_string(static_cast<int>(row.rank)) + " " +
                   row.entity);
  const std::vector<std::string> expected = {"b 1 e2", "b 2 e3", "b 3 e1",
                                             "a 1 e2", "a 2 e1", "c 1 e3"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

// A period of another kind than the series' (a quarter of yearly figures) is said as growth
// says it, not as a gap in the data; a year without a figure is "no value".
BOOST_AUTO_TEST_CASE(notes_name_a_period_of_another_kind) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,x,2020,1,个\nb,x,2020,2,个\nb,x,2021,3,个\n",
            "t.csv");
  RankRequest request;
  request.period = Period::parse("2021Q1");
  std::vector<RankedRow> rows = rank_figures(all_of(data), request);
  BOOST_TEST_REQUIRE(rows.size() == 2U);
  BOOST_TEST(!rows[0].measure.has_value());
  BOOST_TEST(note_text(rows[0], false) == "2021Q1 is not of the series' kind of period");
  BOOST_TEST(note_text(rows[1], true) == "2021Q1与序列的时期类型不同");
  request.period = Period::parse("2021");
  rows = rank_figures(all_of(data), request);
  BOOST_TEST_REQUIRE(rows.size() == 2U);
  BOOST_TEST(rows[0].entity == "b");
  BOOST_TEST(note_text(rows[0], false).empty());
  BOOST_TEST(note_text(rows[1], false) == "no value for 2021");
  BOOST_TEST(note_text(rows[1], true) == "2021无数据");
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
  BOOST_TEST(note_text(rows[4], false) == "value for 2020 is missing");
  BOOST_TEST(note_text(rows[4], true) == "2020数值缺失");
}

// --top leaves out, before ranking, the figures worse than the top-th best: on random values
// with many ties and missing ones, every tie method and both directions, what it keeps is
// exactly the rows of the full ranking whose competition rank (1 + the number strictly better)
// is within the cut, with the same ranks, in the same order.
BOOST_AUTO_TEST_CASE(top_gives_the_rows_of_the_full_ranking_within_the_cut) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string csv = "entity,indicator,period,value,unit\n";
    const int count = 1 + static_cast<int>(rng() % 40);
    for (int e = 0; e < count; ++e) {
      csv += "e" + std::to_string(e) + ",x,2020,";
      if (rng() % 6 != 0) csv += std::to_string(rng() % 8); // few values: many ties
      csv += ",个\n";
    }
    Dataset data;
    data.load(csv, "t.csv");
    RankRequest request;
    request.ties = static_cast<TieMethod>(rng() % 5);
    request.ascending = rng() % 2 == 0;
    const std::vector<RankedRow> all = rank_figures(all_of(data), request);
    request.top = (rng() % 3 == 0) ? 0.5 + rng() % 12 : 1.0 + rng() % 12; // 2.5 keeps ranks up to 2
    const std::vector<RankedRow> cut = rank_figures(all_of(data), request);
    std::vector<const RankedRow*> expected;
    for (const RankedRow& row : all) {
      std::size_t better = 0;
      for (const RankedRow& other : all) {
        if (!other.measure) continue;
        if (!row.measure) {
          ++better;
        } else {
          double a = to_double(*other.measure), b = to_double(*row.measure);
          if (request.ascending ? a < b : a > b) ++better;
        }
      }
      if (static_cast<double>(better + 1) <= *request.top) expected.push_back(&row);
    }
    BOOST_TEST_REQUIRE(cut.size() == expected.size(), "round " << round);
    for (std::size_t i = 0; i < cut.size(); ++i) {
      BOOST_TEST(cut[i].entity == expected[i]->entity, "round " << round << " row " << i);
      BOOST_TEST(cut[i].rank == expected[i]->rank, "round " << round << " row " << i);
    }
  }
}

// The same for every measure: series of two or three periods in two units of one dimension,
// some values or periods missing, qualifiers on some figures, grouped or not, pooled or not,
// whole and fractional cuts. With --top, a
// ranking measures every series first and makes the rows of the contenders only: those rows
// must equal, field by field, the rows of the full ranking within the cut.
BOOST_AUTO_TEST_CASE(top_rows_equal_the_full_rankings_rows_for_every_measure) {
  std::mt19937 rng(23);
  const std::vector<std::string> units = {"亿元", "万元"};
  for (int round = 0; round < 300; ++round) {
    std::string csv = "entity,indicator,period,value,unit,qualifiers\n";
    const int count = 1 + static_cast<int>(rng() % 30);
    for (int e = 0; e < count; ++e) {
      for (const char* period : {"2016", "2018", "2020"}) {
        if (rng() % 5 == 0) continue; // a period missing
        csv += "e" + std::to_string(e) + ",x," + period + ",";
        if (rng() % 7 != 0)
          csv += std::to_string(static_cast<int>(rng() % 9) - 2); // 0 and below too
        csv += "," + units[rng() % 2] + "," + (rng() % 4 == 0 ? "approximate" : "") + "\n";
      }
    }
    Dataset data;
    data.load(csv, "t.csv");
    if (data.observations().empty()) continue;
    RankRequest request;
    request.by = static_cast<RankBy>(rng() % 4);
    request.ties = static_cast<TieMethod>(rng() % 5);
    request.ascending = rng() % 2 == 0;
    request.grouped = rng() % 2 == 0;
    if (request.by != RankBy::value && rng() % 2 == 0) {
      request.from = Period::year(2016);
      request.to = Period::year(2020);
    }
    request.pool = rng() % 3 == 0;
    const std::vector<RankedRow> all = rank_figures(all_of(data), request);
    // 2.5 keeps ranks up to 2.
    request.top = (rng() % 3 == 0 ? 0.5 : 1.0) + static_cast<double>(rng() % 8);
    const std::vector<RankedRow> cut = rank_figures(all_of(data), request);
    std::vector<const RankedRow*> expected;
    std::vector<double> competition = rank_values(
        [&] {
          std::vector<std::optional<double>> keys;
          for (const RankedRow& row : all) {
            keys.push_back(row.measure ? std::optional<double>(to_double(*row.measure))
                                       : std::nullopt);
          }
          return keys;
        }(),
        TieMethod::min, request.ascending);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (competition[i] <= *request.top) expected.push_back(&all[i]);
    }
    BOOST_TEST_REQUIRE(cut.size() == expected.size(), "round " << round);
    for (std::size_t i = 0; i < cut.size(); ++i) {
      BOOST_TEST_CONTEXT("round " << round << " row " << i) {
        const RankedRow& want = *expected[i];
        BOOST_TEST(cut[i].ranking == want.ranking);
        BOOST_TEST(cut[i].rank == want.rank);
        BOOST_TEST(cut[i].entity == want.entity);
        BOOST_TEST(cut[i].indicator == want.indicator);
        BOOST_TEST(cut[i].period == want.period);
        BOOST_TEST(cut[i].measure.has_value() == want.measure.has_value());
        if (cut[i].measure && want.measure) {
          BOOST_TEST(jjstat::to_string(*cut[i].measure) == jjstat::to_string(*want.measure));
        }
        BOOST_TEST(cut[i].unit == want.unit);
        BOOST_TEST(cut[i].observation == want.observation);
        BOOST_TEST(cut[i].qualifiers.ids() == want.qualifiers.ids());
        BOOST_TEST(note_text(cut[i], false) == note_text(want, false));
      }
    }
  }
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
  BOOST_TEST(note_text(rows[2], false) == "base value is 0: no percent change or CAGR");
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
