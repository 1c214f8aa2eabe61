#include "jjstat/decimal.hpp"

#include <boost/test/unit_test.hpp>

#include "rounds.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat {

// Boost.Test prints the operands of a failed BOOST_TEST through these.
std::ostream& boost_test_print_type(std::ostream& out, const Decimal& value) {
  return out << value.to_string() << " (scale " << value.scale() << ")";
}

std::ostream& boost_test_print_type(std::ostream& out, NumberError error) {
  switch (error) {
  case NumberError::none:
    return out << "none";
  case NumberError::empty:
    return out << "empty";
  case NumberError::space:
    return out << "space";
  case NumberError::grouping:
    return out << "grouping";
  case NumberError::fullwidth:
    return out << "fullwidth";
  case NumberError::unit_suffix:
    return out << "unit_suffix";
  case NumberError::percent:
    return out << "percent";
  case NumberError::not_finite:
    return out << "not_finite";
  case NumberError::overflow:
    return out << "overflow";
  case NumberError::too_precise:
    return out << "too_precise";
  case NumberError::malformed:
    return out << "malformed";
  }
  return out << "NumberError(" << static_cast<int>(error) << ")";
}

} // namespace jjstat

namespace {

using jjstat::Decimal;
using jjstat::NumberError;
using jjstat::parse_decimal;
using Mantissa = Decimal::Mantissa;

// 2^127 - 1, written out because the test must not depend on numeric_limits<__int128>.
constexpr Mantissa k_max_mantissa = (Mantissa{1} << 126) - 1 + (Mantissa{1} << 126);

Decimal parsed(std::string_view text) {
  const jjstat::DecimalParse result = parse_decimal(text);
  BOOST_TEST_REQUIRE(result.error == NumberError::none, "parse_decimal(\"" << text << "\")");
  return result.value;
}

struct ParseCase {
  std::string_view text;
  std::string_view printed;
  int scale;
};

struct ErrorCase {
  std::string_view text;
  NumberError error;
  std::size_t offset;
};

void check_errors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    BOOST_TEST_CONTEXT("parse_decimal(\"" << c.text << "\")") {
      const jjstat::DecimalParse result = parse_decimal(c.text);
      BOOST_TEST(result.error == c.error);
      BOOST_TEST(result.error_offset == c.offset);
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(decimal)

BOOST_AUTO_TEST_CASE(construction_and_accessors) {
  const Decimal value(-1498, 2);
  BOOST_TEST((value.mantissa() == -1498));
  BOOST_TEST(value.scale() == 2);
  BOOST_TEST(value.is_negative());
  BOOST_TEST(!value.is_zero());
  BOOST_TEST(Decimal().is_zero());
  BOOST_TEST(Decimal().to_string() == "0");
  BOOST_TEST(Decimal::from_integer(-42).to_string() == "-42");
  BOOST_TEST(value.negated().to_string() == "14.98");
  BOOST_TEST(Decimal(5, 18).to_string() == "0.000000000000000005");
  std::string appended = "x=";
  Decimal(-1142, 2).append_to(appended);
  BOOST_TEST(appended == "x=-11.42");
}

BOOST_AUTO_TEST_CASE(construction_rejects_bad_scale_and_lowest_mantissa) {
  BOOST_CHECK_THROW(Decimal(1, -1), std::invalid_argument);
  BOOST_CHECK_THROW(Decimal(1, 19), std::invalid_argument);
  BOOST_CHECK_THROW(Decimal(-k_max_mantissa - 1, 0), std::invalid_argument);
  BOOST_CHECK_NO_THROW(Decimal(-k_max_mantissa, 18));
  BOOST_CHECK_NO_THROW(Decimal(k_max_mantissa, 0));
}

BOOST_AUTO_TEST_CASE(to_string_keeps_the_scale) {
  BOOST_TEST(Decimal(1142, 2).to_string() == "11.42");
  BOOST_TEST(Decimal(-5, 2).to_string() == "-0.05");
  BOOST_TEST(Decimal(250, 2).to_string() == "2.50");
  BOOST_TEST(Decimal(0, 3).to_string() == "0.000");
  BOOST_TEST(Decimal(-0, 2).to_string() == "0.00");
  BOOST_TEST(Decimal(30000, 0).to_string() == "30000");
  BOOST_TEST(Decimal(7, 1).to_string() == "0.7");
  BOOST_TEST(Decimal(k_max_mantissa, 0).to_string() == "170141183460469231731687303715884105727");
  BOOST_TEST(Decimal(-k_max_mantissa, 18).to_string() ==
             "-170141183460469231731.687303715884105727");
}

// Every digit and the point where the scale puts it, for mantissas of every size up to 127 bits
// and every scale, against the digits written out one by one; and for the mantissas on either
// side of each power of ten (where the count of digits changes) and of 2^64 (where the 64-bit
// writer hands over to the wide one), at every scale.
BOOST_AUTO_TEST_CASE(to_string_writes_every_digit_and_the_point) {
  std::vector<Decimal::Mantissa> edges;
  for (Decimal::Mantissa ten = 1; ten < (Decimal::Mantissa{1} << 100); ten *= 10) {
    edges.insert(edges.end(), {ten - 1, ten, ten + 1});
  }
  const auto two_64 = Decimal::Mantissa{1} << 64;
  edges.insert(edges.end(), {two_64 - 1, two_64, two_64 + 1});
  std::mt19937_64 rng(5);
  const int random_rounds = jjstat::test::rounds(40000, 200000);
  const int rounds = random_rounds + static_cast<int>(edges.size()) * 19 * 2;
  for (int i = 0; i < rounds; ++i) {
    const int bits = 1 + static_cast<int>(rng() % 127);
    Decimal::Mantissa magnitude = (static_cast<Decimal::Mantissa>(rng() >> 1) << 64) | rng();
    magnitude >>= 127 - bits;
    if (i % 7 == 0) magnitude = static_cast<Decimal::Mantissa>(rng() % 1000); // short and zero
    bool negative = rng() % 2 == 0;
    int scale = static_cast<int>(rng() % 19);
    if (i >= random_rounds) {
      const int edge = i - random_rounds;
      magnitude = edges[static_cast<std::size_t>(edge / 38)];
      scale = edge / 2 % 19;
      negative = edge % 2 == 1;
    }
    const Decimal d(negative ? -magnitude : magnitude, scale);
    std::string digits;
    for (Decimal::Mantissa rest = magnitude; digits.empty() || rest != 0; rest /= 10)
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(rest % 10)));
    if (digits.size() <= static_cast<std::size_t>(scale))
      digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
    if (scale > 0) digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
    const std::string expected = (negative && magnitude != 0 ? "-" : "") + digits;
    BOOST_TEST(d.to_string() == expected);
    std::string appended = "x";
    d.append_to(appended);
    BOOST_TEST(appended == "x" + expected);
  }
}

