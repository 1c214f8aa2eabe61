#include "jjstat/period.hpp"

#include <boost/test/unit_test.hpp>

using jjstat::Period;
using jjstat::PeriodKind;

BOOST_AUTO_TEST_SUITE(period)

BOOST_AUTO_TEST_CASE(parses_years_quarters_and_months) {
  BOOST_TEST(Period::parse("2020")->label() == "2020");
  BOOST_TEST((Period::parse("2020")->kind() == PeriodKind::year));
  BOOST_TEST(Period::parse("2020Q3")->label() == "2020Q3");
  BOOST_TEST((Period::parse("2020Q3")->kind() == PeriodKind::quarter));
  BOOST_TEST(Period::parse("2020-09")->label() == "2020-09");
  BOOST_TEST((Period::parse("2020-09")->kind() == PeriodKind::month));
}

BOOST_AUTO_TEST_CASE(rejects_everything_else) {
  for (const char* bad : {"", "20", "0999", "2020年", "2020Q5", "2020Q0", "2020-13", "2020-00",
                          "2020-9", "2020q3", " 2020", "2020 ", "20201", "２０２０"}) {
    BOOST_TEST(!Period::parse(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(gaps_are_real_years) {
  BOOST_TEST(Period::years_between(*Period::parse("2016"), *Period::parse("2020")) == 4.0);
  BOOST_TEST(Period::years_between(*Period::parse("2020-01"), *Period::parse("2020-07")) == 0.5);
  BOOST_TEST(Period::years_between(*Period::parse("2019Q4"), *Period::parse("2020Q4")) == 1.0);
}

BOOST_AUTO_TEST_CASE(a_year_earlier_keeps_the_grain) {
  BOOST_TEST(Period::parse("2020Q3")->year_earlier().label() == "2019Q3");
  BOOST_TEST(Period::parse("2020-01")->year_earlier().label() == "2019-01");
  BOOST_TEST(Period::parse("2020")->year_earlier().label() == "2019");
}

BOOST_AUTO_TEST_CASE(labels_of_years_outside_four_digits) {
  // Parse takes years 1000..9999, but a year earlier or a code may lie outside: such labels
  // are written by fmt, the others by hand.
  BOOST_TEST(Period::parse("1000Q2")->year_earlier().label() == "999Q2");
  BOOST_TEST(Period::parse("1000-03")->year_earlier().label() == "999-03");
  BOOST_TEST(Period::year(-12).label() == "-12");
  BOOST_TEST(Period::year(10000).label() == "10000");
  BOOST_TEST(Period::year(-2147483647).label() == "-2147483647");
}

BOOST_AUTO_TEST_CASE(codes_round_trip) {
  for (const char* label : {"2020", "1000", "9999", "2020Q1", "2020Q4", "2020-01", "2020-12"}) {
    Period p = *Period::parse(label);
    BOOST_TEST(Period::from_code(p.code()).label() == label);
    BOOST_TEST((Period::from_code(p.code()) == p));
  }
}

BOOST_AUTO_TEST_CASE(orders_in_time) {
  BOOST_TEST((*Period::parse("2016") < *Period::parse("2020")));
  BOOST_TEST((*Period::parse("2020-02") > *Period::parse("2020-01")));
  BOOST_TEST((*Period::parse("2020Q1") == *Period::parse("2020Q1")));
}

BOOST_AUTO_TEST_SUITE_END()
