#include "jjstat/suggest.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(suggest)

BOOST_AUTO_TEST_CASE(suggests_typos_and_prefixes) {
  std::vector<std::string> ids = {"rd_spending", "rd_intensity", "planned_area"};
  BOOST_TEST(jjstat::did_you_mean("rd_spendign", ids) == " (did you mean 'rd_spending'?)");
  BOOST_TEST(jjstat::did_you_mean("rd_spend", ids) == " (did you mean 'rd_spending'?)");
  BOOST_TEST(jjstat::did_you_mean("gdp", ids) == "");
  BOOST_TEST(jjstat::did_you_mean("x", ids) == "");
}

BOOST_AUTO_TEST_SUITE_END()