// Digits are written eight at a time, from two halves of four (decimal.cpp,
// digits_backwards()): every half, in the high and the low place of eight, ahead of one digit
// and of a further group, written as std::to_chars writes the integer.
BOOST_AUTO_TEST_CASE(to_string_writes_every_half_of_eight_digits) {
  auto expect_integer = [](std::uint64_t value) {
    std::array<char, 24> buffer;
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    BOOST_TEST_REQUIRE((error == std::errc()));
    const std::string expected(buffer.data(), end);
    const std::string written = Decimal(static_cast<Decimal::Mantissa>(value), 0).to_string();
    if (written != expected) BOOST_TEST(written == expected);
    return written == expected;
  };
  int wrong = 0;
  for (std::uint64_t half = 0; half < 10000; ++half) {
    for (const std::uint64_t value :
         {100000000 + half, 100000000 + half * 10000, 900000000 + half * 10001,
          123456789000000000 + half, 123456789000000000 + half * 10000 * 100000000}) {
      if (!expect_integer(value)) ++wrong;
    }
  }
  BOOST_TEST(wrong == 0);
  // With a point: the fraction's digits and the whole part's (17 digits, as a double's).
  BOOST_TEST(Decimal(Decimal::Mantissa{12345678901234567}, 15).to_string() == "12.345678901234567");
  BOOST_TEST(Decimal(Decimal::Mantissa{-10000000000000009}, 16).to_string() ==
             "-1.0000000000000009");
}

// The quick division and the text read by from_chars agree on random values of every scale,
// both sides of 2^53.
BOOST_AUTO_TEST_CASE(to_double_equals_reading_the_text) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < jjstat::test::rounds(40000, 200000); ++i) {
    const int bits = 1 + static_cast<int>(rng() % 62);
    auto mantissa = static_cast<std::int64_t>(rng() >> (64 - bits));
    if (rng() % 2) mantissa = -mantissa;
    const Decimal d(mantissa, static_cast<int>(rng() % 19));
    const std::string text = d.to_string();
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    BOOST_TEST(d.to_double() == expected, text);
  }
}

