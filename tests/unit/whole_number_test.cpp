#include "jjstat/whole_number.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

/// What the validator makes of `text` for the range 1 to 100: the value it leaves, a space, and
/// its message (empty when it accepts the text).
std::string checked(std::string text) {
  CLI::Validator check = jjstat::cli::whole_number(1, 100);
  const std::string message = check(text);
  return text + " " + message;
}

} // namespace

BOOST_AUTO_TEST_SUITE(whole_number)

BOOST_AUTO_TEST_CASE(decimal_digits_in_range_pass_leading_zeros_dropped) {
  BOOST_TEST(checked("1") == "1 ");
  BOOST_TEST(checked("100") == "100 ");
  BOOST_TEST(checked("010") == "10 ");
  BOOST_TEST(checked("0007") == "7 ");
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_naming_the_range) {
  for (const std::string text : {"0", "101", "-1", "+5", " 5", "5 ", "0x10", "1e2", "0.5", "nan",
                                 "", "00", "1000000000000000000000"}) {
    BOOST_TEST_CONTEXT("'" << text << "'") {
      BOOST_TEST(checked(text) == text + " '" + text + "' is not a whole number from 1 to 100");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
