#include "jjstat/stats/describe.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using namespace jjstat::stats;

namespace {

std::optional<Number> amount(const char* text) { return Number(parse_decimal(text).value); }

std::string text(const std::optional<Number>& n) { return n ? to_string(*n) : "missing"; }

} // namespace

BOOST_AUTO_TEST_SUITE(describe)

// 1.5 亿元, 2500 万元, a missing 亿元, 3 亿元, 4000 万元: 亿元 has 3 of the 5 rows, so the group is
// described in 亿元: 2500 万元 = 0.25 亿元, 4000 万元 = 0.4 亿元; count 4, missing 1,
// sum 1.5 + 0.25 + 3 + 0.4 = 5.15, mean 5.15 / 4 = 1.2875, min 0.25, max 3.
BOOST_AUTO_TEST_CASE(mixed_units_are_converted_to_the_most_common) {
  Aggregate all;
  all.add(amount("1.5"), "亿元", {});
  all.add(amount("2500"), "万元", {});
  all.add(std::nullopt, "亿元", {});
  all.add(amount("3"), "亿元", {});
  all.add(amount("4000"), "万元", {});
  const Description d = all.finish("investment", *Period::parse("2020"));
  BOOST_TEST(d.unit == "亿元");
  BOOST_TEST(d.count == 4U);
  BOOST_TEST(d.missing == 1U);
  BOOST_TEST(text(d.sum) == "5.15");
  BOOST_TEST(*d.mean == 1.2875, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(text(d.min) == "0.25");
  BOOST_TEST(text(d.max) == "3");
}

// Partial totals merged give what one aggregate over every row gives, whichever way the rows
// are split (the streaming engine totals each piece of a file apart).
BOOST_AUTO_TEST_CASE(merged_parts_equal_the_whole) {
  struct Row {
    const char* value;
    const char* unit;
  };
  const std::vector<Row> rows = {{"1.5", "亿元"}, {"2500", "万元"}, {"", "亿元"},
                                 {"3", "亿元"},   {"4000", "万元"}, {"-0.5", "亿元"}};
  auto add = [](Aggregate& a, const Row& row) {
    a.add(*row.value ? amount(row.value) : std::nullopt, row.unit, {});
  };
  Aggregate whole;
  for (const Row& row : rows) add(whole, row);
  const Description expected = whole.finish("investment", *Period::parse("2020"));
  for (std::size_t split = 0; split <= rows.size(); ++split) {
    BOOST_TEST_CONTEXT("split after row " << split) {
      Aggregate first, second;
      for (std::size_t r = 0; r < rows.size(); ++r) add(r < split ? first : second, rows[r]);
      first.merge(second);
      const Description d = first.finish("investment", *Period::parse("2020"));
      BOOST_TEST(d.unit == expected.unit);
      BOOST_TEST(d.count == expected.count);
      BOOST_TEST(d.missing == expected.missing);
      BOOST_TEST(text(d.sum) == text(expected.sum));
      BOOST_TEST(text(d.min) == text(expected.min));
      BOOST_TEST(text(d.max) == text(expected.max));
      BOOST_TEST(*d.mean == *expected.mean, boost::test_tools::tolerance(1e-12));
    }
  }
  BOOST_TEST(text(expected.sum) == "4.65");
  BOOST_TEST(text(expected.min) == "-0.5");
}

BOOST_AUTO_TEST_CASE(a_group_without_values_has_no_sum_or_mean) {
  Aggregate none;
  none.add(std::nullopt, "家", {});
  const Description d = none.finish("firms", *Period::parse("2021"));
  BOOST_TEST(d.count == 0U);
  BOOST_TEST(d.missing == 1U);
  BOOST_TEST(!d.sum.has_value());
  BOOST_TEST(!d.mean.has_value());
  BOOST_TEST(!d.min.has_value());
}

// Groups come out by indicator in order of first appearance, then by period, however the rows
// interleave: b (2018: 3; 2020: 1 + 6 = 7), then a (2019: 2; 2021: 5), then c (2020: 4).
BOOST_AUTO_TEST_CASE(groups_come_by_indicator_as_first_seen_then_by_period) {
  struct Row {
    const char* indicator;
    int year;
    const char* value;
  };
  const std::vector<Row> rows = {{"b", 2020, "1"}, {"a", 2019, "2"}, {"b", 2018, "3"},
                                 {"c", 2020, "4"}, {"a", 2021, "5"}, {"b", 2020, "6"}};
  std::vector<Observation> kept;
  for (const Row& row : rows) {
    Observation o;
    o.entity = "e";
    o.indicator = row.indicator;
    o.period = Period::year(row.year);
    o.value = amount(row.value);
    o.unit = "家";
    kept.push_back(o);
  }
  std::vector<const Observation*> observations;
  for (const Observation& o : kept) observations.push_back(&o);
  std::vector<std::string> seen;
  for (const Description& d : stats::describe(observations))
    seen.push_back(d.indicator + " " + d.period.label() + " " + std::to_string(d.count) + " " +
                   text(d.sum));
  const std::vector<std::string> expected = {"b 2018 1 3", "b 2020 2 7", "a 2019 1 2", "a 2021 1 5",
                                             "c 2020 1 4"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
