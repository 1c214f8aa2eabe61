#include "jjstat/dataset.hpp"

#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>

#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

using namespace jjstat;

namespace {

const std::string k_header = "entity,indicator,period,value,unit\n";

/// A value as printed; works whether Observation::value holds a Decimal or a Number.
template <typename Value> std::string printed(const Value& value) {
  if constexpr (std::is_same_v<Value, Decimal>) {
    return value.to_string();
  } else {
    return std::visit(
        [](const auto& v) -> std::string {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Decimal>) {
            return v.to_string();
          } else {
            return format_shortest(v);
          }
        },
        value);
  }
}

/// "26.4 亿元", or "missing 亿元".
std::string value_of(const Observation& obs) {
  return (obs.value ? printed(*obs.value) : std::string("missing")) + " " + obs.unit;
}

Dataset loaded(std::string_view text, const std::string& source = "in.csv") {
  Dataset data;
  data.load(text, source);
  return data;
}

struct ExpectedError {
  std::string message;
  std::size_t line;
  std::size_t column;
};

/// Loads `texts` in order into one data set and checks that the last one fails as expected.
void check_error(const std::vector<std::string>& texts, const ExpectedError& expected,
                 const LoadOptions& options = {}) {
  BOOST_TEST_CONTEXT("input " << text::escape_for_terminal(texts.back())) {
    Dataset data;
    for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
      data.load(texts[i], "first.csv", options);
    }
    try {
      data.load(texts.back(), "in.csv", options);
      BOOST_ERROR("no error; expected: " << expected.message);
    } catch (const DataError& error) {
      BOOST_TEST(std::string(error.what()) == expected.message);
      BOOST_TEST(error.where().source == "in.csv");
      BOOST_TEST(error.where().line == expected.line);
      BOOST_TEST(error.where().column == expected.column);
    }
  }
}

void check_error(const std::string& text, const ExpectedError& expected) {
  check_error(std::vector<std::string>{text}, expected);
}

std::vector<std::string> indicator_ids(const Dataset& data) {
  std::vector<std::string> ids;
  for (const IndicatorInfo* info : data.indicators())
    ids.push_back(info->id);
  return ids;
}

} // namespace

BOOST_AUTO_TEST_SUITE(dataset)

BOOST_AUTO_TEST_CASE(observation_fields_are_typed) {
  Dataset data = loaded("entity,indicator,period,value,unit,qualifiers,reported_rank,rank_scope,"
                        "category,name_zh,name_en,source,source_line\n"
                        "jiangjin,new_smart_factories,2021,6,个,approximate;cumulative,2,"
                        "chongqing,smart_manufacturing,新增市级智能工厂,New smart factories,"
                        "article_2021,162\n");
  BOOST_TEST_REQUIRE(data.observations().size() == 1u);
  const Observation& obs = data.observations()[0];
  BOOST_TEST(obs.entity == "jiangjin");
  BOOST_TEST(obs.indicator == "new_smart_factories");
  BOOST_TEST(obs.period.label() == "2021");
  BOOST_TEST(value_of(obs) == "6 个");
  BOOST_TEST(obs.qualifiers.ids() == "approximate;cumulative");
  BOOST_TEST_REQUIRE(obs.reported_rank.has_value());
  BOOST_TEST(*obs.reported_rank == 2);
  BOOST_TEST(obs.rank_scope == "chongqing");
  BOOST_TEST(obs.source == "article_2021");
  BOOST_TEST_REQUIRE(obs.source_line.has_value());
  BOOST_TEST(*obs.source_line == 162);
  BOOST_TEST(obs.origin.text() == "in.csv:2");

  const IndicatorInfo* info = data.find_indicator("new_smart_factories");
  BOOST_TEST_REQUIRE(info != nullptr);
  BOOST_TEST(info->category == "smart_manufacturing");
  BOOST_TEST(info->name_zh == "新增市级智能工厂");
  BOOST_TEST(info->name_en == "New smart factories");
  BOOST_TEST(info->unit == "个");
  BOOST_TEST(info->observations == 1u);
  BOOST_TEST(info->origin == "in.csv:2");
  BOOST_TEST(data.find_indicator("nothing") == nullptr);
}

BOOST_AUTO_TEST_CASE(values_keep_their_printed_digits) {
  Dataset data = loaded(k_header + "a,x,2020,2.50,亿元\n"
                                   "a,x,2021,-0.05,亿元\n"
                                   "a,x,2022,3e4,亿元\n"
                                   "a,x,2023,+7,亿元\n"
                                   "a,x,2024,\"14.98\",亿元\n");
  BOOST_TEST_REQUIRE(data.observations().size() == 5u);
  BOOST_TEST(value_of(data.observations()[0]) == "2.50 亿元");
  BOOST_TEST(value_of(data.observations()[1]) == "-0.05 亿元");
  BOOST_TEST(value_of(data.observations()[2]) == "30000 亿元");
  BOOST_TEST(value_of(data.observations()[3]) == "7 亿元");
  BOOST_TEST(value_of(data.observations()[4]) == "14.98 亿元");
}

BOOST_AUTO_TEST_CASE(optional_cells_may_be_empty_or_absent) {
  Dataset data = loaded("entity,indicator,period,value,unit,qualifiers,reported_rank,source_line\n"
                        "a,x,2020,1,个,,,\n");
  const Observation& obs = data.observations().at(0);
  BOOST_TEST(obs.qualifiers.empty());
  BOOST_TEST(!obs.reported_rank.has_value());
  BOOST_TEST(!obs.source_line.has_value());
  BOOST_TEST(obs.rank_scope.empty());
  BOOST_TEST(obs.source.empty());
  BOOST_TEST(data.find_indicator("x")->category.empty());
}

