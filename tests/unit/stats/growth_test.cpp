#include "jjstat/stats/growth.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

using namespace jjstat;
using namespace jjstat::stats;

namespace {

/// The series of a small observations table (entity, indicator, period, value, unit).
std::vector<Series> series_of(Dataset& data, const std::string& rows) {
  data.load("entity,indicator,period,value,unit\n" + rows, "test.csv");
  std::vector<const Observation*> all;
  for (const Observation& obs : data.observations()) all.push_back(&obs);
  return group_series(all);
}

std::string text(const std::optional<Number>& n) { return n ? to_string(*n) : "missing"; }

} // namespace

BOOST_AUTO_TEST_SUITE(growth)

BOOST_AUTO_TEST_CASE(rd_spending_of_the_article) {
  Dataset data;
  auto s = series_of(data, "jj,rd,2016,14.98,亿元\njj,rd,2020,26.4,亿元\n");
  GrowthRow row = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST(text(row.change) == "11.42"); // exact: 26.40 − 14.98
  BOOST_TEST(row.years == 4.0);
  BOOST_TEST_REQUIRE(row.pct_change.has_value());
  BOOST_TEST(format_fixed(*row.pct_change, 2) == "76.23");
  BOOST_TEST(*row.pct_change == 1142.0 / 1498.0 * 100.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST_REQUIRE(row.cagr.has_value());
  BOOST_TEST(format_fixed(*row.cagr, 2) == "15.22");
  BOOST_TEST(*row.cagr == (std::pow(26.4 / 14.98, 0.25) - 1) * 100, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((row.gap == GrowthGap::none));
}

BOOST_AUTO_TEST_CASE(qualifiers_are_inherited) {
  Dataset data;
  data.load("entity,indicator,period,value,unit,qualifiers\njj,rd,2016,14.98,亿元,\n"
            "jj,rd,2020,26.4,亿元,approximate;projected\n",
            "q.csv");
  std::vector<const Observation*> all;
  for (const Observation& obs : data.observations()) all.push_back(&obs);
  GrowthRow row = stats::growth(group_series(all).at(0), std::nullopt, std::nullopt);
  BOOST_TEST(row.qualifiers.ids() == "approximate;projected");
}

BOOST_AUTO_TEST_CASE(zero_base_keeps_the_change_only) {
  Dataset data;
  auto s = series_of(data, "a,x,2019,0,个\na,x,2020,5,个\n");
  GrowthRow row = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST(text(row.change) == "5");
  BOOST_TEST(!row.pct_change.has_value());
  BOOST_TEST(!row.cagr.has_value());
  BOOST_TEST((row.gap == GrowthGap::zero_base));
  BOOST_TEST(gap_text(row.gap, false) == "base value is 0: no percent change or CAGR");
}

BOOST_AUTO_TEST_CASE(negative_base_and_negative_end) {
  Dataset data;
  auto s = series_of(data, "a,x,2019,-4,亿元\na,x,2020,2,亿元\nb,x,2019,4,亿元\nb,x,2020,-2,亿元\n");
  GrowthRow neg_base = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST(text(neg_base.change) == "6");
  BOOST_TEST(!neg_base.pct_change.has_value());
  BOOST_TEST((neg_base.gap == GrowthGap::negative_base));
  GrowthRow neg_end = stats::growth(s.at(1), std::nullopt, std::nullopt);
  BOOST_TEST(text(neg_end.change) == "-6");
  BOOST_TEST(*neg_end.pct_change == -150.0);
  BOOST_TEST(!neg_end.cagr.has_value());
  BOOST_TEST((neg_end.gap == GrowthGap::negative_end));
}

BOOST_AUTO_TEST_CASE(percentages_change_in_points) {
  Dataset data;
  auto s = series_of(data, "a,intensity,2019,2.1,%\na,intensity,2020,2.4,%\n");
  GrowthRow row = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST(text(row.change) == "0.3");
  BOOST_TEST(!row.pct_change.has_value());
  BOOST_TEST(!row.cagr.has_value());
  BOOST_TEST((row.gap == GrowthGap::percent_unit));
}

BOOST_AUTO_TEST_CASE(single_period_and_missing_periods) {
  Dataset data;
  auto s = series_of(data, "a,x,2020,5,个\nb,x,2016,1,个\nb,x,2020,2,个\n");
  GrowthRow single = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST((single.gap == GrowthGap::single_period));
  BOOST_TEST(!single.change.has_value());
  GrowthRow gap = stats::growth(s.at(1), Period::parse("2017"), Period::parse("2020"));
  BOOST_TEST((gap.gap == GrowthGap::missing_from));
  BOOST_TEST(gap_text(gap.gap, false, gap.gap_period) == "no value for 2017");
  BOOST_TEST(!gap.change.has_value());
  GrowthRow backwards = stats::growth(s.at(1), Period::parse("2020"), Period::parse("2016"));
  BOOST_TEST((backwards.gap == GrowthGap::end_before_start));
}

BOOST_AUTO_TEST_CASE(empty_value_is_missing_not_zero) {
  Dataset data;
  auto s = series_of(data, "a,x,2019,,个\na,x,2020,5,个\n");
  GrowthRow row = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST((row.gap == GrowthGap::empty_from));
  BOOST_TEST(gap_text(row.gap, false, row.gap_period) == "value for 2019 is missing");
  BOOST_TEST(!row.change.has_value());
}

BOOST_AUTO_TEST_CASE(year_over_year_never_bridges_a_gap) {
  Dataset data;
  auto s = series_of(data, "a,x,2016,100,个\na,x,2017,110,个\na,x,2020,121,个\n");
  std::vector<GrowthRow> rows = year_over_year(s.at(0));
  BOOST_TEST_REQUIRE(rows.size() == 2U);
  BOOST_TEST(*rows[0].pct_change == 10.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(rows[1].from->label() == "2019");
  BOOST_TEST((rows[1].gap == GrowthGap::missing_from));
}

BOOST_AUTO_TEST_CASE(monthly_year_over_year_is_twelve_months) {
  Dataset data;
  auto s = series_of(data, "a,x,2019-01,40,个\na,x,2019-03,50,个\na,x,2020-02,70,个\n"
                           "a,x,2020-03,60,个\n");
  std::vector<GrowthRow> rows = year_over_year(s.at(0));
  // (2019-03, whose year-earlier month is before the series starts, has no row.)
  BOOST_TEST_REQUIRE(rows.size() == 2U);
  BOOST_TEST((rows[0].gap == GrowthGap::missing_from)); // 2020-02 against 2019-02
  BOOST_TEST(rows[1].from->label() == "2019-03");
  BOOST_TEST(*rows[1].pct_change == 20.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(rows[1].years == 1.0);
  GrowthRow half = stats::growth(s.at(0), Period::parse("2019-03"), Period::parse("2020-02"));
  BOOST_TEST(half.years == 11.0 / 12.0);
}

BOOST_AUTO_TEST_CASE(year_over_year_leaves_out_the_first_year_of_every_kind) {
  Dataset data;
  auto s = series_of(data, "q,x,2018Q1,10,个\nq,x,2018Q2,11,个\nq,x,2018Q3,12,个\n"
                           "q,x,2018Q4,13,个\nq,x,2019Q1,14,个\nq,x,2019Q3,15,个\n"
                           "y,v,2016,10,个\ny,v,2017,11,个\n"
                           "s,x,2018Q2,10,个\ns,x,2018Q4,12,个\n"
                           "o,x,2018Q2,10,个\n");
  std::vector<GrowthRow> quarters = year_over_year(s.at(0));
  BOOST_TEST_REQUIRE(quarters.size() == 2U);
  BOOST_TEST(quarters[0].to->label() == "2019Q1");
  BOOST_TEST(*quarters[0].pct_change == 40.0);
  BOOST_TEST(quarters[1].to->label() == "2019Q3");
  BOOST_TEST(*quarters[1].pct_change == 25.0);
  // (Another indicator: one indicator holds one kind of period; group_series() keeps the
  // series in the order they come.)
  std::vector<GrowthRow> years = year_over_year(s.at(1));
  BOOST_TEST_REQUIRE(years.size() == 1U);
  BOOST_TEST(years[0].to->label() == "2017");
  // Under a year: one row, for the last period, with no value a year before it.
  std::vector<GrowthRow> short_series = year_over_year(s.at(2));
  BOOST_TEST_REQUIRE(short_series.size() == 1U);
  BOOST_TEST(short_series[0].from->label() == "2017Q4");
  BOOST_TEST(short_series[0].to->label() == "2018Q4");
  BOOST_TEST((short_series[0].gap == GrowthGap::missing_from));
  BOOST_TEST(year_over_year(s.at(3)).empty()); // one period: growth() says so
}

// Year over year on random series of months, quarters and years with gaps, their rows in
// random order: each row's base is the point a year before it, found by looking through every
// point here, or a gap when there is none.
BOOST_AUTO_TEST_CASE(year_over_year_finds_the_point_a_year_before_in_random_series) {
  std::mt19937_64 random(20261201);
  std::uniform_int_distribution<int> length(1, 80), value(1, 9999);
  std::bernoulli_distribution kept(0.7);
  for (int round = 0; round < 60; ++round) {
    const int kind = round % 3; // 0: years, 1: quarters, 2: months
    std::vector<std::string> rows;
    const int steps = length(random);
    for (int t = 0; t < steps; ++t) {
      if (!kept(random)) continue;
      const std::string period = kind == 0   ? std::to_string(1990 + t)
                                 : kind == 1 ? fmt::format("{}Q{}", 1990 + t / 4, t % 4 + 1)
                                             : fmt::format("{}-{:02}", 1990 + t / 12, t % 12 + 1);
      rows.push_back(fmt::format("e,x,{},{},个\n", period, value(random)));
    }
    if (rows.empty()) continue;
    std::shuffle(rows.begin(), rows.end(), random);
    std::string text_rows;
    for (const std::string& row : rows) text_rows += row;
    BOOST_TEST_CONTEXT("round " << round << ":\n" << text_rows) {
      Dataset data;
      const Series series = series_of(data, text_rows).at(0);
      const std::vector<GrowthRow> got = year_over_year(series);
      // A row for each point but those whose year-earlier period is before the first point,
      // or, when that leaves none of two or more points, one for the last.
      std::vector<std::size_t> expected;
      for (std::size_t i = 1; i < series.points.size(); ++i) {
        if (!(series.points[i]->period.year_earlier() < series.points.front()->period))
          expected.push_back(i);
      }
      if (expected.empty() && series.points.size() > 1)
        expected.push_back(series.points.size() - 1);
      BOOST_TEST_REQUIRE(got.size() == expected.size());
      for (std::size_t k = 0; k < expected.size(); ++k) {
        const std::size_t i = expected[k];
        const Period before = series.points[i]->period.year_earlier();
        const Observation* base = nullptr;
        for (const Observation* point : series.points) {
          if (point->period == before) base = point;
        }
        const GrowthRow& row = got[k];
        BOOST_TEST(row.from->label() == before.label());
        BOOST_TEST(row.to->label() == series.points[i]->period.label());
        if (base == nullptr) {
          BOOST_TEST((row.gap == GrowthGap::missing_from));
        } else {
          BOOST_TEST((row.gap == GrowthGap::none));
          BOOST_TEST(text(row.from_value) == text(base->value));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(invariants) {
  Dataset data;
  auto s = series_of(data, "c,x,2010,7.5,个\nc,x,2015,7.5,个\n"
                           "a,x,2010,3,个\na,x,2015,12,个\n"
                           "b,x,2010,300,个\nb,x,2015,1200,个\n"
                           "d,x,2010,12,个\nd,x,2015,3,个\n");
  GrowthRow constant = stats::growth(s.at(0), std::nullopt, std::nullopt);
  BOOST_TEST(*constant.pct_change == 0.0);
  BOOST_TEST(*constant.cagr == 0.0);
  GrowthRow small = stats::growth(s.at(1), std::nullopt, std::nullopt);
  GrowthRow scaled = stats::growth(s.at(2), std::nullopt, std::nullopt);
  BOOST_TEST(*small.pct_change == *scaled.pct_change, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(*small.cagr == *scaled.cagr, boost::test_tools::tolerance(1e-12));
  GrowthRow swapped = stats::growth(s.at(3), std::nullopt, std::nullopt);
  double up = 1 + *small.cagr / 100;
  double down = 1 + *swapped.cagr / 100;
  BOOST_TEST(up * down == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((1 + *small.pct_change / 100) * (1 + *swapped.pct_change / 100) == 1.0,
             boost::test_tools::tolerance(1e-12));
}

/// The same invariants on random series: 500 random pairs of positive values with up to four
/// decimals, random periods 1 to 30 years apart, random scale factors (powers of ten and others).
BOOST_AUTO_TEST_CASE(invariants_on_random_series) {
  std::mt19937_64 random(20211125);
  std::uniform_int_distribution<long> units(1, 99'999'999); // 0.0001 .. 9999.9999
  std::uniform_int_distribution<int> year(1990, 2000), gap(1, 30), factor(1, 1000);
  auto decimal = [](long ten_thousandths) {
    return std::to_string(ten_thousandths / 10000) + "." +
           fmt::format("{:04}", ten_thousandths % 10000);
  };
  for (int round = 0; round < 500; ++round) {
    const long a = units(random), b = units(random), k = factor(random);
    const int from = year(random), to = from + gap(random);
    BOOST_TEST_CONTEXT("a=" << decimal(a) << " b=" << decimal(b) << " k=" << k << " " << from
                            << "->" << to) {
      auto row = [&](long x, long y) {
        Dataset data;
        auto s = series_of(data, fmt::format("e,x,{},{},个\ne,x,{},{},个\n", from, decimal(x), to,
                                             decimal(y)));
        return stats::growth(s.at(0), std::nullopt, std::nullopt);
      };
      const GrowthRow constant = row(a, a);
      BOOST_TEST(*constant.pct_change == 0.0);
      BOOST_TEST(*constant.cagr == 0.0);
      BOOST_TEST(text(constant.change) == "0.0000"); // the scale of the inputs
      const GrowthRow plain = row(a, b);
      BOOST_TEST(plain.years == double(to - from));
      const GrowthRow scaled = row(a * k, b * k);
      BOOST_TEST(*plain.pct_change == *scaled.pct_change, boost::test_tools::tolerance(1e-9));
      BOOST_TEST(*plain.cagr == *scaled.cagr, boost::test_tools::tolerance(1e-9));
      const GrowthRow swapped = row(b, a);
      BOOST_TEST((1 + *plain.pct_change / 100) * (1 + *swapped.pct_change / 100) == 1.0,
                 boost::test_tools::tolerance(1e-9));
      BOOST_TEST((1 + *plain.cagr / 100) * (1 + *swapped.cagr / 100) == 1.0,
                 boost::test_tools::tolerance(1e-9));
    }
  }
}

namespace {

/// compound_growth() of two decimal texts over `years`.
double cagr_of(const char* base, const char* end, double years) {
  const Decimal from = parse_decimal(base).value, to = parse_decimal(end).value;
  return compound_growth(from, to, minus(to, from), years);
}

} // namespace

BOOST_AUTO_TEST_CASE(cagr_over_one_year_is_the_exact_change_percent) {
  // 0.3 / 0.1 in doubles is 2.9999999999999996: the three tripled series tie at 200 exactly.
  BOOST_TEST(cagr_of("0.1", "0.3", 1) == 200.0);
  BOOST_TEST(cagr_of("1", "3", 1) == 200.0);
  BOOST_TEST(cagr_of("0.7", "2.1", 1) == 200.0);
  // A tie at the printed digits rounds as the change % does: 0.125 -> 0.13.
  BOOST_TEST(cagr_of("8", "8.01", 1) == 0.125);
  BOOST_TEST(format_fixed(cagr_of("8", "8.01", 1), 2) == "0.13");
  BOOST_TEST(cagr_of("200", "202.01", 1) == 1.005);
  BOOST_TEST(format_fixed(cagr_of("200", "202.01", 1), 2) == "1.01");
  // 11.42 / 14.98 x 100 = 76.234979973297730307..., rounded once.
  BOOST_TEST(cagr_of("14.98", "26.4", 1) == 76.23497997329773);
}

BOOST_AUTO_TEST_CASE(cagr_that_is_a_short_decimal_is_that_decimal) {
  BOOST_TEST(cagr_of("100", "121", 2) == 10.0);
  BOOST_TEST(cagr_of("100", "81", 2) == -10.0);
  BOOST_TEST(cagr_of("1", "1.1025", 2) == 5.0);
  BOOST_TEST(cagr_of("2", "4.5", 2) == 50.0);
  BOOST_TEST(cagr_of("10", "14.641", 4) == 10.0);
  BOOST_TEST(cagr_of("1.6", "2.81961", 2) == 32.75); // 1.6 x 1.3275^2 (1.76225625)
  BOOST_TEST(cagr_of("1000000", "1002501.5625", 2) == 0.125);
  BOOST_TEST(format_fixed(cagr_of("1000000", "1002501.5625", 2), 2) == "0.13");
  BOOST_TEST(cagr_of("5", "0", 3) == -100.0);
  BOOST_TEST(cagr_of("7.5", "7.5", 5) == 0.0);
  // Not a decimal of four digits after the point: the computed rate, within two units in the
  // last place of the true one (hand-computed to 50 digits: 10.668191970032159240879... and
  // 15.2187152695566633316...; glibc's log1p and expm1 give the nearest doubles, which the golden
  // outputs show).
  const auto within_two_ulp =
      boost::test_tools::tolerance(4 * std::numeric_limits<double>::epsilon());
  BOOST_TEST(cagr_of("10", "15", 4) == 10.668191970032159240879, within_two_ulp);
  BOOST_TEST(cagr_of("14.98", "26.4", 4) == 15.2187152695566633316, within_two_ulp);
  // Equal ratios give equal rates whatever their scale: 0.3 / 0.1 and 3 / 1 over two years.
  BOOST_TEST(cagr_of("0.1", "0.3", 2) == cagr_of("1", "3", 2));
  BOOST_TEST(cagr_of("0.7", "2.1", 7) == cagr_of("1", "3", 7));
}

BOOST_AUTO_TEST_CASE(cagr_over_whole_months_that_is_a_short_decimal_is_that_decimal) {
  // years = p / q: exact when (1 + rate / 100)^p = (end / base)^q. Logarithms
  // gave 46.410000000000004, 1499.9999999999998, 7999.999999999995 and 43.999999999999986 here.
  BOOST_TEST(cagr_of("100", "121", 0.5) == 46.41);
  BOOST_TEST(cagr_of("100", "110", 0.25) == 46.41);       // 1.1^4 = 1.4641
  BOOST_TEST(cagr_of("1", "2", 0.25) == 1500.0);          // 2^4 = 16
  BOOST_TEST(cagr_of("1", "3", 0.25) == 8000.0);          // 3^4 = 81
  BOOST_TEST(cagr_of("100", "172.8", 1.5) == 44.0);       // 1.44^1.5 = 1.2^3
  BOOST_TEST(cagr_of("100", "150", 0.25) == 406.25);      // 1.5^4 = 5.0625
  BOOST_TEST(cagr_of("64", "27", 1.5) == -43.75);         // (27 / 64)^(2 / 3) = 9 / 16
  BOOST_TEST(cagr_of("100", "110", 2.0 / 12) == 77.1561); // 1.1^6 = 1.771561
  // 1.05^(12 / 7), seven months: not a short decimal (the computed rate, within two units in the
  // last place of 8.72377238618211623..., hand-computed with Python's decimal to 40 digits).
  const double seven_months = cagr_of("100", "105", 7.0 / 12);
  BOOST_TEST(seven_months == 8.72377238618211623,
             boost::test_tools::tolerance(4 * std::numeric_limits<double>::epsilon()));
  // A power past 128 bits is not checked: the computed rate.
  BOOST_TEST(cagr_of("1.000001", "1.000002", 60.25) > 0.0);
}

/// The CAGR of random pairs against a long double reference of ((b / a)^(1 / n) − 1) × 100 by
/// logarithms: within 4 units in the last place of the double, small rates and steep falls
/// included (the power minus 1 of doubles loses the low digits of small rates: 1.01^(1/4) − 1
/// keeps 14 of 17; log1p of a quotient near −1 loses those of a steep fall).
BOOST_AUTO_TEST_CASE(cagr_is_within_a_few_units_in_the_last_place) {
  std::mt19937_64 random(20261201);
  std::uniform_int_distribution<long> units(1, 99'999'999); // 0.0001 .. 9999.9999
  std::uniform_int_distribution<int> near(-20000, 20000), years(2, 30);
  for (int round = 0; round < 2000; ++round) {
    const long a = units(random);
    // Half the pairs close together (rates of a few %), half anywhere.
    const long b = round % 2 ? units(random) : std::max(1L, a + a * near(random) / 1'000'000);
    const int n = years(random);
    const double got = compound_growth(Decimal(a, 4), Decimal(b, 4), Decimal(b - a, 4), n);
    // (In long double, log1p of (b − a) / a near 1, where log of b / a would lose digits.)
    const long double q = static_cast<long double>(b) / static_cast<long double>(a);
    const long double x = static_cast<long double>(b - a) / static_cast<long double>(a);
    const long double want =
        std::expm1((q > 0.5L && q < 2 ? std::log1p(x) : std::log(q)) / n) * 100;
    BOOST_TEST_CONTEXT("a=" << a << " b=" << b << " n=" << n) {
      BOOST_TEST(std::fabs(static_cast<long double>(got) - want) <=
                 4 * std::numeric_limits<double>::epsilon() * std::fabs(want));
    }
  }
}

// The rows written from kept ends take value_growth() and percent_change() of decimals, not
// of Numbers: the same gaps and the same doubles (hand-computed for the short ones).
BOOST_AUTO_TEST_CASE(decimal_overloads_give_what_numbers_give) {
  auto decimal = [](const char* text) { return parse_decimal(text).value; };
  auto same = [&](const char* base, const char* end, double years, bool percent_unit) {
    const Decimal from = decimal(base), to = decimal(end);
    const Decimal change = *to.minus(from);
    const ValueGrowth exact = value_growth(years, percent_unit, from, to, change);
    const ValueGrowth numbers =
        value_growth(years, percent_unit, Number(from), Number(to), Number(change));
    BOOST_TEST_CONTEXT(base << " -> " << end << " over " << years) {
      BOOST_TEST((exact.gap == numbers.gap));
      BOOST_TEST(exact.cagr == numbers.cagr);
      if (!from.is_zero()) {
        BOOST_TEST(percent_change(change, from) == percent_change(Number(change), Number(from)));
      }
    }
    return exact;
  };
  // 11.42 / 14.98 × 100 = 76.234979973297730307..., rounded once; over 4 years 15.2187...
  BOOST_TEST(percent_change(decimal("11.42"), decimal("14.98")) == 76.23497997329773);
  BOOST_TEST(same("14.98", "26.4", 1, false).cagr == 76.23497997329773);
  BOOST_TEST(same("100", "121", 2, false).cagr == 10.0);
  BOOST_TEST(same("14.98", "26.4", 4, false).cagr == compound_growth(Number(decimal("14.98")),
                                                                     Number(decimal("26.4")),
                                                                     Number(decimal("11.42")), 4));
  BOOST_TEST((same("0", "5", 4, false).gap == GrowthGap::zero_base));
  BOOST_TEST((same("-2", "5", 4, false).gap == GrowthGap::negative_base));
  BOOST_TEST((same("2", "-5", 4, false).gap == GrowthGap::negative_end));
  BOOST_TEST((same("2", "5", 4, true).gap == GrowthGap::percent_unit));
  BOOST_TEST((same("2", "5", 0, false).gap == GrowthGap::same_period));
  BOOST_TEST(
      (same("0.000001", "999999999999.5", 1.0 / 24, false).gap == GrowthGap::cagr_too_large));
  // Mantissas past 2^53 (and a change past what × 100 keeps in 64 bits): divided as doubles.
  same("123456789012345678", "0.000000000000000001", 3, false);
  same("0.5", "987654321098765432", 3, false);
  std::mt19937_64 random(20261206);
  for (int round = 0; round < 2000; ++round) {
    const auto a = static_cast<long long>(random() % 2'000'000'000'000) - 100'000'000'000;
    const auto b = static_cast<long long>(random() % 2'000'000'000'000) - 100'000'000'000;
    const std::string base = Decimal(a, static_cast<int>(random() % 7)).to_string();
    const std::string end = Decimal(b, static_cast<int>(random() % 7)).to_string();
    same(base.c_str(), end.c_str(), 1 + static_cast<double>(random() % 40) / 4, false);
  }
}

BOOST_AUTO_TEST_CASE(asking_for_another_kind_of_period_is_a_gap) {
  Dataset data;
  auto s = series_of(data, "jj,rd,2016,14.98,亿元\njj,rd,2020,26.4,亿元\n");
  GrowthRow row = stats::growth(s.at(0), Period::parse("2016Q1"), std::nullopt);
  BOOST_TEST((row.gap == GrowthGap::kind_mismatch));
  BOOST_TEST(row.gap_period == "2016Q1");
  BOOST_TEST(!row.change.has_value());
  BOOST_TEST(!row.pct_change.has_value());
  BOOST_TEST(gap_text(row.gap, false, row.gap_period) == "2016Q1 is not of the series' kind of period");
  BOOST_TEST(gap_text(row.gap, true, row.gap_period) == "2016Q1与序列的时期类型不同");
}

BOOST_AUTO_TEST_CASE(gap_texts_in_both_languages) {
  BOOST_TEST(gap_text(GrowthGap::same_period, false) == "from and to are one period");
  BOOST_TEST(gap_text(GrowthGap::same_period, true) == "起止为同一时期");
  BOOST_TEST(gap_text(GrowthGap::end_before_start, false) == "to is before from");
  BOOST_TEST(gap_text(GrowthGap::end_before_start, true) == "终止时期早于起始时期");
  BOOST_TEST(gap_text(GrowthGap::empty_to, false, "2020") == "value for 2020 is missing");
  BOOST_TEST(gap_text(GrowthGap::empty_to, true, "2020") == "2020数值缺失");
  BOOST_TEST(gap_text(GrowthGap::none, false).empty());
}

BOOST_AUTO_TEST_CASE(group_series_keeps_first_appearance_and_gathers_scattered_figures) {
  // 3 000 series of 1 to 4 figures in shuffled rows: series come back far apart, and the
  // grouping table probes past other series' slots. The expected grouping is made the slow
  // way: a linear search of the series seen so far.
  std::mt19937 random(7);
  std::vector<std::pair<std::string, std::string>> keys;
  std::string rows;
  std::vector<std::string> lines;
  for (int e = 0; e < 1000; ++e) {
    for (const char* indicator : {"x", "y", "z"}) {
      int figures = 1 + static_cast<int>(random() % 4);
      for (int f = 0; f < figures; ++f) {
        lines.push_back(fmt::format("e{},{},{},{},个\n", e, indicator, 2020 - f, f));
      }
    }
  }
  std::shuffle(lines.begin(), lines.end(), random);
  for (const std::string& line : lines) rows += line;
  Dataset data;
  std::vector<Series> grouped = series_of(data, rows);
  std::vector<std::pair<std::string, std::vector<std::string>>> expected; // key, periods in order
  for (const Observation& obs : data.observations()) {
    std::string key = obs.entity + "/" + obs.indicator;
    auto it = std::find_if(expected.begin(), expected.end(),
                           [&](const auto& e) { return e.first == key; });
    if (it == expected.end()) it = expected.insert(expected.end(), {key, {}});
    it->second.push_back(obs.period.label());
  }
  BOOST_TEST_REQUIRE(grouped.size() == expected.size());
  for (std::size_t i = 0; i < grouped.size(); ++i) {
    BOOST_TEST(grouped[i].entity + "/" + grouped[i].indicator == expected[i].first);
    std::vector<std::string> periods = expected[i].second;
    std::sort(periods.begin(), periods.end());
    std::vector<std::string> got;
    for (const Observation* obs : grouped[i].points) got.push_back(obs->period.label());
    BOOST_TEST(got == periods, boost::test_tools::per_element());
    BOOST_TEST(grouped[i].period_count == periods.size());
  }
}

BOOST_AUTO_TEST_CASE(group_consecutive_equals_group_series_on_figures_that_come_series_by_series) {
  // The store's order: each series' figures together, in period order. Neighbouring series
  // share an entity or an indicator (e1/x then e1/y, e1/y then e2/y), one series has a single
  // figure; both groupings must give the same series, figures and period counts.
  Dataset data;
  data.load("entity,indicator,period,value,unit\n"
            "e1,x,2019,1,个\ne1,x,2020,2,个\n"
            "e1,y,2020,3,个\n"
            "e2,y,2018,4,个\ne2,y,2019,5,个\ne2,y,2020,6,个\n"
            "e2,x,2020,7,个\n",
            "test.csv");
  std::vector<const Observation*> all;
  for (const Observation& obs : data.observations()) all.push_back(&obs);
  const std::vector<Series> want = group_series(all);
  const std::vector<Series> got = group_consecutive(all);
  BOOST_TEST_REQUIRE(got.size() == 4U);
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST(got[i].entity == want[i].entity);
    BOOST_TEST(got[i].indicator == want[i].indicator);
    BOOST_TEST(got[i].points == want[i].points, boost::test_tools::per_element());
    BOOST_TEST(got[i].period_count == want[i].period_count);
  }
  BOOST_TEST(got[2].period_count == 3U);
}

BOOST_AUTO_TEST_CASE(sort_by_period_is_stable_at_every_size) {
  // Up to 40 points with repeated periods (insertion sort below 17, std::stable_sort above):
  // the order is std::stable_sort's, equal periods keeping their order.
  std::mt19937 random(5);
  std::vector<Observation> pool(40);
  for (int size = 0; size <= 40; ++size) {
    std::vector<const Observation*> points;
    for (int i = 0; i < size; ++i) {
      pool[static_cast<std::size_t>(i)].period =
          Period::year(2015 + static_cast<int>(random() % 6));
      points.push_back(&pool[static_cast<std::size_t>(i)]);
    }
    std::vector<const Observation*> expected = points;
    std::stable_sort(
        expected.begin(), expected.end(),
        [](const Observation* a, const Observation* b) { return a->period < b->period; });
    sort_by_period(points);
    BOOST_TEST((points == expected), "size " << size);
  }
}

BOOST_AUTO_TEST_SUITE_END()
