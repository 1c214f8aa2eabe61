#include "jjstat/chart/scale.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat::chart;

BOOST_AUTO_TEST_SUITE(chart_scale)

BOOST_AUTO_TEST_CASE(linear_from_zero) {
  Scale scale = Scale::fit({25650.0, 9080.0, std::nullopt, 1500.0});
  BOOST_TEST((scale.kind() == ScaleKind::linear));
  BOOST_TEST(scale.low() == 0.0);
  BOOST_TEST(scale.high() == 25650.0);
  BOOST_TEST(scale.origin() == 0.0);
  BOOST_TEST(scale.position(25650) == 1.0);
  BOOST_TEST(scale.position(12825) == 0.5);
  BOOST_TEST(scale.orders() == 1);
  BOOST_TEST(scale_note(scale, false).empty());
}

BOOST_AUTO_TEST_CASE(negative_values_put_zero_inside) {
  Scale scale = Scale::fit({-1.0, 3.0});
  BOOST_TEST(scale.low() == -1.0);
  BOOST_TEST(scale.high() == 3.0);
  BOOST_TEST(scale.origin() == 0.25);
  BOOST_TEST(scale.position(-5) == 0.0); // clamped
  BOOST_TEST(scale.position(9) == 1.0);
}

BOOST_AUTO_TEST_CASE(nothing_to_scale) {
  for (const std::vector<std::optional<double>>& values :
       {std::vector<std::optional<double>>{}, {std::nullopt}, {0.0, 0.0}}) {
    Scale scale = Scale::fit(values);
    BOOST_TEST(scale.low() == 0.0);
    BOOST_TEST(scale.high() == 1.0);
    BOOST_TEST(scale.orders() == 0);
  }
}

BOOST_AUTO_TEST_CASE(log_from_three_orders_of_magnitude) {
  Scale below = Scale::fit({999.0, 1.0});
  BOOST_TEST((below.kind() == ScaleKind::linear));
  Scale scale = Scale::fit({850000.0, 3400.0, 12.0, 0.5});
  BOOST_TEST((scale.kind() == ScaleKind::log));
  BOOST_TEST(scale.orders() == 6);
  // A decade below the smallest value, up to the power of ten above the largest.
  BOOST_TEST(scale.low() == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(scale.high() == 1e6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(scale.position(0.5) > 0.0);
  BOOST_TEST(scale.position(1000) == 4.0 / 7.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(scale.ticks(5).size() == 8U);
  BOOST_TEST(scale.tick_text(0.1, 5) == "0.1");
  BOOST_TEST(scale.tick_text(1e6, 5) == "1000000");
  BOOST_TEST(scale_note(scale, false) == "log scale: values span 6 orders of magnitude");
  BOOST_TEST(scale_note(scale, true) == "对数刻度：数值跨越6个数量级");
  // A smallest value that is a power of ten still gets a bar.
  BOOST_TEST(Scale::fit({1.0, 1000.0}).position(1.0) > 0.0);
}

BOOST_AUTO_TEST_CASE(zero_or_negative_values_keep_the_scale_linear) {
  Scale with_zero = Scale::fit({0.0, 0.001, 5000.0});
  BOOST_TEST((with_zero.kind() == ScaleKind::linear));
  BOOST_TEST(with_zero.orders() == 6);
  BOOST_TEST(scale_note(with_zero, false).starts_with("values span 6 orders of magnitude"));
  Scale with_negative = Scale::fit({-0.01, 20000.0});
  BOOST_TEST((with_negative.kind() == ScaleKind::linear));
  BOOST_TEST(!scale_note(with_negative, false).empty());
}

BOOST_AUTO_TEST_CASE(round_ticks) {
  Scale scale = Scale::fit({25650.0, 1500.0}).rounded(5);
  BOOST_TEST(scale.high() == 30000.0);
  std::vector<double> ticks = scale.ticks(5);
  BOOST_TEST(ticks == (std::vector<double>{0, 10000, 20000, 30000}),
             boost::test_tools::per_element());
  Scale small = Scale::fit({0.3, -0.1}).rounded(5);
  BOOST_TEST(small.low() == -0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(small.tick_text(0.1 + 0.2, 5) == "0.3");
  BOOST_TEST(small.tick_text(-0.0, 5) == "0.0");
}

BOOST_AUTO_TEST_CASE(lines_need_not_start_at_zero) {
  Scale scale = Scale::fit({120.0, 171.5}, false);
  BOOST_TEST(scale.low() == 120.0);
  BOOST_TEST(scale.high() == 171.5);
  Scale flat = Scale::fit({5.0, 5.0}, false);
  BOOST_TEST(flat.low() == 4.5);
  BOOST_TEST(flat.high() == 5.5);
  BOOST_TEST(flat.position(5) == 0.5);
}

BOOST_AUTO_TEST_SUITE_END()