BOOST_AUTO_TEST_CASE(missing_values_are_kept_as_nullopt) {
  Dataset data = loaded(k_header + "north,output,2019,1100.2,亿元\n"
                                   "north,output,2020,,亿元\n"
                                   "south,output,2020,\"\",亿元\n");
  BOOST_TEST_REQUIRE(data.observations().size() == 3u);
  BOOST_TEST(data.observations()[0].value.has_value());
  BOOST_TEST(!data.observations()[1].value.has_value());
  BOOST_TEST(!data.observations()[2].value.has_value());
  BOOST_TEST(data.find_indicator("output")->observations == 3u);
}

BOOST_AUTO_TEST_CASE(observations_stay_in_load_order_across_texts) {
  Dataset data;
  data.load(k_header + "b,y,2021,1,个\na,x,2020,2,个\n", "one.csv");
  data.load(k_header + "c,z,2020,3,家\na,x,2019,4,个\n", "two.csv");
  std::vector<std::string> seen;
  for (const Observation& obs : data.observations()) {
    seen.push_back(obs.entity + "/" + obs.indicator + "/" + obs.period.label() + "@" +
                   obs.origin.text());
  }
  std::vector<std::string> expected = {"b/y/2021@one.csv:2", "a/x/2020@one.csv:3",
                                       "c/z/2020@two.csv:2", "a/x/2019@two.csv:3"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
  BOOST_TEST(data.find_indicator("x")->observations == 2u);
}

BOOST_AUTO_TEST_CASE(origin_is_the_first_physical_line_of_the_record) {
  // A quoted newline advances the line count; CRLF, a BOM and blank lines do not confuse it.
  Dataset data = loaded("\xEF\xBB\xBF"
                        "entity,indicator,period,value,unit,name_en\r\n"
                        "\r\n"
                        "a,x,2020,1,个,\"two\r\nlines\"\r\n"
                        "b,x,2020,2,个,\r\n");
  BOOST_TEST_REQUIRE(data.observations().size() == 2u);
  BOOST_TEST(data.observations()[0].origin.text() == "in.csv:3");
  BOOST_TEST(data.observations()[1].origin.text() == "in.csv:5");
  BOOST_TEST(data.find_indicator("x")->name_en == "two\r\nlines");
}

BOOST_AUTO_TEST_CASE(columns_may_come_in_any_order) {
  Dataset data =
      loaded("unit,value,period,indicator,entity\n亿元,26.4,2020,rd_spending,jiangjin\n");
  BOOST_TEST_REQUIRE(data.observations().size() == 1u);
  BOOST_TEST(data.observations()[0].entity == "jiangjin");
  BOOST_TEST(value_of(data.observations()[0]) == "26.4 亿元");
}

BOOST_AUTO_TEST_CASE(periods_of_every_kind) {
  Dataset data = loaded(k_header + "a,y,2020,1,个\na,q,2020Q3,1,个\na,m,2020-09,1,个\n");
  BOOST_TEST(to_string(data.observations().at(0).period.kind()) == "year");
  BOOST_TEST(to_string(data.observations().at(1).period.kind()) == "quarter");
  BOOST_TEST(data.observations().at(2).period.label() == "2020-09");
  BOOST_TEST(to_string(data.find_indicator("m")->period_kind) == "month");
}

BOOST_AUTO_TEST_CASE(empty_texts_add_nothing) {
  Dataset data;
  data.load("", "empty.csv");
  data.load("\xEF\xBB\xBF", "bom.csv");
  data.load("\n\r\n", "blank.csv");
  data.load(k_header, "header_only.csv");
  BOOST_TEST(data.observations().empty());
  BOOST_TEST(data.indicators().empty());
  BOOST_TEST(data.entities().empty());
  BOOST_TEST(data.categories().empty());
  BOOST_TEST(data.sources().empty());
}

BOOST_AUTO_TEST_CASE(header_tells_which_table) {
  Dataset data;
  data.load("entity,name_zh,name_en,kind\njiangjin,江津区,Jiangjin District,district\n"
            "chongqing,重庆市,Chongqing Municipality,municipality\n",
            "entities.csv");
  data.load("category,name_zh,name_en\nrd,研发投入,R&D spending\n", "categories.csv");
  data.load("source,title_zh,title_en,year,covers,file\n"
            "article_2021,标题,Title,2021,\"a, b\",seed.txt\n",
            "sources.csv");
  // Only the key column is required, and the others may come in any order.
  data.load("entity,name_en\nscience_city,Western Science City\n", "short_entities.csv");
  BOOST_TEST(data.observations().empty());

  BOOST_TEST_REQUIRE(data.entities().size() == 3u);
  BOOST_TEST(data.entities()[0].id == "jiangjin");
  BOOST_TEST(data.entities()[0].name_zh == "江津区");
  BOOST_TEST(data.entities()[0].name_en == "Jiangjin District");
  BOOST_TEST(data.entities()[0].kind == "district");
  BOOST_TEST(data.entities()[1].id == "chongqing");
  BOOST_TEST(data.entities()[2].id == "science_city");
  BOOST_TEST(data.entities()[2].name_en == "Western Science City");
  BOOST_TEST(data.entities()[2].name_zh.empty());

  BOOST_TEST_REQUIRE(data.categories().size() == 1u);
  BOOST_TEST(data.categories()[0].id == "rd");
  BOOST_TEST(data.categories()[0].name_zh == "研发投入");
  BOOST_TEST_REQUIRE(data.find_category("rd") != nullptr);
  BOOST_TEST(data.find_category("rd")->name_en == "R&D spending");

  BOOST_TEST_REQUIRE(data.sources().size() == 1u);
  const SourceInfo& source = data.sources()[0];
  BOOST_TEST(source.id == "article_2021");
  BOOST_TEST(source.title_zh == "标题");
  BOOST_TEST(source.title_en == "Title");
  BOOST_TEST(source.year == "2021");
  BOOST_TEST(source.covers == "a, b");
  BOOST_TEST(source.file == "seed.txt");

  BOOST_TEST(data.entity_name("jiangjin", true) == "江津区");
  BOOST_TEST(data.entity_name("jiangjin", false) == "Jiangjin District");
  BOOST_TEST(data.entity_name("science_city", true) == "science_city"); // no Chinese name
  BOOST_TEST(data.entity_name("nowhere", false) == "nowhere");
  BOOST_TEST(data.category_name("rd", false) == "R&D spending");
  BOOST_TEST(data.category_name("other", true) == "other");
}

BOOST_AUTO_TEST_CASE(a_header_with_indicator_or_value_is_an_observations_table) {
  // Starting with "entity" does not make it an entities table.
  check_error(std::string("entity,indicator\na,x\n"),
              {"missing column 'period' in an observations table; required columns: entity, "
               "indicator, period, value, unit",
               1, 1});
  check_error(std::string("value\n1\n"),
              {"missing column 'entity' in an observations table; required columns: entity, "
               "indicator, period, value, unit",
               1, 1});
}

BOOST_AUTO_TEST_CASE(an_unknown_header_is_an_error) {
  check_error(std::string("region,population\nnorth,5\n"),
              {"unrecognised header starting with 'region'; expected an observations table "
               "(entity, indicator, period, value, unit, ...) or a table of entities, "
               "categories, sources, derived figures or claims",
               1, 1});
}

BOOST_AUTO_TEST_CASE(the_start_of_a_text_tells_whether_its_header_is_refused) {
  // Refused once the first record is whole and is no table's header (load()'s first error
  // whatever follows); not known while it may not be whole; not refused when it is a header
  // load() takes, or holds another error (load() reports that from the whole text).
  LoadOptions strict;
  LoadOptions lenient;
  lenient.csv.quotes = csv::QuotePolicy::lenient;
  auto says = [&](std::string_view start, const LoadOptions& options = {}) -> std::string {
    const std::optional<bool> refused = Dataset::refuses_header(start, options);
    return !refused ? "not known" : *refused ? "refused" : "taken";
  };
  BOOST_TEST(says("") == "not known");
  BOOST_TEST(says("y") == "not known");
  BOOST_TEST(says("entity,indic") == "not known");
  BOOST_TEST(says("y\n") == "refused");
  BOOST_TEST(says("y\ny\ny") == "refused");
  BOOST_TEST(says("region,population\nnorth,5\n") == "refused");
  for (const char* known : {"entity,indicator,period,value,unit\n",
                            "\xEF\xBB\xBF"
                            "entity,indicator,period,value,unit\n",
                            "value\n", "entity,name_zh\n", "category,name_en\n", "source,title\n",
                            "derived,a\n", "claim,b\n", "entity,indicator,unit,2016,2017\n"})
    BOOST_TEST(says(known) == "taken", known);
  // A quoted first cell across a line end: the record ends at the second line end.
  BOOST_TEST(says("\"a\nb") == "not known");
  BOOST_TEST(says("\"a\nb\",c\nd\n") == "refused");
  BOOST_TEST(says("\"indicator\",\"a\nb\"\n") == "taken");
  // An error in the first record is load()'s to report: not refused here. A stray quote (an
  // error, or a character the lenient policy keeps) makes the quotes odd until another one.
  // Kept, it may put the line end looked at inside a quoted cell after it, which then reads
  // as cut short: taken, not known to be refused.
  BOOST_TEST(says("\xFF,b\n", strict) == "taken");
  BOOST_TEST(says("a\"b,c\n", strict) == "not known");
  BOOST_TEST(says("a\"b,c\nd\"\n", lenient) == "refused");
  BOOST_TEST(says("a\"b,\"x\ny\",c\n", lenient) == "taken");
}

BOOST_AUTO_TEST_CASE(header_errors) {
  const std::string all_columns = "entity, indicator, period, value, unit, qualifiers, "
                                  "reported_rank, rank_scope, category, name_zh, name_en, source, "
                                  "source_line";
  check_error(std::string("entity,indicator,period,value\na,x,2020,1\n"),
              {"missing column 'unit' in an observations table; required columns: entity, "
               "indicator, period, value, unit",
               1, 1});
  check_error(std::string("\xEF\xBB\xBF"
                          "entity,indicator,value,unit\r\na,x,1,个\r\n"),
              {"missing column 'period' in an observations table; required columns: entity, "
               "indicator, period, value, unit",
               1, 1});
  check_error(std::string("entity,indicator,period,value,unit,colour\n"),
              {"unknown column 'colour' in an observations table; expected columns: " + all_columns,
               1, 36});
  check_error(
      std::string("entity,indicator,period,value,unit,Unit\n"),
      {"unknown column 'Unit' in an observations table; expected columns: " + all_columns, 1, 36});
  check_error(std::string("entity,indicator,period,value,unit,unit\n"),
              {"column 'unit' appears twice (first as column 5)", 1, 36});
  check_error(std::string("entity,名称,kind\n"),
              {"unknown column '名称' in an entities table; expected columns: entity, name_zh, "
               "name_en, kind",
               1, 8});
  check_error(std::string("category,name_zh,name_zh\n"),
              {"column 'name_zh' appears twice (first as column 2)", 1, 18});
  check_error(std::string("source,url\n"),
              {"unknown column 'url' in a sources table; expected columns: source, title_zh, "
               "title_en, year, covers, file",
               1, 8});
}

BOOST_AUTO_TEST_CASE(row_width_errors) {
  check_error(k_header + "a,x,2020,1\n", {"row has 4 fields but the header has 5", 2, 11});
  check_error(k_header + "a,x,2020,1,个,extra,more\n",
              {"row has 7 fields but the header has 5", 2, 14});
  check_error(std::string("entity,name_zh\njiangjin,江津区,district\n"),
              {"row has 3 fields but the header has 2", 2, 14});
}

BOOST_AUTO_TEST_CASE(empty_required_cells) {
  check_error(k_header + ",x,2020,1,个\n", {"empty entity; every row needs an entity", 2, 1});
  check_error(k_header + "a,,2020,1,个\n",
              {"empty indicator; every row needs an indicator id", 2, 3});
  check_error(k_header + "a,x,,1,个\n", {"empty period; every row needs a period", 2, 5});
  check_error(k_header + "a,x,2020,1,\n",
              {"empty unit; every row needs a unit as printed (亿元, 个, %)", 2, 12});
  check_error(std::string("entity,name_zh\n,江津区\n"),
              {"empty entity; every row of an entities table needs one", 2, 1});
  check_error(std::string("category,name_zh\n\"\",研发\n"),
              {"empty category; every row of a categories table needs one", 2, 1});
}

BOOST_AUTO_TEST_CASE(indicator_must_be_snake_case) {
  const std::string tail = " is not an ASCII snake_case id; expected a lower-case letter, then "
                           "lower-case letters, digits or '_'";
  check_error(k_header + "a,R&D,2020,1,个\n", {"indicator 'R&D'" + tail, 2, 3});
  check_error(k_header + "a,rdSpending,2020,1,个\n", {"indicator 'rdSpending'" + tail, 2, 3});
  check_error(k_header + "a,_x,2020,1,个\n", {"indicator '_x'" + tail, 2, 3});
  check_error(k_header + "a,2x,2020,1,个\n", {"indicator '2x'" + tail, 2, 3});
  check_error(k_header + "a,研发,2020,1,个\n", {"indicator '研发'" + tail, 2, 3});
  check_error(k_header + "a,rd spending,2020,1,个\n", {"indicator 'rd spending'" + tail, 2, 3});
}

BOOST_AUTO_TEST_CASE(claim_periods_must_be_periods_where_they_stand) {
  // A claim's from and to are read before its other checks; the error names the cell's line and
  // column (found only when there is an error).
  const std::string header = "claim,kind,subject,from,to,stated,unit\n";
  const std::string good = "ok,pct_change,jj/rd,2016,2020,76.24,%\n";
  const std::string tail = " is not a year, quarter or month; expected 2020, 2020Q3 or 2020-09";
  check_error(header + good + "bad,pct_change,jj/rd,2016x,2020,1,%\n",
              {"period '2016x'" + tail, 3, 22});
  check_error(header + good + "ok2,pct_change,jj/rd,2017,2020,1,%\n" +
                  "\"b\",pct_change,jj/rd,2016,20-20,1,%\n",
              {"period '20-20'" + tail, 4, 27});
}

BOOST_AUTO_TEST_CASE(periods_must_be_years_quarters_or_months) {
  const std::string tail = " is not a year, quarter or month; expected 2020, 2020Q3 or 2020-09";
  for (const std::string period :
       {"2020年", "20", "2020Q5", "2020-13", "2020-9", "0999", "2020q3", "FY2020", "2020 "}) {
    check_error(k_header + "a,x," + period + ",1,个\n", {"period '" + period + "'" + tail, 2, 5});
  }
}

BOOST_AUTO_TEST_CASE(values_must_be_plain_numbers) {
  const std::string expected = "expected a plain decimal number such as -12.5 or 3e4";
  const std::string row = "jiangjin,rd_spending,2020,"; // 26 characters: the value is column 27
  struct Case {
    std::string cell;
    std::string message;
    std::size_t column;
  };
  const std::vector<Case> cases = {
      {"26.4亿",
       "value '26.4亿' has text after the number; " + expected +
           ": write 26.4 and put the unit (such as 亿元) in the unit column",
       31},
      {"12万元",
       "value '12万元' has text after the number; " + expected +
           ": write 12 and put the unit (such as 万元) in the unit column",
       29},
      {"\"1,234\"", "value '1,234' has digit grouping; " + expected + ": write 1234", 29},
      {"\"-12,345,678.5\"",
       "value '-12,345,678.5' has digit grouping; " + expected + ": write -12345678.5", 31},
      // One comma without a group of three after it is a decimal comma: 1,5 is 1.5, not 15.
      {"\"1,5\"", "value '1,5' has a decimal comma; " + expected + ": write 1.5", 29},
      {"\"-0,25\"", "value '-0,25' has a decimal comma; " + expected + ": write -0.25", 30},
      {"\"1234,567\"", "value '1234,567' has a decimal comma; " + expected + ": write 1234.567",
       32},
      {"\"1,2,3\"", "value '1,2,3' has a comma in the number; " + expected, 29},
      // A first group with a leading zero groups nothing: 0,500 is a half, not 500.
      {"\"0,500\"", "value '0,500' has a decimal comma; " + expected + ": write 0.500", 29},
      {"\"-0,001\"", "value '-0,001' has a decimal comma; " + expected + ": write -0.001", 30},
      {"\"0,250.5\"", "value '0,250.5' has a comma in the number; " + expected, 29},
      {"１２３", "value '１２３' has fullwidth characters; " + expected + ": write 123", 27},
      {"１２．５", "value '１２．５' has fullwidth characters; " + expected + ": write 12.5", 27},
      {"12%",
       "value '12%' has a percent sign; " + expected +
           ": write 12 and put % in the unit "
           "column",
       29},
      {"NaN",
       "value 'NaN' is not a finite number; " + expected +
           " (leave the cell empty for a missing value)",
       27},
      {"-inf",
       "value '-inf' is not a finite number; " + expected +
           " (leave the cell empty for a missing value)",
       28},
      {"1e400", "value '1e400' is out of range; at most 18 digits before the point", 28},
      {"1e-30", "value '1e-30' has more than 18 digits after the point", 28},
      {" 12", "value ' 12' has white space around the number; " + expected, 27},
      {"12 ", "value '12 ' has white space around the number; " + expected, 29},
      {"1.2.3", "value '1.2.3' is not a number; " + expected, 30},
      // (Text after the number with a digit in it is no unit: no hint to move it there.)
      {"0x10", "value '0x10' is not a number; " + expected, 28},
      {"12-5", "value '12-5' is not a number; " + expected, 29},
      {"12abc",
       "value '12abc' has text after the number; " + expected +
           ": write 12 and put the unit (such as abc) in the unit column",
       29},
      // (A unit may have digits in it; a value followed by a byte-order mark alone has none.)
      {"12m2",
       "value '12m2' has text after the number; " + expected +
           ": write 12 and put the unit (such as m2) in the unit column",
       29},
      {"-0X1f", "value '-0X1f' is not a number; " + expected, 29},
      // (A product is no number followed by a unit: x9 is no unit; nor is x 9, x-3 or ×.5.)
      {"9x9", "value '9x9' is not a number; " + expected, 28},
      {"2×3", "value '2×3' is not a number; " + expected, 28},
      {"9 x 9", "value '9 x 9' is not a number; " + expected, 29},
      {"9x -3", "value '9x -3' is not a number; " + expected, 28},
      {"2×.5", "value '2×.5' is not a number; " + expected, 28},
      {"9X+.5", "value '9X+.5' is not a number; " + expected, 28},
      {"12x",
       "value '12x' has text after the number; " + expected +
           ": write 12 and put the unit (such as x) in the unit column",
       29},
      {"1\xEF\xBB\xBF", "value '1\xEF\xBB\xBF' is not a number; " + expected, 28},
      {"abc", "value 'abc' is not a number; " + expected, 27},
  };
  for (const Case& c : cases) {
    check_error(k_header + row + c.cell + ",亿元\n", {c.message, 2, c.column});
  }
}

BOOST_AUTO_TEST_CASE(qualifier_rank_and_source_line_errors) {
  const std::string header = "entity,indicator,period,value,unit,qualifiers,reported_rank,"
                             "source_line\n";
  check_error(header + "a,x,2020,1,个,approximate;guess,,\n",
              {"unknown qualifier 'guess'; expected approximate, projected, target, at_least, "
               "planned, cumulative or derived, separated by ';'",
               2, 26});
  check_error(header + "a,x,2020,1,个,约,,\n",
              {"unknown qualifier '约'; expected approximate, projected, target, at_least, "
               "planned, cumulative or derived, separated by ';'",
               2, 14});
  for (const std::string rank : {"0", "-1", "2.0", "第二", "01", "1234567890"}) {
    check_error(header + "a,x,2020,1,个,," + rank + ",\n",
                {"reported_rank '" + rank + "' is not a positive whole number", 2, 15});
  }
  check_error(header + "a,x,2020,1,个,,,L196\n",
              {"source_line 'L196' is not a positive whole number", 2, 16});
}

BOOST_AUTO_TEST_CASE(identical_duplicates_are_one_figure) {
  // The same figure again (a file that starts from `jjstat export`) is accepted silently,
  // whether written with other digits (26.40), in the same text or in a later one.
  Dataset data;
  data.load(k_header + "jiangjin,rd_spending,2020,26.4,亿元\n"
                       "jiangjin,rd_spending,2020,26.40,亿元\n"
                       "jiangjin,rd_spending,2021,,亿元\n"
                       "jiangjin,rd_spending,2021,,亿元\n",
            "one.csv");
  data.load(k_header + "jiangjin,rd_spending,2020,26.4,亿元\n", "two.csv");
  BOOST_TEST_REQUIRE(data.observations().size() == 2u);
  BOOST_TEST(value_of(data.observations()[0]) == "26.4 亿元");
  BOOST_TEST(data.observations()[0].origin.text() == "one.csv:2");
  BOOST_TEST(value_of(data.observations()[1]) == "missing 亿元");
  BOOST_TEST(data.find_indicator("rd_spending")->observations == 2u);

  // Described tables: a second file may describe an entity again; the first description stays.
  data.load("entity,name_en\njiangjin,Jiangjin\n", "a.csv");
  data.load("entity,name_en\njiangjin,Jiangjin District\n", "b.csv");
  BOOST_TEST_REQUIRE(data.entities().size() == 1u);
  BOOST_TEST(data.entities()[0].name_en == "Jiangjin");
}

BOOST_AUTO_TEST_CASE(duplicates_with_another_value_are_errors) {
  check_error(k_header + "jiangjin,rd_spending,2020,26.4,亿元\n"
                         "jiangjin,rd_spending,2020,26.5,亿元\n",
              {"duplicate row for entity 'jiangjin', indicator 'rd_spending', period 2020: 26.5 "
               "亿元 here, 26.4 亿元 at in.csv:2",
               3, 27});
  check_error(k_header + "a,x,2020Q3,,亿元\na,x,2020Q3,3,亿元\n",
              {"duplicate row for entity 'a', indicator 'x', period 2020Q3: 3 亿元 here, missing "
               "(亿元) at in.csv:2",
               3, 12});
  // The same amount in another unit of the same dimension is still another figure as printed.
  check_error(k_header + "a,x,2020,1,亿元\na,x,2020,10000,万元\n",
              {"duplicate row for entity 'a', indicator 'x', period 2020: 10000 万元 here, 1 亿元 "
               "at in.csv:2",
               3, 10});
  // Across texts the message names the first file.
  check_error({k_header + "a,x,2020,1,个\n", k_header + "a,x,2020,2,个\n"},
              {"duplicate row for entity 'a', indicator 'x', period 2020: 2 个 here, 1 个 at "
               "first.csv:2",
               2, 10});
}

BOOST_AUTO_TEST_CASE(repeats_are_found_among_many_keys) {
  // The loader finds earlier rows by key in a table sized for the lines of each text, its keys
  // placed anew for the next text: with 20 000 keys in a shuffled order, read as one text and as
  // 40 texts (each re-placing the keys before it), every repeat must still find its first row,
  // and keys that differ only in entity, indicator or period must not meet. Checked against a
  // std::map.
  std::mt19937 random(20261129);
  std::vector<std::string> rows;
  for (int e = 0; e < 200; ++e) {
    for (int i = 0; i < 10; ++i) {
      for (int y = 0; y < 10; ++y) {
        rows.push_back(fmt::format("e{},x{},{},{},个\n", e, i, 2011 + y, (e * 7 + i * 3 + y) % 97));
      }
    }
  }
  std::shuffle(rows.begin(), rows.end(), random);
  // Every third row once more, the same figure, at the end: one figure each.
  const std::size_t distinct = rows.size();
  for (std::size_t k = 0; k < distinct; k += 3) rows.push_back(rows[k]);
  std::string text = k_header;
  for (const std::string& row : rows) text += row;
  std::map<std::string, std::size_t> first_row; // row k of `rows`
  for (std::size_t k = 0; k < distinct; ++k) {
    const std::string& row = rows[k];
    first_row.emplace(row.substr(0, row.find(',', row.find(',', row.find(',') + 1) + 1)), k);
  }
  BOOST_TEST(first_row.size() == distinct);
  for (const std::size_t pieces : {std::size_t{1}, std::size_t{40}}) {
    BOOST_TEST_CONTEXT("in " << pieces << " texts") {
      // Row k is in text k / per (named "many{k / per}.csv"), at line k % per + 2.
      const std::size_t per = (rows.size() + pieces - 1) / pieces;
      Dataset data;
      for (std::size_t p = 0; p < pieces; ++p) {
        std::string piece = k_header;
        for (std::size_t k = p * per; k < std::min(rows.size(), (p + 1) * per); ++k)
          piece += rows[k];
        data.load(piece, fmt::format("many{}.csv", p));
      }
      BOOST_TEST_REQUIRE(data.observations().size() == distinct);
      for (const Observation& obs : data.observations()) {
        const std::string key =
            fmt::format("{},{},{}", obs.entity, obs.indicator, obs.period.label());
        const std::size_t k = first_row.at(key);
        BOOST_TEST(obs.origin.text() == fmt::format("many{}.csv:{}", k / per, k % per + 2));
      }
    }
  }
  // A repeat with another value names its first row, however deep in the table.
  std::vector<std::string> cells;
  std::string_view early = rows[17];
  early.remove_suffix(1); // its line break
  for (std::size_t at = 0;;) {
    const std::size_t comma = early.find(',', at);
    cells.emplace_back(early.substr(at, comma - at));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  BOOST_TEST_REQUIRE(cells.size() == 5u);
  check_error({text, k_header + fmt::format("{},{},{},1000,个\n", cells[0], cells[1], cells[2])},
              {fmt::format("duplicate row for entity '{}', indicator '{}', period {}: 1000 个 "
                           "here, {} 个 at first.csv:19",
                           cells[0], cells[1], cells[2], cells[3]),
               2, cells[0].size() + cells[1].size() + cells[2].size() + 4});
}

BOOST_AUTO_TEST_CASE(room_for_the_rows_is_made_at_once) {
  // load() makes room for a row per line of the text, and an eighth more for derived figures,
  // before reading it, when the text has more than twice as many lines as the figures held (so
  // not for the same file given twice, whose rows may all be repeats): 16 000 rows fit
  // without a move (doubling would have stopped at 16 384), and 1 000 derived figures after them
  // move none of them either. A wide table makes room for a row per line and period.
  std::string text = k_header;
  for (int k = 0; k < 16000; ++k) text += fmt::format("e{},x,{},{},个\n", k / 10, 2011 + k % 10, k);
  Dataset data;
  data.load(text, "room.csv");
  BOOST_TEST_REQUIRE(data.observations().size() == 16000u);
  BOOST_TEST(data.observations().capacity() >= 16000u + 16000u / 8);
  const Observation* first = data.observations().data();
  DerivedDefinition twice;
  twice.id = "twice";
  twice.unit = "个";
  for (int k = 0; k < 1000; ++k) {
    Observation obs = data.observations()[static_cast<std::size_t>(k)];
    obs.indicator = "twice";
    obs.computed = true;
    data.add_derived(twice, std::move(obs));
  }
  BOOST_TEST(data.observations().size() == 17000u);
  BOOST_TEST(data.observations().data() == first);
  // The same rows again (the same file given twice): no longer than what is held, it makes no
  // room; its rows are the same figures and nothing moves.
  const std::size_t room = data.observations().capacity();
  data.load(text, "again.csv");
  BOOST_TEST(data.observations().size() == 17000u);
  BOOST_TEST(data.observations().capacity() == room);
  BOOST_TEST(data.observations().data() == first);

  std::string wide = "entity,indicator,unit,2019,2020\n";
  for (int k = 0; k < 9000; ++k) wide += fmt::format("e{},x,个,{},{}\n", k, k, k + 1);
  Dataset table;
  table.load(wide, "wide.csv", LoadOptions{{}, true});
  BOOST_TEST_REQUIRE(table.observations().size() == 18000u);
  BOOST_TEST(table.observations().capacity() >= 18000u + 18000u / 8);
}

BOOST_AUTO_TEST_CASE(keys_whose_hashes_agree_are_told_apart) {
  // The loader compares the keys themselves only when the upper halves of their hashes agree:
  // found here are pairs of keys whose hashes agree that differ only in entity, only in
  // indicator, only in period. Each pair's two rows are two figures, and a third row repeating
  // the second key with another value names the second row, not the first.
  auto tag = [](std::string_view entity, std::string_view indicator, const Period& period) {
    return static_cast<std::uint32_t>(observation_key_hash(entity, indicator, period) >> 32);
  };
  struct Key {
    std::string entity, indicator, period;
  };
  // The first two keys made by `make(k)` (k = 0, 1, ...) whose hashes agree.
  auto colliding = [&](auto&& make) -> std::optional<std::pair<Key, Key>> {
    std::unordered_map<std::uint32_t, Key> seen;
    for (int k = 0; k < 1000000; ++k) {
      Key key = make(k);
      const std::uint32_t t = tag(key.entity, key.indicator, *Period::parse(key.period));
      auto [it, fresh] = seen.try_emplace(t, key);
      if (!fresh) return std::pair{it->second, key};
    }
    return std::nullopt;
  };
  auto months = [](int k) { // 1000-01 to 9999-12 (108 000 months)
    return fmt::format("{}-{:02}", 1000 + k / 12 % 9000, k % 12 + 1);
  };
  const std::vector<std::optional<std::pair<Key, Key>>> pairs = {
      colliding([](int k) {
        return Key{fmt::format("e{}", k), "x", "2020"};
      }),
      colliding([](int k) {
        return Key{"e", fmt::format("i{}", k), "2020"};
      }),
      // (Months of one entity at a time: an indicator has one kind of period.)
      colliding([&](int k) {
        return Key{fmt::format("e{}", k / 108000), "x", months(k)};
      }),
  };
  for (const auto& pair : pairs) {
    BOOST_TEST_REQUIRE(pair.has_value());
    const auto& [a, b] = *pair;
    BOOST_TEST_CONTEXT(a.entity << "," << a.indicator << "," << a.period << " and " << b.entity
                                << "," << b.indicator << "," << b.period) {
      // Exactly one part differs.
      BOOST_TEST((a.entity != b.entity) + (a.indicator != b.indicator) + (a.period != b.period) ==
                 1);
      const std::string rows = k_header +
                               fmt::format("{},{},{},1,个\n", a.entity, a.indicator, a.period) +
                               fmt::format("{},{},{},2,个\n", b.entity, b.indicator, b.period);
      Dataset data = loaded(rows);
      BOOST_TEST_REQUIRE(data.observations().size() == 2u);
      BOOST_TEST(value_of(data.observations()[1]) == "2 个");
      const std::string again = fmt::format("{},{},{},3,个\n", b.entity, b.indicator, b.period);
      check_error({rows, k_header + again},
                  {fmt::format("duplicate row for entity '{}', indicator '{}', period {}: 3 个 "
                               "here, 2 个 at first.csv:3",
                               b.entity, b.indicator, b.period),
                   2, b.entity.size() + b.indicator.size() + b.period.size() + 4});
    }
  }
}

BOOST_AUTO_TEST_CASE(described_twice_in_one_table_is_an_error) {
  check_error(std::string("entity,name_en\njiangjin,Jiangjin\njiangjin,Jiangjin\n"),
              {"entity 'jiangjin' is described twice; first at in.csv:2", 3, 1});
  check_error(std::string("category\nrd\nrd\n"),
              {"category 'rd' is described twice; first at in.csv:2", 3, 1});
  check_error(std::string("source,year\na,2021\na,2022\n"),
              {"source 'a' is described twice; first at in.csv:2", 3, 1});
}

BOOST_AUTO_TEST_CASE(one_indicator_one_kind_of_quantity) {
  check_error(k_header + "jiangjin,rd_spending,2020,26.4,亿元\njiangjin,rd_spending,2021,30,家\n",
              {"unit '家' of indicator 'rd_spending' measures count of 家, but its unit at "
               "in.csv:2 is '亿元', which measures money; one indicator holds one kind of quantity",
               3, 30});
  check_error(k_header + "a,x,2020,1,个\na,x,2021,1,家\n",
              {"unit '家' of indicator 'x' measures count of 家, but its unit at in.csv:2 is '个', "
               "which measures count of 个; one indicator holds one kind of quantity",
               3, 12});
  // Units of one dimension may mix: 亿元 and 万元, 亩 and 平方公里.
  Dataset data = loaded(k_header + "a,m,2020,1,亿元\nb,m,2020,5,万元\n"
                                   "a,area,2020,1,平方公里\nb,area,2020,5000,亩\n");
  BOOST_TEST(data.observations().size() == 4u);
  BOOST_TEST(data.find_indicator("m")->unit == "亿元");
}

BOOST_AUTO_TEST_CASE(one_indicator_one_kind_of_period) {
  check_error(k_header +
                  "jiangjin,rd_spending,2020,26.4,亿元\njiangjin,rd_spending,2021Q1,3,亿元\n",
              {"period 2021Q1 is a quarter, but indicator 'rd_spending' has year periods (see "
               "in.csv:2); one indicator holds one kind of period",
               3, 22});
  check_error(k_header + "a,x,2020-01,1,个\nb,x,2020,1,个\n",
              {"period 2020 is a year, but indicator 'x' has month periods (see in.csv:2); one "
               "indicator holds one kind of period",
               3, 5});
}

BOOST_AUTO_TEST_CASE(indicator_metadata_must_agree) {
  const std::string header = "entity,indicator,period,value,unit,category,name_zh,name_en\n";
  check_error(header + "a,x,2020,1,个,rd,研发,R&D\nb,x,2020,1,个,finance,研发,R&D\n",
              {"category 'finance' of indicator 'x' differs from 'rd' given at in.csv:2", 3, 14});
  check_error(header + "a,x,2020,1,个,rd,研发,R&D\nb,x,2020,1,个,rd,研究,R&D\n",
              {"name_zh '研究' of indicator 'x' differs from '研发' given at in.csv:2", 3, 17});
  check_error(header + "a,x,2020,1,个,rd,研发,R&D\nb,x,2020,1,个,rd,研发,R and D\n",
              {"name_en 'R and D' of indicator 'x' differs from 'R&D' given at in.csv:2", 3, 20});
  check_error(
      {header + "a,x,2020,1,个,rd,,\n", header + "b,x,2020,1,个,contest,,\n"},
      {"category 'contest' of indicator 'x' differs from 'rd' given at first.csv:2", 2, 14});

  // An empty cell agrees with anything, and a later row may fill in what an earlier one left out.
  Dataset data = loaded(header + "a,x,2020,1,个,,,R&D\nb,x,2020,1,个,rd,研发,\n"
                                 "c,x,2020,1,个,,,\n");
  const IndicatorInfo* info = data.find_indicator("x");
  BOOST_TEST_REQUIRE(info != nullptr);
  BOOST_TEST(info->category == "rd");
  BOOST_TEST(info->name_zh == "研发");
  BOOST_TEST(info->name_en == "R&D");
  BOOST_TEST(info->observations == 3u);
  BOOST_TEST(info->origin == "in.csv:2");
}

BOOST_AUTO_TEST_CASE(indicators_are_ordered_by_category_then_first_appearance) {
  Dataset data;
  data.load("entity,indicator,period,value,unit,category\n"
            "a,loans,2021,1,万元,finance\n"
            "a,plan_area,2021,1,亩,park_land\n"
            "a,orphan,2021,1,个,\n"
            "a,grants,2021,1,万元,finance\n"
            "a,extra,2021,1,个,misc\n"
            "a,built_area,2021,1,亩,park_land\n"
            "a,loans,2022,2,万元,finance\n",
            "figures.csv");
  data.load("category,name_en\npark_land,Park land\nfinance,Finance\n", "categories.csv");

  std::vector<std::string> expected = {"plan_area", "built_area", "loans",
                                       "grants",    "orphan",     "extra"};
  BOOST_TEST(indicator_ids(data) == expected, boost::test_tools::per_element());

  // The described categories in file order, then the others in order of first use.
  std::vector<std::string> categories;
  for (const CategoryInfo& c : data.categories())
    categories.push_back(c.id);
  std::vector<std::string> expected_categories = {"park_land", "finance", "", "misc"};
  BOOST_TEST(categories == expected_categories, boost::test_tools::per_element());
  BOOST_TEST(data.find_category("misc") == nullptr);
  BOOST_TEST(data.category_name("misc", false) == "misc");

  // Observations stay in load order whatever the indicator order.
  BOOST_TEST(data.observations().front().indicator == "loans");
  BOOST_TEST(data.observations().back().period.label() == "2022");
}

BOOST_AUTO_TEST_CASE(csv_errors_reach_the_caller_with_their_location) {
  check_error(k_header + "a,x,\"2020,1,个\n", {"unterminated quoted field: the quote opened here "
                                               "is never closed",
                                               2, 5});
  check_error(
      k_header + "a,x,2020,1,个\rb,x,2021,1,个\n",
      {"carriage return not followed by a line feed; expected LF or CRLF line endings", 2, 13});
  check_error(
      k_header + "a,研发\"经费\",2020,1,个\n",
      {"quote inside an unquoted field; quote the whole field and double the quote (\"\")", 2, 5});
  // Lenient quotes keep the bare quote as a character.
  LoadOptions lenient;
  lenient.csv.quotes = csv::QuotePolicy::lenient;
  Dataset data;
  data.load("entity,indicator,period,value,unit,name_zh\na,x,2020,1,个,研发\"经费\"\n", "in.csv",
            lenient);
  BOOST_TEST(data.find_indicator("x")->name_zh == "研发\"经费\"");
}

BOOST_AUTO_TEST_CASE(error_location_carries_the_line_text) {
  Dataset data;
  try {
    data.load("\xEF\xBB\xBF" + k_header + "a,x,2020,26.4亿,亿元\r\nb,x,2020,1,亿元\r\n", "in.csv");
    BOOST_ERROR("no error");
  } catch (const DataError& error) {
    BOOST_TEST(error.where().line == 2u);
    BOOST_TEST(error.where().column == 14u);
    BOOST_TEST(error.where().line_text == "a,x,2020,26.4亿,亿元");
  }
  try {
    data.load("\xEF\xBB\xBF"
              "entity,indicator,period,value\r\n",
              "in.csv");
    BOOST_ERROR("no error");
  } catch (const DataError& error) {
    BOOST_TEST(error.where().column == 1u);
    BOOST_TEST(error.where().line_text == "entity,indicator,period,value"); // no BOM, no CR
  }
}

BOOST_AUTO_TEST_CASE(snake_case_ids) {
  BOOST_TEST(is_snake_case_id("rd_spending"));
  BOOST_TEST(is_snake_case_id("a"));
  BOOST_TEST(is_snake_case_id("x2_y3"));
  BOOST_TEST(is_snake_case_id("trailing_"));
  BOOST_TEST(!is_snake_case_id(""));
  BOOST_TEST(!is_snake_case_id("_x"));
  BOOST_TEST(!is_snake_case_id("2x"));
  BOOST_TEST(!is_snake_case_id("R&D"));
  BOOST_TEST(!is_snake_case_id("rdSpending"));
  BOOST_TEST(!is_snake_case_id("rd-spending"));
  BOOST_TEST(!is_snake_case_id("rd spending"));
  BOOST_TEST(!is_snake_case_id("研发"));
}

BOOST_AUTO_TEST_SUITE_END()
