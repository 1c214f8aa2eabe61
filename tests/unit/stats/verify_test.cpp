#include "jjstat/sources.hpp"
#include "jjstat/stats/derive.hpp"
#include "jjstat/stats/verify.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <utility>
#include <vector>

using namespace jjstat;
using namespace jjstat::stats;

namespace {

Dataset embedded() {
  Dataset data;
  sources::Inputs inputs = sources::load({}, true);
  for (const sources::Input& input : inputs.list()) data.load(input.text, input.name);
  add_derived_figures(data);
  return data;
}

ClaimCheck check(const Dataset& data, const std::string& id) {
  for (const Claim& claim : data.claims()) {
    if (claim.id == id) return check_claim(data, claim);
  }
  throw std::runtime_error("no claim " + id);
}

} // namespace

BOOST_AUTO_TEST_SUITE(verify)

BOOST_AUTO_TEST_CASE(the_article_claims) {
  Dataset data = embedded();
  ClaimCheck rd = check(data, "rd_spending_growth");
  BOOST_TEST((rd.verdict == Verdict::holds));
  BOOST_TEST(to_double(*rd.recomputed) == 1142.0 / 1498.0 * 100.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(to_string(*rd.tolerance) == "0.005");
  ClaimCheck sixth = check(data, "park_share_of_science_city");
  BOOST_TEST((sixth.verdict == Verdict::holds));
  BOOST_TEST(to_double(*sixth.recomputed) == 200.0 / 1198.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(to_double(*sixth.tolerance) == 0.05 / 6, boost::test_tools::tolerance(1e-12));
  ClaimCheck zones = check(data, "tuanjiehu_zones_make_park");
  BOOST_TEST((zones.verdict == Verdict::holds));
  BOOST_TEST(to_string(*zones.recomputed) == "5000"); // exact sum of five 1000s
  BOOST_TEST((check(data, "enterprises_signed").verdict == Verdict::holds));
  ClaimCheck rank = check(data, "new_smart_factories_rank");
  BOOST_TEST((rank.verdict == Verdict::uncheckable));
  BOOST_TEST(rank.reason == "new municipal-level smart factories of 2021 for every district of Chongqing");
}

BOOST_AUTO_TEST_CASE(a_wrong_claim_fails_and_a_missing_figure_cannot_be_checked) {
  Dataset data;
  data.load("entity,indicator,period,value,unit\njj,rd,2016,14.98,亿元\njj,rd,2020,26.4,亿元\n", "o.csv");
  data.load("claim,kind,subject,from,to,stated,unit\n"
            "wrong,pct_change,jj/rd,2016,2020,76.24,%\n"
            "close,pct_change,jj/rd,2016,2020,76.2,%\n"
            "gap,pct_change,jj/rd,2017,2020,10,%\n",
            "c.csv");
  ClaimCheck wrong = check_claim(data, data.claims()[0]);
  BOOST_TEST((wrong.verdict == Verdict::fails)); // 76.2350 is 0.005 away from 76.24
  // Printed with one decimal, 76.2 allows ± 0.05, and 76.2350 is within it.
  BOOST_TEST((check_claim(data, data.claims()[1]).verdict == Verdict::holds));
  ClaimCheck gap = check_claim(data, data.claims()[2]);
  BOOST_TEST((gap.verdict == Verdict::uncheckable));
  BOOST_TEST(gap.reason == "no value for 2017");
}

BOOST_AUTO_TEST_CASE(claim_series_names_what_each_kind_reads) {
  Dataset data = embedded();
  auto series_of = [&](const std::string& id) {
    for (const Claim& claim : data.claims())
      if (claim.id == id) return claim_series(claim);
    throw std::runtime_error("no claim " + id);
  };
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((series_of("rd_spending_growth") == Pairs{{"jiangjin", "rd_spending"}}));
  BOOST_TEST((series_of("park_share_of_science_city") ==
              Pairs{{"jiangjin_park", "planned_area"}, {"science_city", "planned_area"}}));
  BOOST_TEST(series_of("tuanjiehu_zones_make_park").size() == 5U); // the five zones summed
  BOOST_TEST(series_of("science_city_districts").empty());         // a count reads no figure
  BOOST_TEST(series_of("new_smart_factories_rank").empty());       // unverifiable
}

// What a streamed verify does: each claim checked from the figures of its claim_series() alone
// (the stream keeps no others) must come out as it does from the whole data set.
BOOST_AUTO_TEST_CASE(a_claim_checked_from_its_series_alone_is_checked_the_same) {
  Dataset data = embedded();
  std::size_t compared = 0;
  for (const Claim& claim : data.claims()) {
    const auto series = claim_series(claim);
    std::vector<Observation> figures;
    for (const Observation& obs : data.observations()) {
      if (std::find(series.begin(), series.end(), std::pair(obs.entity, obs.indicator)) !=
          series.end())
        figures.push_back(obs);
    }
    const ClaimCheck whole = check_claim(data, claim);
    const ClaimCheck alone = check_claim(figures, claim);
    BOOST_TEST_CONTEXT(claim.id) {
      BOOST_TEST((alone.verdict == whole.verdict));
      BOOST_TEST(alone.reason == whole.reason);
      BOOST_TEST((alone.recomputed.has_value() == whole.recomputed.has_value()));
      if (alone.recomputed && whole.recomputed)
        BOOST_TEST(to_string(*alone.recomputed) == to_string(*whole.recomputed));
    }
    ++compared;
  }
  BOOST_TEST(compared == data.claims().size());
  BOOST_TEST(compared == 14U); // the claims of data/meta/claims.csv
}

BOOST_AUTO_TEST_CASE(tolerances) {
  Claim claim;
  claim.stated_value = parse_decimal("76.23").value;
  claim.stated_digits = 2;
  BOOST_TEST(to_string(tolerance_of(claim)) == "0.005");
  claim.stated_digits = 0;
  BOOST_TEST(to_string(tolerance_of(claim)) == "0.5");
  claim.stated_digits = -1; // an exact fraction
  BOOST_TEST(to_double(tolerance_of(claim)) == 0.0);
  claim.qualifiers.add(Qualifier::approximate);
  BOOST_TEST(to_double(tolerance_of(claim)) == 0.05 * 76.23, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()