BOOST_AUTO_TEST_CASE(to_double_is_correctly_rounded) {
  BOOST_TEST(Decimal(1498, 2).to_double() == 14.98);
  BOOST_TEST(Decimal(-5, 2).to_double() == -0.05);
  BOOST_TEST(Decimal(1, 1).to_double() == 0.1);
  BOOST_TEST(Decimal(2565, 3).to_double() == 2.565);
  BOOST_TEST(Decimal(12345678901234567, 16).to_double() == 1.2345678901234567);
  BOOST_TEST(Decimal(12345678901234567, 0).to_double() == 12345678901234567.0);
  BOOST_TEST(Decimal(1, 18).to_double() == 1e-18);
  BOOST_TEST(Decimal(0, 5).to_double() == 0.0);
  BOOST_TEST(!std::signbit(Decimal(0, 5).to_double()));
  const Decimal wide = parsed("123456789012345678.901234567890123456");
  BOOST_TEST(wide.to_double() == 123456789012345678.901234567890123456);
}

BOOST_AUTO_TEST_CASE(plus_and_minus_are_exact) {
  const auto difference = parsed("26.4").minus(parsed("14.98"));
  BOOST_TEST_REQUIRE(difference.has_value());
  BOOST_TEST(difference->to_string() == "11.42");
  BOOST_TEST(difference->scale() == 2);

  const auto sum = parsed("0.1").plus(parsed("0.2"));
  BOOST_TEST_REQUIRE(sum.has_value());
  BOOST_TEST(*sum == parsed("0.3"));
  BOOST_TEST(sum->to_string() == "0.3");

  const auto mixed = Decimal(5, 0).plus(Decimal(-25, 3));
  BOOST_TEST_REQUIRE(mixed.has_value());
  BOOST_TEST(mixed->to_string() == "4.975");

  const auto below_zero = Decimal(1, 1).minus(Decimal(25, 2));
  BOOST_TEST_REQUIRE(below_zero.has_value());
  BOOST_TEST(below_zero->to_string() == "-0.15");
}

BOOST_AUTO_TEST_CASE(plus_and_minus_report_overflow) {
  const Decimal top(k_max_mantissa, 0);
  const Decimal bottom(-k_max_mantissa, 0);
  BOOST_TEST(!top.plus(Decimal(1, 0)).has_value());
  BOOST_TEST(!bottom.minus(Decimal(2, 0)).has_value());
  // -2^127 fits an __int128 but is kept out of range so that every Decimal can be negated.
  BOOST_TEST(!bottom.minus(Decimal(1, 0)).has_value());
  BOOST_TEST(!bottom.plus(Decimal(-1, 0)).has_value());
  BOOST_TEST(!top.minus(bottom).has_value());
  // Aligning the scales overflows before the addition does.
  BOOST_TEST(!top.plus(Decimal(1, 1)).has_value());
  BOOST_TEST(!Decimal(1, 1).minus(top).has_value());

  const auto back = top.minus(Decimal(1, 0));
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST((back->mantissa() == k_max_mantissa - 1));
  const auto cancelled = top.plus(bottom);
  BOOST_TEST_REQUIRE(cancelled.has_value());
  BOOST_TEST(cancelled->is_zero());
}

BOOST_AUTO_TEST_CASE(times_is_exact_and_reports_overflow) {
  const auto product = Decimal(1498, 2).times(-3);
  BOOST_TEST_REQUIRE(product.has_value());
  BOOST_TEST(product->to_string() == "-44.94");
  const auto zero = Decimal(1498, 2).times(0);
  BOOST_TEST_REQUIRE(zero.has_value());
  BOOST_TEST(zero->to_string() == "0.00");
  BOOST_TEST(!Decimal(k_max_mantissa / 2 + 1, 0).times(2).has_value());
  BOOST_TEST(!Decimal(k_max_mantissa, 0).times(-2).has_value());
  const auto large = Decimal(k_max_mantissa, 0).times(-1);
  BOOST_TEST_REQUIRE(large.has_value());
  BOOST_TEST((large->mantissa() == -k_max_mantissa));
  const auto limit = Decimal(std::numeric_limits<std::int64_t>::max(), 0)
                         .times(std::numeric_limits<std::int64_t>::min());
  BOOST_TEST_REQUIRE(limit.has_value());
  BOOST_TEST(limit->to_string() == "-85070591730234615856620279821087277056");
  // The largest product of two 64-bit factors, 2^126, and one side of 64 bits and the other.
  const auto lowest = Decimal(std::numeric_limits<std::int64_t>::min(), 3)
                          .times(std::numeric_limits<std::int64_t>::min());
  BOOST_TEST_REQUIRE(lowest.has_value());
  BOOST_TEST(lowest->to_string() == "85070591730234615865843651857942052.864");
  const Decimal::Mantissa past = Decimal::Mantissa{std::numeric_limits<std::int64_t>::max()} + 1;
  const auto wider = Decimal(past, 0).times(100);
  BOOST_TEST_REQUIRE(wider.has_value());
  BOOST_TEST(wider->to_string() == "922337203685477580800");
  const auto wider_down = Decimal(-past - 1, 0).times(-100);
  BOOST_TEST_REQUIRE(wider_down.has_value());
  BOOST_TEST(wider_down->to_string() == "922337203685477580900");
}

