#include "jjstat/error.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/stats/derive.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace jjstat;

namespace {

/// The embedded data with its derived figures, loaded as jjstat loads it.
Dataset embedded() {
  Dataset data;
  sources::Inputs inputs = sources::load({}, true);
  for (const sources::Input& input : inputs.list()) data.load(input.text, input.name);
  stats::add_derived_figures(data);
  return data;
}

const Observation& find(const Dataset& data, const std::string& entity, const std::string& indicator) {
  for (const Observation& obs : data.observations()) {
    if (obs.entity == entity && obs.indicator == indicator) return obs;
  }
  throw std::runtime_error("no " + entity + "/" + indicator);
}

std::string shown(const Observation& obs) { return format_fixed(to_double(*obs.value), 2); }

} // namespace

BOOST_AUTO_TEST_SUITE(derive)

BOOST_AUTO_TEST_CASE(the_embedded_definitions) {
  Dataset data = embedded();
  const Observation& share = find(data, "jiangjin_park", "park_share_of_science_city");
  BOOST_TEST(shown(share) == "16.69"); // 200 / 1198
  BOOST_TEST(to_double(*share.value) == 20000.0 / 1198.0);
  BOOST_TEST(share.unit == "%");
  BOOST_TEST(share.qualifiers.ids() == "approximate;planned;derived");
  BOOST_TEST(shown(find(data, "jiangjin_park", "built_share")) == "30.00");        // 60 / 200
  BOOST_TEST(shown(find(data, "tuanjiehu_park", "operating_rate")) == "47.62");    // 20 / 42
  BOOST_TEST(shown(find(data, "tuanjiehu_park", "investment_per_project")) == "3.81"); // 160 / 42
  BOOST_TEST(shown(find(data, "seed_fund", "funding_per_enterprise")) == "45.45");     // 1500 / 33
  BOOST_TEST(shown(find(data, "knowledge_value_credit", "funding_per_enterprise")) == "129.71");
  const Observation& patent = find(data, "patent_pledge_loans", "funding_per_enterprise");
  BOOST_TEST(to_double(*patent.value) == 3206.25); // 2.565 亿元 = 25650 万元, / 8
  BOOST_TEST(patent.unit == "万元/家");
  const Observation& gdp = find(data, "jiangjin", "implied_gdp");
  BOOST_TEST(to_double(*gdp.value) == 1100.0); // 26.4 / 2.4 %, exactly
  BOOST_TEST(gdp.qualifiers.ids() == "projected;derived");
  BOOST_TEST(gdp.computed);
}

BOOST_AUTO_TEST_CASE(no_programme_without_an_enterprise_count) {
  Dataset data = embedded();
  for (const Observation& obs : data.observations()) {
    BOOST_TEST(!(obs.indicator == "funding_per_enterprise" &&
                 obs.entity == "smart_transformation_incentive"));
  }
}

BOOST_AUTO_TEST_CASE(each_numerator_pairs_with_its_entitys_denominator_of_its_period) {
  // 400 entities over three years, the rows shuffled, a denominator missing now and then and
  // one entity's denominators only in another year: the derived figures are those of a search
  // of every denominator for each numerator, in the numerators' order (the store looks them up).
  std::mt19937 random(7);
  std::vector<std::string> rows;
  for (int e = 0; e < 400; ++e) {
    for (int year = 2018; year <= 2020; ++year) {
      rows.push_back(fmt::format("e{},n,{},{},万元", e, year, 10 + (e * 7 + year) % 90));
      if ((e + year) % 11 != 0)
        rows.push_back(fmt::format("e{},d,{},{},家", e, e == 5 ? year - 10 : year, 1 + e % 9));
    }
  }
  std::shuffle(rows.begin(), rows.end(), random);
  std::string text = "entity,indicator,period,value,unit\n";
  for (const std::string& row : rows) text += row + "\n";
  Dataset data;
  data.load(text, "o.csv");
  data.load("derived,kind,numerator,denominator,unit\nper,ratio,n,d,万元/家\n", "d.csv");
  std::vector<std::string> expected;
  for (const Observation& n : data.observations()) {
    if (n.indicator != "n") continue;
    for (const Observation& d : data.observations()) {
      if (d.indicator == "d" && d.entity == n.entity && d.period == n.period)
        expected.push_back(fmt::format("{} {} {}", n.entity, n.period.label(),
                                       format_fixed(to_double(*n.value) / to_double(*d.value), 6)));
    }
  }
  stats::add_derived_figures(data);
  std::vector<std::string> got;
  for (const Observation& obs : data.observations()) {
    if (obs.indicator == "per")
      got.push_back(fmt::format("{} {} {}", obs.entity, obs.period.label(),
                                format_fixed(to_double(*obs.value), 6)));
  }
  BOOST_TEST(expected.size() > 1000U);
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_derived_figure_names_its_definitions_row) {
  // A derived figure's origin is its definition's row, and it stays that when more texts are
  // loaded afterwards (the definitions then grow and move) and when the Dataset is moved; read
  // figures keep theirs too. (A short name, held inside its string: a view of the definition's
  // own would be left pointing into the definitions' old buffer, which AddressSanitizer reports.)
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,n,2020,6,万元\na,d,2020,3,家\n", "o.csv");
  data.load("derived,kind,numerator,denominator,unit\nper,ratio,n,d,万元/家\n", "defs.csv");
  stats::add_derived_figures(data);
  std::string more = "derived,kind,numerator,denominator,unit\n";
  for (int k = 0; k < 100; ++k) more += fmt::format("r{},ratio,n,d,万元/家\n", k);
  data.load(more, "more.csv");
  const Dataset moved = std::move(data);
  BOOST_TEST_REQUIRE(moved.observations().size() == 3u);
  BOOST_TEST(moved.observations()[0].origin.text() == "o.csv:2");
  BOOST_TEST(moved.observations()[1].origin.text() == "o.csv:3");
  BOOST_TEST(moved.observations()[2].indicator == "per");
  BOOST_TEST(moved.observations()[2].origin.text() == "defs.csv:2");
  BOOST_TEST(Origin{}.text() == "");
}

BOOST_AUTO_TEST_CASE(zero_denominator_gives_a_missing_value) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,n,2020,5,万元\na,d,2020,0,家\n", "o.csv");
  data.load("derived,kind,numerator,denominator,unit\nper,ratio,n,d,万元/家\n", "d.csv");
  stats::add_derived_figures(data);
  const Observation& per = find(data, "a", "per");
  BOOST_TEST(!per.value.has_value());
}

BOOST_AUTO_TEST_CASE(a_share_of_two_dimensions_is_an_error) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\na,n,2020,5,万元\na,d,2020,2,亩\n", "o.csv");
  data.load("derived,kind,numerator,denominator\nbad,share,n,d\n", "d.csv");
  BOOST_CHECK_EXCEPTION(stats::add_derived_figures(data), DataError, [](const DataError& e) {
    return std::string(e.what()) ==
               "derived 'bad': a share needs numerator and denominator of one dimension, but 'n' "
               "is in 万元 and 'd' in 亩" &&
           e.where().source == "d.csv" && e.where().line == 2 && e.where().column == 1;
  });
}

BOOST_AUTO_TEST_SUITE_END()
