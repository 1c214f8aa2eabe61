#include "jjstat/qualifier.hpp"

#include <boost/test/unit_test.hpp>

using jjstat::Qualifier;
using jjstat::Qualifiers;

BOOST_AUTO_TEST_SUITE(qualifier)

BOOST_AUTO_TEST_CASE(parses_and_prints_in_display_order) {
  auto q = Qualifiers::parse("planned;approximate");
  BOOST_TEST_REQUIRE(q.has_value());
  BOOST_TEST(q->ids() == "approximate;planned");
  BOOST_TEST(q->words(false) == "approximate, planned");
  BOOST_TEST(q->words(true) == "约、规划");
  BOOST_TEST(Qualifiers::parse("")->empty());
}

BOOST_AUTO_TEST_CASE(names_the_unknown_id) {
  std::string bad;
  BOOST_TEST(!Qualifiers::parse("approximate;approx", &bad).has_value());
  BOOST_TEST(bad == "approx");
}

BOOST_AUTO_TEST_CASE(merging_is_a_union) {
  Qualifiers a = *Qualifiers::parse("projected");
  Qualifiers b = *Qualifiers::parse("approximate;projected");
  Qualifiers both = a.merged(b);
  BOOST_TEST(both.ids() == "approximate;projected");
  BOOST_TEST(both.has(Qualifier::approximate));
  BOOST_TEST(!both.has(Qualifier::target));
}

BOOST_AUTO_TEST_SUITE_END()