BOOST_AUTO_TEST_CASE(shifted_right_divides_by_powers_of_ten) {
  const auto share = Decimal(1234, 0).shifted_right(2);
  BOOST_TEST_REQUIRE(share.has_value());
  BOOST_TEST(share->to_string() == "12.34");
  const auto same = Decimal(1234, 3).shifted_right(0);
  BOOST_TEST_REQUIRE(same.has_value());
  BOOST_TEST(same->to_string() == "1.234");
  const auto full = Decimal(5, 16).shifted_right(2);
  BOOST_TEST_REQUIRE(full.has_value());
  BOOST_TEST(full->scale() == 18);
  BOOST_TEST(!Decimal(5, 16).shifted_right(3).has_value());
  BOOST_TEST(!Decimal(5, 0).shifted_right(1000).has_value());
  BOOST_CHECK_THROW(Decimal(5, 2).shifted_right(-1), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(comparison_is_numeric_across_scales) {
  BOOST_TEST(parsed("2.5") == parsed("2.50"));
  BOOST_TEST(parsed("9080") < parsed("25650.000"));
  BOOST_TEST(parsed("25650.000") > parsed("9080"));
  BOOST_TEST(parsed("-0.5") < parsed("0.25"));
  BOOST_TEST(parsed("-1.5") < parsed("-1.25"));
  BOOST_TEST(parsed("-0.05") > parsed("-0.5"));
  BOOST_TEST(parsed("0.00") == parsed("-0"));
  BOOST_TEST(parsed("14.98") != parsed("14.981"));
  BOOST_TEST(((parsed("3") <=> parsed("3.000")) == std::strong_ordering::equal));
  BOOST_TEST(((parsed("1.01") <=> parsed("1.1")) == std::strong_ordering::less));
}

BOOST_AUTO_TEST_CASE(comparison_does_not_overflow_when_aligning_would) {
  const Decimal top(k_max_mantissa, 0);
  const Decimal bottom(-k_max_mantissa, 0);
  const Decimal small(1, 18);
  const Decimal wide(k_max_mantissa, 18); // 170141183460469231731.687303715884105727
  const Mantissa wide_integer = k_max_mantissa / 1'000'000'000'000'000'000;
  BOOST_TEST(top > small);
  BOOST_TEST(small < top);
  BOOST_TEST(bottom < small);
  BOOST_TEST(top > wide);
  BOOST_TEST(wide < top);
  BOOST_TEST(bottom < wide.negated());
  BOOST_TEST(wide > Decimal(wide_integer, 0));
  BOOST_TEST(wide < Decimal(wide_integer + 1, 0));
  BOOST_TEST(wide.negated() < Decimal(-wide_integer, 0));
  BOOST_TEST(wide.negated() > Decimal(-wide_integer - 1, 0));
  BOOST_TEST(Decimal(k_max_mantissa - 1, 18) < wide);
  // 170141183460469231731.6873037158841057 and ...058 against ...05727.
  BOOST_TEST(Decimal(k_max_mantissa / 100, 16) < wide);
  BOOST_TEST(Decimal(k_max_mantissa / 100 + 1, 16) > wide);
  BOOST_TEST(Decimal(k_max_mantissa / 100 * 100, 18) < wide);
}

BOOST_AUTO_TEST_CASE(parse_round_trips_through_to_string) {
  const std::vector<ParseCase> cases = {
      {"14.98", "14.98", 2},
      {"2.565", "2.565", 3},
      {"26.4", "26.4", 1},
      {"-0.05", "-0.05", 2},
      {"2.50", "2.50", 2},
      {"3e4", "30000", 0},
      {"1.5e-3", "0.0015", 4},
      {"1.5E-3", "0.0015", 4},
      {"+3", "3", 0},
      {".5", "0.5", 1},
      {"5.", "5", 0},
      {"-.5", "-0.5", 1},
      {"0", "0", 0},
      {"-0", "0", 0},
      {"-0.00", "0.00", 2},
      {"000012", "12", 0},
      {"0012.3400", "12.3400", 4},
      {"1.25e1", "12.5", 1},
      {"1.25e+2", "125", 0},
      {"12.5e-0", "12.5", 1},
      {"7e0", "7", 0},
      {"5.e2", "500", 0},
      {".5e1", "5", 0},
      {"1e17", "100000000000000000", 0},
      {"0e999999999999999999999", "0", 0},
      {"123456789012345678", "123456789012345678", 0},
      {"0.000000000000000001", "0.000000000000000001", 18},
      {"1.0000000000000000000e1", "10.000000000000000000", 18},
      {"999999999999999999.999999999999999999", "999999999999999999.999999999999999999", 18},
      {"-999999999999999999.999999999999999999", "-999999999999999999.999999999999999999", 18},
      {"0.000000000000000000000000000001e30", "1", 0},
      {"1234567890123456789e-5", "12345678901234.56789", 5},
  };
  for (const ParseCase& c : cases) {
    BOOST_TEST_CONTEXT("parse_decimal(\"" << c.text << "\")") {
      const jjstat::DecimalParse result = parse_decimal(c.text);
      BOOST_TEST_REQUIRE(result.error == NumberError::none);
      BOOST_TEST(result.value.to_string() == c.printed);
      BOOST_TEST(result.value.scale() == c.scale);
    }
  }
}

BOOST_AUTO_TEST_CASE(parse_gives_exact_mantissas) {
  BOOST_TEST((parsed("-14.98").mantissa() == -1498));
  BOOST_TEST((parsed("3e4").mantissa() == 30000));
  BOOST_TEST((parsed("1.5e-3").mantissa() == 15));
  BOOST_TEST(parsed("-0").is_negative() == false);
}

BOOST_AUTO_TEST_CASE(parse_errors_empty_space_and_not_finite) {
  check_errors({
      {"", NumberError::empty, 0},
      {" 12", NumberError::space, 0},
      {"\t12", NumberError::space, 0},
      {"12 ", NumberError::space, 2},
      {"12\r\n", NumberError::space, 2},
      {" ", NumberError::space, 0},
      {" abc", NumberError::space, 0},
      {"nan", NumberError::not_finite, 0},
      {"NaN", NumberError::not_finite, 0},
      {"-nan", NumberError::not_finite, 1},
      {"inf", NumberError::not_finite, 0},
      {"+INF", NumberError::not_finite, 1},
      {"-Infinity", NumberError::not_finite, 1},
      {"iNfInItY", NumberError::not_finite, 0},
      {"NaN ", NumberError::not_finite, 0},
      {"info", NumberError::malformed, 0},
      {"nan1", NumberError::malformed, 0},
  });
}

BOOST_AUTO_TEST_CASE(parse_errors_fullwidth) {
  check_errors({
      {"１２３", NumberError::fullwidth, 0},
      {"12．5", NumberError::fullwidth, 2},
      {"－5", NumberError::fullwidth, 0},
      {"1２", NumberError::fullwidth, 1},
      {"-１", NumberError::fullwidth, 1},
      {"１９", NumberError::fullwidth, 0},
      {"12万５", NumberError::fullwidth, 5},
  });
}

BOOST_AUTO_TEST_CASE(parse_errors_percent_grouping_and_units) {
  check_errors({
      {"12%", NumberError::percent, 2},         {"-0.5%", NumberError::percent, 4},
      {"12％", NumberError::percent, 2},        {"12 %", NumberError::percent, 3},
      {"1e2%", NumberError::percent, 3},        {"%12", NumberError::malformed, 0},
      {"1,234", NumberError::grouping, 1},      {"12,345.6", NumberError::grouping, 2},
      {"-1,234,567", NumberError::grouping, 2}, {"1，234", NumberError::grouping, 1},
      {"1,", NumberError::malformed, 1},        {"1,x", NumberError::malformed, 1},
      {",5", NumberError::malformed, 0},        {"1.5,3", NumberError::malformed, 3},
      {"26.4亿", NumberError::unit_suffix, 4},  {"12万元", NumberError::unit_suffix, 2},
      {"5km", NumberError::unit_suffix, 1},     {"5 km", NumberError::unit_suffix, 2},
      {"3e4m", NumberError::unit_suffix, 3},    {"5eV", NumberError::unit_suffix, 1},
      {"2.5x", NumberError::unit_suffix, 3},    {"12€", NumberError::unit_suffix, 2},
      {"1e5e5", NumberError::unit_suffix, 3},
  });
}

BOOST_AUTO_TEST_CASE(parse_errors_malformed) {
  check_errors({
      {"1.2.3", NumberError::malformed, 3},
      {"--5", NumberError::malformed, 1},
      {"+-5", NumberError::malformed, 1},
      {"abc", NumberError::malformed, 0},
      {"+", NumberError::malformed, 1},
      {"-", NumberError::malformed, 1},
      {".", NumberError::malformed, 1},
      {"-.", NumberError::malformed, 2},
      {"..5", NumberError::malformed, 1},
      {".e5", NumberError::malformed, 1},
      {"e5", NumberError::malformed, 0},
      {"1e", NumberError::malformed, 2},
      {"1e+", NumberError::malformed, 3},
      {"1E-", NumberError::malformed, 3},
      {"1e+x", NumberError::malformed, 3},
      {"1e5.5", NumberError::malformed, 3},
      {"12 34", NumberError::malformed, 2},
      {"1 2 ", NumberError::malformed, 1},
      {"1.2.3 ", NumberError::malformed, 3},
      {"$12", NumberError::malformed, 0},
      {"12$", NumberError::malformed, 2},
      {"12/3", NumberError::malformed, 2},
      {"- 5", NumberError::malformed, 1},
      {"万", NumberError::malformed, 0},
      {std::string_view("1\0", 2), NumberError::malformed, 1},
  });
}

BOOST_AUTO_TEST_CASE(parse_errors_overflow) {
  check_errors({
      {"1234567890123456789", NumberError::overflow, 18},
      {"-1234567890123456789", NumberError::overflow, 19},
      {"0001234567890123456789", NumberError::overflow, 21},
      {"1234567890123456789.5", NumberError::overflow, 18},
      {"1e18", NumberError::overflow, 1},
      {"0.5e19", NumberError::overflow, 3},
      {"1e400", NumberError::overflow, 1},
      {"1e99999999999999999999999999999999", NumberError::overflow, 1},
      {"1234567890123456789e0", NumberError::overflow, 19},
  });
}

BOOST_AUTO_TEST_CASE(parse_errors_too_precise) {
  // Trailing zeros count as written: "1.0000000000000000000" has 19 digits after the point.
  check_errors({
      {"1.0000000000000000000", NumberError::too_precise, 20},
      {"0.1234567890123456789", NumberError::too_precise, 20},
      {"-.1234567890123456789", NumberError::too_precise, 20},
      {"1e-30", NumberError::too_precise, 1},
      {"1e-19", NumberError::too_precise, 1},
      {"0.5e-18", NumberError::too_precise, 3},
      {"0e-19", NumberError::too_precise, 1},
      {"1e-99999999999999999999999999999999", NumberError::too_precise, 1},
  });
}

BOOST_AUTO_TEST_CASE(format_fixed_rounds_the_shortest_digits_half_away_from_zero) {
  BOOST_TEST(jjstat::format_fixed(2.675, 2) == "2.68");
  BOOST_TEST(jjstat::format_fixed(0.125, 2) == "0.13");
  BOOST_TEST(jjstat::format_fixed(-0.125, 2) == "-0.13");
  BOOST_TEST(jjstat::format_fixed(1.005, 2) == "1.01");
  BOOST_TEST(jjstat::format_fixed(76.23497997329774, 2) == "76.23");
  BOOST_TEST(jjstat::format_fixed(15.219, 2) == "15.22");
  BOOST_TEST(jjstat::format_fixed(15.2149999, 2) == "15.21");
  BOOST_TEST(jjstat::format_fixed(999.995, 2) == "1000.00");
  BOOST_TEST(jjstat::format_fixed(-999.995, 2) == "-1000.00");
  BOOST_TEST(jjstat::format_fixed(9.5, 0) == "10");
  BOOST_TEST(jjstat::format_fixed(2.5, 0) == "3");
  BOOST_TEST(jjstat::format_fixed(-2.5, 0) == "-3");
  BOOST_TEST(jjstat::format_fixed(0.5, 0) == "1");
  BOOST_TEST(jjstat::format_fixed(0.05, 1) == "0.1");
  BOOST_TEST(jjstat::format_fixed(0.049, 1) == "0.0");
  BOOST_TEST(jjstat::format_fixed(14.98, 2) == "14.98");
  BOOST_TEST(jjstat::format_fixed(14.98, 4) == "14.9800");
  BOOST_TEST(jjstat::format_fixed(12.0, 1) == "12.0");
}

BOOST_AUTO_TEST_CASE(format_fixed_plain_notation_and_zero) {
  BOOST_TEST(jjstat::format_fixed(1e-7, 2) == "0.00");
  BOOST_TEST(jjstat::format_fixed(1e-7, 7) == "0.0000001");
  BOOST_TEST(jjstat::format_fixed(5e-7, 6) == "0.000001");
  BOOST_TEST(jjstat::format_fixed(-0.001, 2) == "0.00");
  BOOST_TEST(jjstat::format_fixed(-0.0, 2) == "0.00");
  BOOST_TEST(jjstat::format_fixed(-0.4, 0) == "0");
  BOOST_TEST(jjstat::format_fixed(0.0, 0) == "0");
  BOOST_TEST(jjstat::format_fixed(5e-324, 2) == "0.00");
  BOOST_TEST(jjstat::format_fixed(1e20, 0) == "100000000000000000000");
  BOOST_TEST(jjstat::format_fixed(1.5e20, 2) == "150000000000000000000.00");
  BOOST_TEST(jjstat::format_fixed(0.1, 30) == "0.100000000000000000000000000000");
  const std::string largest = jjstat::format_fixed(1.7976931348623157e308, 0);
  BOOST_TEST(largest.size() == 309u);
  BOOST_TEST(largest.substr(0, 17) == "17976931348623157");
  BOOST_TEST(largest.find_first_not_of('0', 17) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(format_fixed_rejects_bad_arguments) {
  BOOST_CHECK_THROW(jjstat::format_fixed(1.0, -1), std::invalid_argument);
  BOOST_CHECK_THROW(jjstat::format_fixed(1.0, 31), std::invalid_argument);
  BOOST_CHECK_NO_THROW(jjstat::format_fixed(1.0, 30));
  BOOST_CHECK_THROW(jjstat::format_fixed(std::nan(""), 2), std::invalid_argument);
  BOOST_CHECK_THROW(jjstat::format_fixed(HUGE_VAL, 2), std::invalid_argument);
  BOOST_CHECK_THROW(jjstat::format_fixed(-HUGE_VAL, 2), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(format_shortest_is_plain) {
  BOOST_TEST(jjstat::format_shortest(0.1) == "0.1");
  BOOST_TEST(jjstat::format_shortest(1e-7) == "0.0000001");
  BOOST_TEST(jjstat::format_shortest(1.5e20) == "150000000000000000000");
  BOOST_TEST(jjstat::format_shortest(76.23497997329774) == "76.23497997329774");
  BOOST_TEST(jjstat::format_shortest(-0.0) == "0");
  BOOST_TEST(jjstat::format_shortest(0.0) == "0");
  BOOST_TEST(jjstat::format_shortest(-14.98) == "-14.98");
  BOOST_TEST(jjstat::format_shortest(123000000.0) == "123000000");
  BOOST_TEST(jjstat::format_shortest(0.0001) == "0.0001");
  BOOST_TEST(jjstat::format_shortest(1.0 / 3.0) == "0.3333333333333333");
  BOOST_TEST(jjstat::format_shortest(0.1 + 0.2) == "0.30000000000000004");
  BOOST_CHECK_THROW(jjstat::format_shortest(std::nan("")), std::invalid_argument);
  BOOST_CHECK_THROW(jjstat::format_shortest(HUGE_VAL), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(format_shortest_matches_the_scientific_digits_on_random_values) {
  // The plain form built here from to_chars's scientific digits (Ryu), the slow and obvious way,
  // against format_shortest (which takes its digits from fmt's Dragonbox when the plain form
  // is short, from to_chars otherwise).
  auto expected = [](double value) {
    std::array<char, 64> buffer{};
    auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::scientific);
    std::string text(buffer.data(), end);
    std::string sign = text[0] == '-' ? "-" : "";
    if (!sign.empty()) text.erase(0, 1);
    const std::size_t e = text.find('e');
    int exponent = std::stoi(text.substr(e + 1));
    std::string digits;
    for (char c : text.substr(0, e)) {
      if (c != '.') digits += c;
    }
    if (digits == "0") return std::string("0");
    const int point = exponent + 1;
    std::string plain;
    if (point <= 0) {
      plain = "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    } else if (static_cast<std::size_t>(point) >= digits.size()) {
      plain = digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
    } else {
      plain = digits.substr(0, static_cast<std::size_t>(point)) + "." +
              digits.substr(static_cast<std::size_t>(point));
    }
    return sign + plain;
  };
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> exponent(-30.0, 30.0);
  for (int i = 0; i < jjstat::test::rounds(40000, 200000); ++i) {
    double value = std::pow(10.0, exponent(random)) * (random() % 2 ? 1 : -1);
    if (i % 4 == 0) value = std::round(value);             // whole numbers, 0 among them
    if (i % 4 == 1) value = std::round(value * 100) / 100; // two decimals, as printed figures have
    std::string got = jjstat::format_shortest(value);
    if (got != expected(value)) {
      BOOST_TEST(got == expected(value), "value " << value);
      break;
    }
  }
  for (double edge : {-0.0, 0x1p53 - 1, 0x1p53, 0x1p53 + 2, 0x1p52 + 0.5, 1e15, 1e16, 1e17,
                      123456789012345.67, 0.1 + 0.2, 5e-324, 1e-5, 9.999999999999999e22}) {
    BOOST_TEST(jjstat::format_shortest(edge) == expected(edge), "value " << edge);
  }
  // Any finite double (random bits), and the ratios and roots growth prints.
  int failures = 0;
  auto check = [&](double value) {
    if (!std::isfinite(value) || failures > 0) return;
    const std::string got = jjstat::format_shortest(value);
    if (got != expected(value)) {
      ++failures;
      BOOST_TEST(got == expected(value), "value " << value);
    }
  };
  for (int i = 0; i < jjstat::test::rounds(20000, 100000); ++i)
    check(std::bit_cast<double>(random()));
  for (int i = 0; i < jjstat::test::rounds(20000, 100000); ++i) {
    const double from = static_cast<double>(random() % 100000 + 1) / 100;
    const double to = static_cast<double>(random() % 100000 + 1) / 100;
    check((to / from - 1) * 100);
    check((std::pow(to / from, 1.0 / static_cast<double>(random() % 20 + 1)) - 1) * 100);
  }
  for (int e = -1074; e <= 1023; ++e) {
    const double power = std::ldexp(1.0, e);
    check(power);
    check(-std::nextafter(power, 0.0));
    check(std::nextafter(power, HUGE_VAL));
  }
}

BOOST_AUTO_TEST_CASE(write_shortest_quick_writes_short_forms_and_declines_the_rest) {
  auto quick = [](double value) -> std::optional<std::string> {
    std::array<char, jjstat::k_quick_shortest_room> buffer{};
    char* end = jjstat::write_shortest_quick(buffer.data(), value);
    if (end == nullptr) return std::nullopt;
    return std::string(buffer.data(), end);
  };
  BOOST_TEST(quick(19.355805243445694).value_or("none") == "19.355805243445694");
  BOOST_TEST(quick(-2.5786587488633828).value_or("none") == "-2.5786587488633828");
  BOOST_TEST(quick(4).value_or("none") == "4");
  BOOST_TEST(quick(1e-7).value_or("none") == "0.0000001");
  BOOST_TEST(quick(-1.5e20).value_or("none") == "-150000000000000000000");
  // 32 characters at most: "0." and 29 zeros before a digit is the longest small one.
  BOOST_TEST(quick(-1e-29).value_or("none") == "-0." + std::string(28, '0') + "1");
  BOOST_TEST(!quick(-1e-30).has_value());
  BOOST_TEST(quick(1e31).value_or("none") == "1" + std::string(31, '0'));
  BOOST_TEST(!quick(1e32).has_value());
  BOOST_TEST(!quick(-1.2345678901234567e-16).has_value());
  // Zero (either sign) and what is not finite are declined.
  BOOST_TEST(!quick(0.0).has_value());
  BOOST_TEST(!quick(-0.0).has_value());
  BOOST_TEST(!quick(HUGE_VAL).has_value());
  BOOST_TEST(!quick(std::nan("")).has_value());
}

BOOST_AUTO_TEST_CASE(format_shortest_reads_back) {
  for (const double value : {0.1, 2.675, 1e-300, 5e-324, 1.7976931348623157e308, -123.456e-10}) {
    BOOST_TEST_CONTEXT(value) {
      const std::string text = jjstat::format_shortest(value);
      double read_back = 0.0;
      std::from_chars(text.data(), text.data() + text.size(), read_back);
      BOOST_TEST(read_back == value);
      BOOST_TEST(text.find('e') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(group_thousands_inserts_separators) {
  BOOST_TEST(jjstat::group_thousands("1234567.891") == "1,234,567.891");
  BOOST_TEST(jjstat::group_thousands("-1234") == "-1,234");
  BOOST_TEST(jjstat::group_thousands("123") == "123");
  BOOST_TEST(jjstat::group_thousands("-123") == "-123");
  BOOST_TEST(jjstat::group_thousands("123456") == "123,456");
  BOOST_TEST(jjstat::group_thousands("1000") == "1,000");
  BOOST_TEST(jjstat::group_thousands("0.123456") == "0.123456");
  BOOST_TEST(jjstat::group_thousands("") == "");
  BOOST_TEST(jjstat::group_thousands("n/a") == "n/a");
  BOOST_TEST(jjstat::group_thousands("1234567", " ") == "1 234 567");
  BOOST_TEST(jjstat::group_thousands("1234567", "\u202f") == "1\u202f234\u202f567");
  BOOST_TEST(jjstat::group_thousands("1234", "") == "1234");
}

BOOST_AUTO_TEST_SUITE_END()
