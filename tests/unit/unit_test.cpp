#include "jjstat/unit.hpp"

#include <boost/test/unit_test.hpp>

using jjstat::convert;
using jjstat::Decimal;
using jjstat::parse_decimal;

namespace {

std::string exact(const jjstat::Number& number) {
  const auto* d = std::get_if<Decimal>(&number);
  return d ? d->to_string() : "inexact";
}

} // namespace

BOOST_AUTO_TEST_SUITE(unit)

BOOST_AUTO_TEST_CASE(money_converts_exactly) {
  BOOST_TEST(exact(convert(parse_decimal("2.565").value, "亿元", "万元")) == "25650");
  BOOST_TEST(exact(convert(parse_decimal("9080").value, "万元", "亿元")) == "0.908");
  BOOST_TEST(exact(convert(parse_decimal("1").value, "亿元", "元")) == "100000000");
}

BOOST_AUTO_TEST_CASE(area_uses_1500_mu_per_square_kilometre) {
  BOOST_TEST(exact(convert(parse_decimal("200").value, "平方公里", "亩")) == "300000");
  jjstat::Number km2 = convert(parse_decimal("5000").value, "亩", "平方公里");
  BOOST_TEST(std::holds_alternative<double>(km2));
  BOOST_TEST(std::get<double>(km2) == 5000.0 / 1500.0);
}

BOOST_AUTO_TEST_CASE(divisions_that_come_out_even_are_exact) {
  // Factors that are not powers of ten: 15 亩 a 公顷, 1500 亩 a 平方公里.
  BOOST_TEST(exact(convert(parse_decimal("0.9").value, "亩", "公顷")) == "0.06");
  BOOST_TEST(exact(convert(parse_decimal("0.3").value, "亩", "平方公里")) == "0.0002");
  BOOST_TEST(exact(convert(parse_decimal("2800.5").value, "亩", "平方公里")) == "1.867");
  BOOST_TEST(exact(convert(parse_decimal("-4.5").value, "亩", "平方公里")) == "-0.003");
  BOOST_TEST(exact(convert(parse_decimal("3000").value, "亩", "平方公里")) == "2");
  BOOST_TEST(exact(convert(parse_decimal("0.06").value, "公顷", "亩")) == "0.90");
  // 0.9 亩 and 0.06 公顷 are the same area: one number, which ties in a ranking.
  BOOST_TEST(jjstat::to_double(convert(parse_decimal("0.9").value, "亩", "公顷")) == 0.06);
  // No exact decimal within 18 digits after the point: a double, rounded once.
  jjstat::Number third = convert(parse_decimal("1").value, "亩", "公顷");
  BOOST_TEST(std::holds_alternative<double>(third));
  BOOST_TEST(std::get<double>(third) == 1.0 / 15.0);
}

BOOST_AUTO_TEST_CASE(ratio_of_decimals_rounds_once) {
  auto ratio_of = [](const char* a, const char* b) {
    const Decimal x = parse_decimal(a).value, y = parse_decimal(b).value;
    const double of_decimals = jjstat::ratio(x, y);
    BOOST_TEST(of_decimals == jjstat::ratio(jjstat::Number(x), jjstat::Number(y)));
    return of_decimals;
  };
  BOOST_TEST(ratio_of("26.4", "0.024") == 1100.0);
  BOOST_TEST(ratio_of("838338.77", "10000") == 83.833877);
  BOOST_TEST(ratio_of("1142", "14.98") == 76.23497997329773);
  BOOST_TEST(ratio_of("-0.3", "0.1") == -3.0);
  // Mantissas past 2^53: the two nearest doubles divided.
  BOOST_TEST(ratio_of("9007199254740993", "3") == 9007199254740992.0 / 3.0);
  BOOST_TEST(ratio_of("1", "90071992547409.93") == 1.0 / 90071992547409.93);
  // A power of ten that does not fold into 53 bits: applied to the rounded quotient.
  BOOST_TEST(ratio_of("9007199254740991", "0.000000000000000001") == 9007199254740991.0 * 1e18);
}

BOOST_AUTO_TEST_CASE(dimensions) {
  BOOST_TEST(jjstat::same_dimension("亿元", "万元"));
  BOOST_TEST(jjstat::same_dimension("亩", "平方公里"));
  BOOST_TEST(!jjstat::same_dimension("亿元", "亩"));
  BOOST_TEST(!jjstat::same_dimension("个", "家"));
  BOOST_TEST(jjstat::same_dimension("家", "家"));
  BOOST_TEST(jjstat::dimension_of("家") == "count of 家");
  BOOST_TEST(jjstat::dimension_of("%") == "percent");
}

BOOST_AUTO_TEST_SUITE_END()
