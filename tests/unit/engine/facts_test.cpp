// The quick row reader of the streaming loader (src/engine/facts.cpp): its values and periods
// against parse_decimal and Period::parse, its splitting at 64-byte block edges, CRLF and blank
// lines, where it hands over to the full reader, and its run summaries.
#include "jjstat/csv.hpp"
#include "jjstat/decimal.hpp"
#include "jjstat/engine/facts.hpp"
#include "jjstat/engine/series.hpp"
#include "jjstat/stats/describe.hpp"
#include "jjstat/period.hpp"

#include <boost/test/unit_test.hpp>

#include "../rounds.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace std::string_literals;
using jjstat::engine::AskedPeriods;
using jjstat::engine::Layout;
using jjstat::engine::ParsedChunk;
using jjstat::engine::RawFact;

/// The layout of the header entity,indicator,period,value,unit.
Layout five_columns() {
  jjstat::csv::Record header;
  header.fields = {"entity", "indicator", "period", "value", "unit"};
  return *jjstat::engine::plain_layout(header);
}

/// `text` parsed as a chunk that holds no header, its runs compacted with `compact`.
ParsedChunk parse(const std::string& text, const AskedPeriods& asked = {}, bool compact = false) {
  ParsedChunk parsed;
  parsed.chunk.read = text;
  parsed.chunk.index = 1; // not the first piece: no byte order mark, no header
  jjstat::engine::parse_chunk(parsed, five_columns(), 0, 1, "t.csv", asked, compact);
  return parsed;
}

/// "period:value@line" of fact `i` of `parsed`.
std::string fact_text(const ParsedChunk& parsed, std::size_t i) {
  const RawFact& fact = parsed.facts[i];
  return jjstat::Period::from_code(fact.period).label() + ":" +
         jjstat::engine::value_of(parsed, fact)->to_string() + "@" + std::to_string(fact.line);
}

/// Checks that the chunk `text` of a table with columns `order` reads as the full reader reads
/// it: the same facts, runs and error (the full reader's read of it after a first row with a
/// doubled quote, which the quick reader leaves to it, and with it every row after).
void reads_as_the_full_reader_reads(const std::vector<std::string>& order, const Layout& layout,
                                    const std::string& text) {
  auto read = [&](const std::string& chunk) {
    ParsedChunk parsed;
    parsed.chunk.read = chunk;
    parsed.chunk.index = 1;
    jjstat::engine::parse_chunk(parsed, layout, 0, 1, "t.csv");
    return parsed;
  };
  std::string first;
  for (std::size_t c = 0; c < order.size(); ++c) {
    first += (c ? "," : "") + (order[c] == "entity"      ? "\"q\"\"\""s
                               : order[c] == "indicator" ? "x"s
                               : order[c] == "period"    ? "2000"s
                               : order[c] == "value"     ? "1"s
                               : order[c] == "unit"      ? "亿元"s
                                                         : ""s);
  }
  first += "\n";
  const ParsedChunk quick = read(text);
  const ParsedChunk full = read(first + text);
  BOOST_TEST_REQUIRE(full.facts.size() == quick.facts.size() + 1, text);
  BOOST_TEST_REQUIRE(full.runs.size() == quick.runs.size() + 1, text);
  for (std::size_t i = 0; i < quick.facts.size(); ++i) {
    const RawFact& a = quick.facts[i];
    const RawFact& b = full.facts[i + 1];
    BOOST_TEST(a.unit == b.unit, text);
    BOOST_TEST(a.period == b.period, text);
    BOOST_TEST(a.mantissa == b.mantissa, text);
    BOOST_TEST(a.scale == b.scale, text);
    BOOST_TEST((a.flags & ~RawFact::k_same_unit) == b.flags, text);
    BOOST_TEST(a.qualifiers.ids() == b.qualifiers.ids(), text);
    BOOST_TEST(a.line + 1 == b.line, text);
    BOOST_TEST(a.line_start + first.size() == b.line_start, text);
  }
  for (std::size_t r = 0; r < quick.runs.size(); ++r) {
    BOOST_TEST(quick.runs[r] + 1 == full.runs[r + 1], text);
    BOOST_TEST(quick.summaries[r].entity == full.summaries[r + 1].entity, text);
    BOOST_TEST(quick.summaries[r].indicator == full.summaries[r + 1].indicator, text);
    BOOST_TEST(quick.summaries[r].count == full.summaries[r + 1].count, text);
  }
  BOOST_TEST_REQUIRE(quick.error.has_value() == full.error.has_value(), text);
  if (quick.error) {
    BOOST_TEST(quick.error->where().line + 1 == full.error->where().line, text);
    BOOST_TEST(quick.error->where().column == full.error->where().column, text);
    BOOST_TEST(std::string(quick.error->what()) == full.error->what(), text);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(facts)

BOOST_AUTO_TEST_CASE(values_read_as_parse_decimal_reads_them) {
  std::vector<std::string> values = {
      "0", "-0", "5", "-5", "5.", "-5.", ".5", "-.5", "007", "0.000", "26.4", "-14.98",
      "123456789012345678", "1234567890123456789", "0.123456789012345678",
      "0.1234567890123456789", "+3", "1e3", "1.5E-3", "1.2.3", "--5", "-", ".", "", "12a",
      " 1", "1 ", "9223372036854775807", "-9223372036854775808", "999999999999999999.9"};
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789.-+e";
  for (int i = 0; i < 3000; ++i) {
    std::string v;
    for (unsigned n = rng() % 22; n > 0; --n) v += alphabet[rng() % alphabet.size()];
    values.push_back(v);
  }
  for (const std::string& value : values) {
    ParsedChunk parsed = parse("e,x,2020," + value + ",亿元\n");
    jjstat::DecimalParse expected = jjstat::parse_decimal(value);
    if (value.empty()) {
      BOOST_TEST_REQUIRE(parsed.facts.size() == 1U);
      BOOST_TEST(!jjstat::engine::value_of(parsed, parsed.facts[0]).has_value());
    } else if (expected.error != jjstat::NumberError::none) {
      BOOST_TEST(parsed.facts.empty(), value);
      BOOST_TEST(parsed.error.has_value(), value);
    } else {
      BOOST_TEST_REQUIRE(parsed.facts.size() == 1U, value);
      auto got = jjstat::engine::value_of(parsed, parsed.facts[0]);
      BOOST_TEST_REQUIRE(got.has_value(), value);
      // The same digits and the same scale, not merely the same number: 5.0 prints as 5.0.
      BOOST_TEST((got->mantissa() == expected.value.mantissa()), value);
      BOOST_TEST(got->scale() == expected.value.scale(), value);
    }
  }
}

BOOST_AUTO_TEST_CASE(periods_read_as_period_parse_reads_them) {
  for (std::string period : {"2020", "1000", "9999", "0999", "999", "20200", "2020Q3", "2020Q5",
                             "2020-09", "2020-13", "2O20", "-202", "２０２０"}) {
    ParsedChunk parsed = parse("e,x," + period + ",1,亿元\n");
    auto expected = jjstat::Period::parse(period);
    BOOST_TEST(parsed.facts.size() == (expected ? 1U : 0U), period);
    if (expected && !parsed.facts.empty()) BOOST_TEST(parsed.facts[0].period == expected->code(), period);
  }
}

BOOST_AUTO_TEST_CASE(years_one_after_another_read_as_period_parse_reads_them) {
  // Rows of one series year after year, which the quick reader finds by comparing each year's
  // text with the year after the last: across years ending in 9, back and on again, up to
  // 9999; each fact has the year its row says, compacted or not. Then the text one up from a
  // year ending in 9 in the last byte ("200:" after "2009"), which is no year, and others.
  const std::vector<std::string> years = {
      "1998", "1999", "2000", "2001", "2002", "2003", "2004", "2005", "2006", "2007", "2008",
      "2009", "2010", "2011", "2013", "2012", "2013", "2014", "2020", "9998", "9999", "2020"};
  std::string text;
  for (const std::string& year : years) text += "区县00001,rd_spending," + year + ",1.5,亿元\n";
  const ParsedChunk parsed = parse(text);
  BOOST_TEST_REQUIRE(!parsed.error.has_value());
  BOOST_TEST_REQUIRE(parsed.facts.size() == years.size());
  for (std::size_t i = 0; i < years.size(); ++i)
    BOOST_TEST(parsed.facts[i].period == jjstat::Period::parse(years[i])->code(), years[i]);
  // Compacted: the run's summary says 1998 to 9999, 22 rows. (The last row, 2020, gives 9999
  // room to be read the quick way, one up from 9998.)
  const ParsedChunk compacted = parse(text, {}, true);
  BOOST_TEST_REQUIRE(compacted.summaries.size() == 1U);
  BOOST_TEST(compacted.summaries[0].count == years.size());
  BOOST_TEST(compacted.summaries[0].earliest == jjstat::Period::year(1998).code());
  BOOST_TEST(compacted.summaries[0].latest == jjstat::Period::year(9999).code());
  for (std::string bad : {"200:", "2O10", "201"}) {
    const ParsedChunk wrong = parse("区县00001,rd_spending,2008,1.5,亿元\n"
                                    "区县00001,rd_spending,2009,1.5,亿元\n"
                                    "区县00001,rd_spending," +
                                    bad + ",1.5,亿元\n" +
                                    // (Rows after it: the quick reader reads a row only with
                                    // room for 16 bytes of value after it.)
                                    "区县00001,rd_spending,2011,1.5,亿元\n"
                                    "区县00001,rd_spending,2012,1.5,亿元\n");
    BOOST_TEST_REQUIRE(wrong.error.has_value(), bad);
    BOOST_TEST(wrong.error->where().line == 3U, bad);
    BOOST_TEST(wrong.error->where().column == 21U, bad);
    BOOST_TEST(wrong.facts.size() == 2U, bad);
  }
}

BOOST_AUTO_TEST_CASE(values_of_the_shape_before_read_as_the_full_reader_reads_them) {
  // The quick reader tests a value first against the shape of the value before (as many digits
  // on each side of the point, a minus or not): values of one shape in a row (the widest it
  // tests, 15 bytes; 17 bytes are past its 16-byte window and read otherwise), then of another,
  // and values that differ from the shape before in one byte (a letter for a digit, a comma
  // for the point, a second point, an exponent), each read as the full reader reads it.
  jjstat::csv::Record header;
  const std::vector<std::string> five = {"entity", "indicator", "period", "value", "unit"};
  header.fields.assign(five.begin(), five.end());
  const Layout usual = *jjstat::engine::plain_layout(header);
  auto series = [](const std::vector<std::string>& values) {
    std::string text;
    int year = 2000;
    for (const std::string& value : values)
      text += "区县1,gdp," + std::to_string(year++) + "," + value + ",亿元\n";
    // (Rows after them: the quick reader reads a row only with room for 16 bytes of value.)
    return text + "区县9,gdp,2020,9,亿元\n区县9,gdp,2021,9,亿元\n";
  };
  reads_as_the_full_reader_reads(five, usual,
                                 series({"66.75",
                                         "79.67",
                                         "80.01",
                                         "6.45",
                                         "5.81",
                                         "-1.25",
                                         "-3.50",
                                         "-3.5",
                                         "-3.6",
                                         "5.",
                                         "7.",
                                         "75",
                                         "76",
                                         "0.5",
                                         ".5",
                                         ".6",
                                         "1234567.1234567",
                                         "7654321.7654321",
                                         "12345678.12345678",
                                         "87654321.87654321",
                                         "1234567.1",
                                         "7654321.9",
                                         "0",
                                         "1",
                                         "-0",
                                         "-9",
                                         "007",
                                         "008"}));
  for (std::string other :
       {"6a.75", "66,75", "66.7.", "6.7e1", "66.7-", "-6.75", "+6.75", "66.75x"})
    reads_as_the_full_reader_reads(five, usual, series({"66.75", "79.67", other, "80.01"}));
}

BOOST_AUTO_TEST_CASE(rows_split_across_block_edges_crlf_and_blank_lines) {
  // Rows of every length from 20 to 100 bytes put their commas and newlines at every offset of
  // the 64-byte blocks; some end in CRLF, a few blank lines are skipped but counted.
  std::string text;
  std::vector<std::size_t> lines, starts;
  std::size_t line = 1;
  for (int n = 0; n < 300; ++n) {
    if (n % 37 == 5) {
      text += n % 2 ? "\n" : "\r\n";
      ++line;
    }
    std::string entity = "实体" + std::string(static_cast<std::size_t>(n % 60), 'a');
    starts.push_back(text.size());
    lines.push_back(line++);
    text += entity + ",x," + std::to_string(2000 + n % 20) + "," + std::to_string(n) + ".5,亿元" +
            (n % 3 == 0 ? "\r\n" : "\n");
  }
  text += "last,x,2020,1,亿元"; // no newline at the end
  starts.push_back(text.size() - std::string("last,x,2020,1,亿元").size());
  lines.push_back(line);
  ParsedChunk parsed = parse(text);
  BOOST_TEST(!parsed.error.has_value());
  BOOST_TEST_REQUIRE(parsed.facts.size() == 301U);
  BOOST_TEST(parsed.lines == line);
  for (std::size_t i = 0; i < parsed.facts.size(); ++i) {
    const RawFact& fact = parsed.facts[i];
    BOOST_TEST(fact.line == lines[i]);
    BOOST_TEST(fact.line_start == starts[i]);
    BOOST_TEST(fact.unit == "亿元"); // the CR is not part of the last field
    if (i < 300) {
      BOOST_TEST(parsed.summaries[i].entity == "实体" + std::string(i % 60, 'a')); // a run each
      auto value = jjstat::engine::value_of(parsed, fact);
      BOOST_TEST((value && value->to_string() == std::to_string(i) + ".5"));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_full_reader_takes_over_where_the_quick_one_cannot_go) {
  // A quoted field with a doubled quote, a lone CR, a NUL and a bad UTF-8 byte: the rows before
  // them are read the quick way, the rest by the full reader, which reads the quoted row and
  // stops at the others. (A field quoted whole, a comma inside, is the quick reader's.)
  std::string good = "e,x,2019,1,亿元\n";
  for (const auto& [quoted, entity] : std::vector<std::pair<std::string, std::string>>{
           {"\"e,1\"", "e,1"}, {"\"e,\"\"1\"", "e,\"1"}}) {
    ParsedChunk parsed = parse(good + quoted + ",x,2020,2,亿元\n" + good);
    BOOST_TEST(!parsed.error.has_value());
    BOOST_TEST_REQUIRE(parsed.facts.size() == 3U);
    BOOST_TEST_REQUIRE(parsed.summaries.size() == 3U);
    BOOST_TEST(parsed.summaries[1].entity == entity);
    BOOST_TEST(parsed.facts[2].line == 3U);
  }
  for (std::string bad : {std::string("e,x,2020,2\r,亿元\n"), "e,x,20\0" "20,2,亿元\n"s,
                          std::string("e\xff,x,2020,2,亿元\n"), std::string("e,x,2020,2,亿元,z\n"),
                          std::string("e,x,2020,2\n")}) {
    ParsedChunk parsed = parse(good + bad + good);
    BOOST_TEST(parsed.facts.size() == 1U);
    BOOST_TEST_REQUIRE(parsed.error.has_value());
    BOOST_TEST(parsed.error->where().line == 2U);
  }
}

BOOST_AUTO_TEST_CASE(runs_are_summed_up_with_their_picks) {
  AskedPeriods asked;
  asked.from = jjstat::Period::year(2017).code();
  asked.to = jjstat::Period::year(2030).code(); // never there: the latest stands in
  ParsedChunk parsed = parse("a,x,2018,1,亿元\n"
                             "a,x,2017,2,亿元\n"   // earlier than the first: not simple
                             "a,x,2019,3,亿元\n"
                             "b,x,2016,1,亿元\n"
                             "b,x,2017,2,亿元\n"
                             "b,x,2020,3,亿元\n"
                             "c,x,2016,1,亿元\n"
                             "c,x,2016,1,亿元\n"   // a period twice: not simple
                             "d,x,2016,1,亿元\n"
                             "d,x,2017,1,万元\n"  // another unit: not simple
                             "f,x,1950,1,亿元\n"
                             "f,x,2020,1,亿元\n"   // 70 years on: past the window, not simple
                             "g,x,2016,1,亿元\n"
                             "g,x,2016Q2,1,亿元\n", // another kind of period: not simple
                             asked);
  BOOST_TEST_REQUIRE(parsed.runs.size() == 6U);
  BOOST_TEST_REQUIRE(parsed.summaries.size() == 6U);
  BOOST_TEST(!parsed.summaries[4].simple);
  BOOST_TEST(parsed.summaries[4].picks[1] == 11U); // still the latest
  BOOST_TEST(!parsed.summaries[5].simple);
  const auto& a = parsed.summaries[0];
  BOOST_TEST(!a.simple);
  BOOST_TEST(a.count == 3U);
  BOOST_TEST(a.picks[0] == 1U); // 2017 asked
  BOOST_TEST(a.picks[1] == 2U); // 2019 the latest
  const auto& b = parsed.summaries[1];
  BOOST_TEST(b.simple);
  BOOST_TEST(b.count == 3U);
  BOOST_TEST(b.first_month == 2016 * 12);
  BOOST_TEST(b.periods == 0b10011U); // 2016, 2017, 2020
  BOOST_TEST(b.picks[0] == 4U);
  BOOST_TEST(b.picks[1] == 5U);
  BOOST_TEST(b.picks[2] == 5U);
  BOOST_TEST(!parsed.summaries[2].simple);
  BOOST_TEST(!parsed.summaries[3].simple);
}

BOOST_AUTO_TEST_CASE(compacted_runs_keep_their_first_fact_their_picks_and_their_last) {
  AskedPeriods asked;
  asked.from = jjstat::Period::year(2013).code();
  asked.to = jjstat::Period::year(2016).code();
  std::string text;
  for (int year = 2011; year <= 2020; ++year)
    text += "a,x," + std::to_string(year) + "," + std::to_string(year - 2000) + ".5,亿元\n";
  text += "b,x,2011,1,亿元\nb,x,2012,2,亿元\n" // two rows: nothing to leave out
          "c,x,2011,1,亿元\nc,x,2013,3,亿元\nc,x,2014,4,亿元\nc,x,2015,5,亿元\n"; // a gap
  const ParsedChunk whole = parse(text, asked);
  const ParsedChunk compact = parse(text, asked, true);
  BOOST_TEST_REQUIRE(whole.facts.size() == 16U);
  BOOST_TEST_REQUIRE(compact.runs.size() == 3U);
  // a: 2011 (its first), 2013 and 2016 (asked), 2020 (its latest and last); every row counted.
  std::vector<std::string> kept;
  for (std::size_t i = compact.runs[0]; i < compact.runs[1]; ++i)
    kept.push_back(fact_text(compact, i));
  BOOST_TEST(kept == (std::vector<std::string>{"2011:11.5@1", "2013:13.5@3", "2016:16.5@6",
                                               "2020:20.5@10"}),
             boost::test_tools::per_element());
  BOOST_TEST(jjstat::engine::compacted(compact, 0));
  BOOST_TEST(!jjstat::engine::compacted(compact, 1));
  BOOST_TEST(!jjstat::engine::compacted(whole, 0));
  // c: its 2013 comes after a gap (not the year after the latest), so 2013 is written anew; the
  // rows after it take the place of the row before.
  kept.clear();
  for (std::size_t i = compact.runs[2]; i < compact.facts.size(); ++i)
    kept.push_back(fact_text(compact, i));
  BOOST_TEST(kept == (std::vector<std::string>{"2011:1@13", "2013:3@14", "2015:5@16"}),
             boost::test_tools::per_element());
  // The summaries are those of every fact, their picks the same rows.
  for (std::size_t r = 0; r < 3; ++r) {
    const auto& a = whole.summaries[r];
    const auto& b = compact.summaries[r];
    BOOST_TEST(a.count == b.count);
    BOOST_TEST(a.simple == b.simple);
    BOOST_TEST(a.periods == b.periods);
    BOOST_TEST(a.first_month == b.first_month);
    BOOST_TEST(a.earliest == b.earliest);
    BOOST_TEST(a.latest == b.latest);
    BOOST_TEST(a.asked_found == b.asked_found);
    for (std::size_t k = 0; k < 3; ++k)
      BOOST_TEST(fact_text(whole, a.picks[k]) == fact_text(compact, b.picks[k]));
  }
  // The last fact of each run is its last row.
  BOOST_TEST(fact_text(compact, compact.runs[1] - 1) == "2020:20.5@10");
}

BOOST_AUTO_TEST_CASE(a_compacted_run_the_full_reader_goes_on_with_is_read_again_whole) {
  // The quick reader stops at the doubled quote of line 6 (in a unit of its own), and the full
  // reader sums up the run it was in again from its facts: they are all there.
  const std::string text = "a,x,2011,1,亿元\na,x,2012,2,亿元\na,x,2013,3,亿元\n"
                           "a,x,2014,4,亿元\na,x,2015,5,亿元\na,x,2016,6,\"亿元\"\"\"\n";
  const ParsedChunk whole = parse(text);
  const ParsedChunk compact = parse(text, {}, true);
  BOOST_TEST_REQUIRE(compact.facts.size() == 6U);
  BOOST_TEST_REQUIRE(compact.runs.size() == whole.runs.size());
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(fact_text(compact, i) == fact_text(whole, i));
  BOOST_TEST(compact.summaries[0].count == 6U);
  BOOST_TEST(compact.summaries[0].simple == whole.summaries[0].simple);
  BOOST_TEST(compact.summaries[0].periods == whole.summaries[0].periods);
  BOOST_TEST(compact.lines == 6U);
}

BOOST_AUTO_TEST_CASE(a_compacted_run_below_its_series_window_joins_it_whole) {
  // Rows of a series apart (a file sorted by period, or in no order), in runs the parsers
  // compacted: a later run of earlier years moves the series' window down to its first year,
  // as the first of its facts would one by one, instead of making the store read every input
  // again. Too far below (the window then holds 64 years or more) or over a year seen, the run
  // must still go fact by fact: FactsLeftOut.
  using jjstat::engine::Retention;
  using jjstat::engine::SeriesStore;
  auto years = [](int first, int last, int plus) {
    std::string text;
    for (int year = first; year <= last; ++year)
      text += "a,gdp," + std::to_string(year) + "," + std::to_string(year + plus) + ",亿元\n";
    return text;
  };
  Retention retention;
  retention.keep = Retention::Keep::ends;
  retention.from = jjstat::Period::year(2012);
  retention.to = jjstat::Period::year(2019);
  const AskedPeriods asked = retention.asked();
  // (from, to) of the later run, and whether it joins.
  const std::vector<std::tuple<int, int, bool>> cases = {
      {2011, 2015, true},  // right below 2016-2020
      {2011, 2014, true},  // a gap of one year between
      {1957, 1959, true},  // 1957 to 2020: 64 years, the window's whole
      {1956, 1958, false}, // 1956 to 2020: 65 years
      {2012, 2016, false}, // over 2016, seen already
  };
  for (const auto& [first, last, joins] : cases) {
    SeriesStore store(retention, {{"gdp"}, {}});
    const ParsedChunk later = parse(years(2016, 2020, -2000), asked, true);
    const ParsedChunk earlier = parse(years(first, last, -1000), asked, true);
    BOOST_TEST_REQUIRE(jjstat::engine::compacted(later, 0));
    BOOST_TEST_REQUIRE(jjstat::engine::compacted(earlier, 0));
    store.add(later, five_columns(), 2, 0, "t.csv");
    bool left_out = false;
    try {
      store.add(earlier, five_columns(), 7, 0, "t.csv");
    } catch (const jjstat::engine::FactsLeftOut&) {
      left_out = true;
    }
    BOOST_TEST(left_out == !joins, first << "-" << last);
    if (!joins) continue;
    store.finish();
    std::vector<std::string> seen;
    store.for_each_series([&](const jjstat::stats::Series& series) {
      std::string text = series.entity + " " + std::to_string(series.period_count) + ":";
      for (const jjstat::Observation* point : series.points)
        text += " " + point->period.label() + "=" + jjstat::to_string(*point->value);
      seen.push_back(text);
    });
    // The start asked for (2012) when the earlier run has it, else the earliest year; the end
    // asked for (2019) is the later run's.
    const std::string start = first <= 2012 && last >= 2012 ? " 2012=1012"
                                                            : " " + std::to_string(first) + "=" +
                                                                  std::to_string(first - 1000);
    const int periods = 5 + last - first + 1;
    BOOST_TEST(seen == (std::vector<std::string>{"a " + std::to_string(periods) + ":" + start +
                                                 " 2019=19"}),
               boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(a_compacted_run_that_ends_up_not_simple_is_read_again_whole) {
  // Runs of years in order, compacted as they are read, then made not simple by their next
  // row: the chunk is parsed again without compacting, every fact there.
  const std::vector<std::string> endings = {
      "a,x,2013,9,亿元\n",   // a year going back
      "a,x,2015,9,亿元\n",   // the latest year again
      "a,x,2016,9,万元\n",   // another unit
      "a,x,2016Q1,9,亿元\n", // another kind of period
  };
  for (const std::string& ending : endings) {
    const std::string text = "a,x,2011,1,亿元\na,x,2012,2,亿元\na,x,2013,3,亿元\n"
                             "a,x,2014,4,亿元\na,x,2015,5,亿元\n" +
                             ending + "b,x,2011,1,亿元\n";
    const ParsedChunk whole = parse(text);
    const ParsedChunk compact = parse(text, {}, true);
    BOOST_TEST_REQUIRE(compact.facts.size() == whole.facts.size(), ending);
    for (std::size_t i = 0; i < whole.facts.size(); ++i)
      BOOST_TEST(fact_text(compact, i) == fact_text(whole, i), ending);
    BOOST_TEST(!compact.summaries[0].simple, ending);
    BOOST_TEST(!jjstat::engine::compacted(compact, 0), ending);
  }
  // More than 64 years in a row: the 65th makes the run not simple.
  std::string text;
  for (int year = 1949; year <= 2023; ++year) text += "a,x," + std::to_string(year) + ",1,亿元\n";
  const ParsedChunk compact = parse(text, {}, true);
  BOOST_TEST(compact.facts.size() == 75U);
  BOOST_TEST(!compact.summaries[0].simple);
  // Exactly 64: still simple, compacted to its first and its last.
  text.clear();
  for (int year = 1960; year <= 2023; ++year) text += "a,x," + std::to_string(year) + ",1,亿元\n";
  const ParsedChunk sixty_four = parse(text, {}, true);
  BOOST_TEST(sixty_four.facts.size() == 2U);
  BOOST_TEST(sixty_four.summaries[0].simple);
  BOOST_TEST(sixty_four.summaries[0].count == 64U);
}

BOOST_AUTO_TEST_CASE(run_summaries_of_repeated_rows_equal_the_full_readers) {
  // Rows that repeat the row before are summed up as they are read, the next year of a run
  // the quick way; the full reader's runs are summed up fact by fact afterwards. A first row with
  // a doubled quote sends the same rows to the full reader: counts, ends and picks must come out
  // the same.
  // (The full reader's runs are never simple: whether a run is, and its periods, are checked
  // against the rule itself.)
  std::mt19937 rng(23);
  for (int round = 0; round < 3000; ++round) {
    std::string rows;
    struct Run {
      bool simple = true;
      std::int32_t first_month = 0;
      std::uint64_t periods = 0;
    };
    std::vector<Run> expected;
    for (int series = 0; series < 4; ++series) {
      int year = 1990 + static_cast<int>(rng() % 40);
      const std::string unit = rng() % 8 == 0 ? "万元" : "亿元";
      Run run;
      bool first_quarter = false;
      std::string last_unit = unit;
      for (unsigned n = 1 + rng() % 12, i = 0; i < n; ++i) {
        std::string period = std::to_string(year);
        const bool quarter = rng() % 40 == 0; // another kind
        if (quarter) period += "Q2";
        const std::string row_unit = rng() % 30 == 0 ? "万元" : unit;
        rows += "e" + std::to_string(series) + ",x," + period + "," + std::to_string(rng() % 1000) +
                "," + row_unit + "\n";
        const int month = year * 12 + (quarter ? 3 : 0); // 2020Q2 starts in April
        if (i == 0) {
          run.first_month = month;
          first_quarter = quarter;
        }
        const int step = (month - run.first_month) / (quarter ? 3 : 12);
        if (quarter != first_quarter || (i > 0 && row_unit != last_unit) || step < 0 ||
            step >= 64 || (run.periods >> step) & 1)
          run.simple = false;
        if (run.simple) run.periods |= std::uint64_t{1} << step;
        last_unit = row_unit;
        switch (rng() % 12) {
        case 0: break;                                           // the same year again
        case 1: year -= 1 + static_cast<int>(rng() % 3); break;  // back
        case 2: year += 2 + static_cast<int>(rng() % 70); break; // a gap, maybe past 64
        default: ++year; break;
        }
      }
      expected.push_back(run);
    }
    AskedPeriods asked;
    auto some_year = [&] {
      return jjstat::Period::year(1990 + static_cast<int>(rng() % 60)).code();
    };
    if (rng() % 2) asked.from = some_year();
    if (rng() % 2) asked.to = some_year();
    if (rng() % 2) asked.at = some_year();
    const ParsedChunk quick = parse(rows, asked);
    const ParsedChunk full = parse("\"q\"\"\",x,2000,1,亿元\n" + rows, asked);
    BOOST_TEST_REQUIRE(!quick.error);
    BOOST_TEST_REQUIRE(!full.error);
    BOOST_TEST_REQUIRE(quick.summaries.size() == expected.size(), rows);
    BOOST_TEST_REQUIRE(full.summaries.size() == quick.summaries.size() + 1, rows);
    for (std::size_t r = 0; r < quick.summaries.size(); ++r) {
      const auto& a = quick.summaries[r];
      const auto& b = full.summaries[r + 1];
      BOOST_TEST(a.count == b.count, rows);
      BOOST_TEST(a.earliest == b.earliest, rows);
      BOOST_TEST(a.latest == b.latest, rows);
      BOOST_TEST(a.asked_found == b.asked_found, rows);
      for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(a.picks[k] + 1 == b.picks[k], rows);
      BOOST_TEST(a.simple == expected[r].simple, rows);
      if (a.simple) {
        BOOST_TEST(a.first_month == expected[r].first_month, rows);
        BOOST_TEST(a.periods == expected[r].periods, rows);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(describe_totals_equal_adding_each_figure) {
  // add_totals sums figures of the first unit and scale as integers and merges the rest; the
  // description must be what adding every figure in order gives, to the printed digit: a scale
  // change (2.50 then 2.5: the first seen is the max), another unit, missing values, a value
  // wider than 64 bits, qualifiers.
  const std::vector<std::vector<std::string>> cases = {
      {"1.0", "2.50", "2.5", "", "3", "2.50"},
      {"", "", "7"},
      {"5", "5.0", "-5", "-5.00", "5"},
      {"123456789012345678.12", "1", "2"},
      {"1", "2", "3"},
  };
  for (const auto& values : cases) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      // The fifth row of a case is in 万元; every third has a qualifier.
      text += "e" + std::to_string(i) + ",x,2020," + values[i] + "," + (i == 4 ? "万元" : "亿元") +
              (i % 3 == 2 ? ",projected" : ",") + "\n";
    }
    ParsedChunk parsed;
    parsed.chunk.read = text;
    parsed.chunk.index = 1;
    jjstat::csv::Record header;
    header.fields = {"entity", "indicator", "period", "value", "unit", "qualifiers"};
    jjstat::engine::parse_chunk(parsed, *jjstat::engine::plain_layout(header), 0, 1, "t.csv");
    BOOST_TEST_REQUIRE(!parsed.error.has_value());
    jjstat::engine::ChunkTotals totals;
    jjstat::engine::add_totals(parsed, jjstat::engine::Filter{}, totals);
    BOOST_TEST_REQUIRE(totals.indicators.size() == 1U);
    BOOST_TEST_REQUIRE(totals.indicators[0].periods.size() == 1U);
    jjstat::stats::Aggregate expected;
    for (const RawFact& fact : parsed.facts) {
      std::optional<jjstat::Number> value;
      if (auto decimal = jjstat::engine::value_of(parsed, fact)) value = *decimal;
      expected.add(value, fact.unit, fact.qualifiers);
    }
    const jjstat::Period period = jjstat::Period::year(2020);
    jjstat::stats::Description got = totals.indicators[0].periods[0].second.finish("x", period);
    jjstat::stats::Description want = expected.finish("x", period);
    auto shown = [](const std::optional<jjstat::Number>& n) { return n ? jjstat::to_string(*n) : "none"; };
    const std::string label = values.front();
    BOOST_TEST(got.unit == want.unit, label);
    BOOST_TEST(got.count == want.count, label);
    BOOST_TEST(got.missing == want.missing, label);
    BOOST_TEST(shown(got.sum) == shown(want.sum), label);
    BOOST_TEST(shown(got.min) == shown(want.min), label);
    BOOST_TEST(shown(got.max) == shown(want.max), label);
    BOOST_TEST((got.mean == want.mean), label);
    BOOST_TEST(got.qualifiers.ids() == want.qualifiers.ids(), label);
  }
}

BOOST_AUTO_TEST_CASE(describe_totals_of_many_indicators_hold_each_once) {
  // Sixty indicators, runs of one or two rows in no order: past sixteen, add_totals finds a
  // run's indicator by name, indexing those added since it last looked; each indicator is
  // held once, with the periods and row counts its rows give.
  std::mt19937 rng(7);
  std::vector<std::string> rows;
  std::map<std::pair<std::string, std::int32_t>, std::size_t> want;
  for (int k = 0; k < 60; ++k) {
    for (int e = 0; e < 3; ++e) {
      const int year = 2019 + static_cast<int>(rng() % 2);
      rows.push_back("e" + std::to_string(e) + ",k" + std::to_string(k) + "," +
                     std::to_string(year) + ",1.5,个\n");
      ++want[{"k" + std::to_string(k), jjstat::Period::year(year).code()}];
    }
  }
  std::shuffle(rows.begin(), rows.end(), rng);
  std::string text;
  for (const std::string& row : rows) text += row;
  const ParsedChunk parsed = parse(text);
  BOOST_TEST_REQUIRE(!parsed.error.has_value());
  jjstat::engine::ChunkTotals totals;
  jjstat::engine::add_totals(parsed, jjstat::engine::Filter{}, totals);
  BOOST_TEST(totals.indicators.size() == 60U);
  std::map<std::pair<std::string, std::int32_t>, std::size_t> got;
  for (const auto& indicator : totals.indicators) {
    for (const auto& [code, aggregate] : indicator.periods) {
      const auto description = aggregate.finish(indicator.id, jjstat::Period::from_code(code));
      // (Each pair once: a second entry of an indicator would count its period again.)
      BOOST_TEST((got.count({indicator.id, code}) == 0U), indicator.id);
      got[{indicator.id, code}] = description.count;
    }
  }
  BOOST_TEST((got == want));
}

BOOST_AUTO_TEST_CASE(describe_totals_of_a_chunk_equal_adding_each_figure_left_in) {
  // Random chunks of runs in three units, some facts left out (rows that repeat an earlier
  // chunk's, the first of a run among them): every (indicator, period) must describe what
  // adding each figure left in, in order, gives.
  std::mt19937 rng(41);
  const std::vector<std::string> units = {"亿元", "万元", "元"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int run = 0, runs = 1 + static_cast<int>(rng() % 10); run < runs; ++run) {
      const std::string names = "e" + std::to_string(rng() % 4) + ",x" + std::to_string(rng() % 3);
      const std::string unit = units[rng() % units.size()];
      for (int year = 2016 + static_cast<int>(rng() % 3), n = 1 + static_cast<int>(rng() % 4);
           n > 0; --n, ++year) {
        text += names + "," + std::to_string(year) + "," +
                (rng() % 10 == 0 ? "" : std::to_string(rng() % 1000) + (rng() % 3 ? ".5" : "")) +
                "," + unit + "\n";
      }
    }
    const ParsedChunk parsed = parse(text);
    BOOST_TEST_REQUIRE(!parsed.error.has_value());
    std::vector<std::uint32_t> skipped;
    for (std::uint32_t i = 0; i < parsed.facts.size(); ++i) {
      if (rng() % 4 == 0) skipped.push_back(i);
    }
    jjstat::engine::ChunkTotals totals;
    jjstat::engine::add_totals(parsed, jjstat::engine::Filter{}, totals, skipped);
    std::map<std::pair<std::string, std::int32_t>, jjstat::stats::Aggregate> expected;
    for (std::size_t r = 0; r < parsed.runs.size(); ++r) {
      const std::size_t end = r + 1 < parsed.runs.size() ? parsed.runs[r + 1] : parsed.facts.size();
      for (std::size_t i = parsed.runs[r]; i < end; ++i) {
        if (std::find(skipped.begin(), skipped.end(), i) != skipped.end()) continue;
        const RawFact& fact = parsed.facts[i];
        std::optional<jjstat::Number> value;
        if (auto decimal = jjstat::engine::value_of(parsed, fact)) value = *decimal;
        expected[{std::string(parsed.summaries[r].indicator), fact.period}].add(value, fact.unit,
                                                                                fact.qualifiers);
      }
    }
    std::size_t seen = 0;
    auto shown = [](const std::optional<jjstat::Number>& n) {
      return n ? jjstat::to_string(*n) : "none";
    };
    for (const auto& indicator : totals.indicators) {
      for (const auto& [code, aggregate] : indicator.periods) {
        const jjstat::Period period = jjstat::Period::from_code(code);
        const auto it = expected.find({indicator.id, code});
        BOOST_TEST_REQUIRE((it != expected.end()), text);
        ++seen;
        const jjstat::stats::Description got = aggregate.finish(indicator.id, period);
        const jjstat::stats::Description want = it->second.finish(indicator.id, period);
        BOOST_TEST(got.unit == want.unit, text);
        BOOST_TEST(got.count == want.count, text);
        BOOST_TEST(got.missing == want.missing, text);
        BOOST_TEST(shown(got.sum) == shown(want.sum), text);
        BOOST_TEST(shown(got.min) == shown(want.min), text);
        BOOST_TEST(shown(got.max) == shown(want.max), text);
      }
    }
    BOOST_TEST(seen == expected.size(), text);
  }
}

BOOST_AUTO_TEST_CASE(rows_that_repeat_the_row_before_read_as_rows_read_alone) {
  // Runs of rows of one series, read byte for byte against the row before (repeat_rows), must
  // give what each row gives read alone: the same fact, or an error at the same line. Rows are
  // mutated at random in every cell, line ending and width, over several column orders and
  // runs of years, quarters or months; the values and periods repeat the hard cases of the
  // tests above.
  const std::vector<std::vector<std::string>> orders = {
      {"entity", "indicator", "period", "value", "unit"},
      {"entity", "indicator", "period", "value", "unit", "qualifiers"},
      {"value", "unit", "entity", "period", "indicator"},
      {"period", "qualifiers", "entity", "indicator", "unit", "value"},
  };
  const std::vector<std::string> values = {"26.4",
                                           "-14.98",
                                           "5.",
                                           ".5",
                                           "-.5",
                                           "007",
                                           "",
                                           "123456789012345678",
                                           "1234567890123456789",
                                           "1e3",
                                           "-",
                                           "1.2.3",
                                           "+3",
                                           "12a",
                                           "0.000"};
  const std::vector<std::string> periods = {"2020",     "2016",    "1999",    "0999",   "2020Q3",
                                            "2020-09",  "20200",   "202",     "2O20",   "2020Q5",
                                            "2020Q0",   "2020-13", "2020-00", "2020-9", "2020Q",
                                            "2020-091", "0999Q1",  "2020q3",  "2020-0a"};
  const std::vector<std::string> entities = {"区县00001", "区县00002", "区县0000", "区县00001x",
                                             ""};
  const std::vector<std::string> units = {"亿元", "万元", "亿", "亿元元", "%"};
  std::mt19937 rng(11);
  auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  for (const auto& names : orders) {
    jjstat::csv::Record header;
    header.fields.assign(names.begin(), names.end());
    const Layout layout = *jjstat::engine::plain_layout(header);
    for (int round = 0; round < 400; ++round) {
      std::string text;
      std::vector<std::string> rows;
      std::map<std::string, std::string> cells = {
          {"entity", "区县00001"}, {"indicator", "rd_spending"},
          {"period", "2016"},      {"value", "1"},
          {"unit", "亿元"},        {"qualifiers", ""}};
      const bool crlf = rng() % 4 == 0;
      const unsigned kind = rng() % 3; // runs of years, quarters or months
      for (int r = 0; r < 12; ++r) {
        // Mostly the next period of the same series with a new value; now and then any cell
        // changes, or the row is cut short, widened or blank.
        const std::string month = (r < 9 ? "0" : "") + std::to_string(r + 1);
        cells["period"] = kind == 0 ? std::to_string(2010 + r)
                          : kind == 1
                              ? std::to_string(2010 + r / 4) + "Q" + std::to_string(r % 4 + 1)
                              : "2019-" + month;
        cells["value"] =
            std::to_string(rng() % 100000) + (rng() % 2 ? "." + std::to_string(rng() % 100) : "");
        if (rng() % 3 == 0) {
          // Any plain shape: a sign, up to 10 digits before the point and after it (the quick
          // reading takes up to 8 of each), leading and trailing zeros.
          std::string digits;
          auto some = [&](unsigned most) {
            std::string d;
            for (unsigned n = rng() % (most + 1); n > 0; --n)
              d += static_cast<char>('0' + rng() % 10);
            return d;
          };
          digits = (rng() % 4 == 0 ? "-" : "") + some(10);
          if (rng() % 2) digits += "." + some(10);
          cells["value"] = digits;
        }
        switch (rng() % 16) {
        case 0: cells["value"] = pick(values); break;
        case 1: cells["period"] = pick(periods); break;
        case 2: cells["entity"] = pick(entities); break;
        case 3: cells["unit"] = pick(units); break;
        case 4: cells["qualifiers"] = rng() % 2 ? "projected" : "bogus"; break;
        case 5: cells["indicator"] = rng() % 2 ? "gdp" : "Bad Id"; break;
        default: break;
        }
        std::string row;
        for (std::size_t c = 0; c < names.size(); ++c) row += (c ? "," : "") + cells[names[c]];
        switch (rng() % 24) {
        case 0: row += ",extra"; break;
        case 1: row = row.substr(0, row.size() / 2); break;
        case 2: row.clear(); break;
        case 3: row += "\r"; break;
        default: break;
        }
        rows.push_back(row + (crlf ? "\r\n" : "\n"));
        text += rows.back();
      }
      if (rng() % 3 == 0) { // no line ending at the end
        rows.back().resize(rows.back().size() - (crlf ? 2 : 1));
        text.resize(text.size() - (crlf ? 2 : 1));
      }
      ParsedChunk together;
      together.chunk.read = text;
      together.chunk.index = 1;
      jjstat::engine::parse_chunk(together, layout, 0, 1, "t.csv");
      // Each row alone, until the first that is an error.
      std::size_t fact = 0, start = 0;
      std::optional<std::size_t> error_line;
      for (std::size_t r = 0; r < rows.size() && !error_line; ++r) {
        ParsedChunk alone;
        alone.chunk.read = rows[r];
        alone.chunk.index = 1;
        jjstat::engine::parse_chunk(alone, layout, 0, 1, "t.csv");
        if (alone.error) error_line = r + 1;
        for (const RawFact& want : alone.facts) {
          BOOST_TEST_REQUIRE(fact < together.facts.size(), text);
          const RawFact& got = together.facts[fact++];
          BOOST_TEST(got.period == want.period, text);
          BOOST_TEST(got.mantissa == want.mantissa, text);
          BOOST_TEST(got.scale == want.scale, text);
          const auto kinds = RawFact::k_has_value | RawFact::k_wide;
          BOOST_TEST((got.flags & kinds) == (want.flags & kinds), text);
          BOOST_TEST(got.qualifiers.ids() == want.qualifiers.ids(), text);
          BOOST_TEST(got.unit == want.unit, text);
          BOOST_TEST(got.line == r + 1, text);
          BOOST_TEST(got.line_start == start, text);
        }
        start += rows[r].size();
      }
      BOOST_TEST(fact == together.facts.size(), text);
      BOOST_TEST(together.error.has_value() == error_line.has_value(), text);
      if (together.error && error_line)
        BOOST_TEST(together.error->where().line == *error_line, text);
    }
  }
}

BOOST_AUTO_TEST_CASE(first_rows_of_series_read_as_the_full_reader_reads_them) {
  // Sorted files start another series every few rows; in the usual five columns its first
  // row is read the quick way too (a known indicator and unit, the entity of the row before or
  // new text). Whatever the first rows hold, in that order or another, the chunk must come out
  // as the full reader reads it (a row with a doubled quote first sends every row to it): the
  // same facts, runs and error.
  const std::vector<std::string> entities = {"区县00001",
                                             "区县00002",
                                             "区县00003",
                                             "重庆市江津区",
                                             std::string(70, 'e'),
                                             std::string(50, 'g'),
                                             std::string(30, 'f'),
                                             "",
                                             "a\"b",
                                             "a\rb",
                                             "a\0b"s,
                                             "a\xff",
                                             "a\nb",
                                             "区",
                                             "gdp",
                                             "x"};
  const std::vector<std::string> indicators = {
      "rd_spending", "smart_factories", "gdp", "Bad Id", "x", ""};
  const std::vector<std::string> units = {"亿元", "个", "%", "", "\xff", "亿元,z", "亿元\rx"};
  const std::vector<std::string> values = {"26.4", "-14.98", "", "1e3", "123456789.5", "7"};
  const std::vector<std::vector<std::string>> orders = {
      {"entity", "indicator", "period", "value", "unit"},
      {"entity", "indicator", "period", "value", "unit", "qualifiers"},
      {"indicator", "entity", "period", "value", "unit"},
  };
  std::mt19937 rng(31);
  auto pick = [&](const std::vector<std::string>& from, std::size_t usual) {
    return from[rng() % 4 == 0 ? rng() % from.size() : rng() % usual];
  };
  for (int round = 0; round < jjstat::test::rounds(4000, 20000); ++round) {
    const std::vector<std::string>& order = orders[round % 5 < 3 ? 0 : round % 5 - 2];
    std::string text;
    std::map<std::string, std::string> cells = {{"entity", entities[0]}};
    for (int series = 0, count = 1 + static_cast<int>(rng() % 8); series < count; ++series) {
      if (rng() % 2 == 0) cells["entity"] = pick(entities, 4);
      cells["indicator"] = pick(indicators, 3);
      cells["unit"] = pick(units, 3);
      for (int year = 2016, rows = 1 + static_cast<int>(rng() % 4); year < 2016 + rows; ++year) {
        cells["period"] = std::to_string(year) + (rng() % 16 == 0 ? "Q3" : "");
        cells["value"] = pick(values, 2);
        cells["qualifiers"] = rng() % 2 ? "" : "projected";
        // (Now and then a row without its last cell: a qualifiers column, or the unit.)
        const std::size_t width = order.size() - (rng() % 16 == 0 ? 1 : 0);
        for (std::size_t c = 0; c < width; ++c) text += (c ? "," : "") + cells[order[c]];
        text += rng() % 16 == 0 ? "\r\n" : "\n";
      }
    }
    if (rng() % 4 == 0) text.pop_back(); // no line ending at the end (or a lone CR)
    jjstat::csv::Record header;
    header.fields.assign(order.begin(), order.end());
    Layout layout = *jjstat::engine::plain_layout(header);
    if (rng() % 2) layout.csv.max_field_bytes = 40;
    reads_as_the_full_reader_reads(order, layout, text);
  }
}

BOOST_AUTO_TEST_CASE(quoted_cells_read_as_the_full_reader_reads_them) {
  // Cells quoted whole on one line are read the quick way, the rows of a series that repeat
  // their bytes compared as they are; any other quote (doubled, inside a cell, after a closing
  // one, never closed, around a line break) is the full reader's to read or to report. Whatever
  // the rows hold, the chunk must come out as the full reader reads it.
  const std::vector<std::string> entities = {"区县00001", "区县00002", "重庆, 江津", "a b", ""};
  const std::vector<std::string> indicators = {"rd_spending", "gdp", "smart_factories", "Bad Id",
                                               ""};
  const std::vector<std::string> values = {"26.4", "-14.98", "7", "", "1e3", "12a"};
  const std::vector<std::string> units = {"亿元", "个", "亿元,z", ""};
  const std::vector<std::string> qualifiers = {"", "projected", "projected;approximate", "bad"};
  const std::vector<std::vector<std::string>> orders = {
      {"entity", "indicator", "period", "value", "unit"},
      {"entity", "indicator", "period", "value", "unit", "qualifiers"},
      {"value", "period", "unit", "indicator", "entity"},
  };
  // A name read from a quoted cell lies before its closing quote: a row that has a quote where
  // the comma after that name should be is the full reader's error, not the same name. (Rows
  // after it: the quick reader reads a first row only with 16 bytes to spare after its value.)
  const std::vector<std::string> five = orders[0];
  jjstat::csv::Record header;
  header.fields.assign(five.begin(), five.end());
  const Layout usual = *jjstat::engine::plain_layout(header);
  const std::string after = "区县9,gdp,2020,9,亿元\n区县9,gdp,2021,9,亿元\n";
  reads_as_the_full_reader_reads(five, usual,
                                 "区县2,rd_x,2015,1,亿元\n\"区县2\",gdp,2016,1,亿元\n"
                                 "区县2\"rd_x,2017,2,亿元\n" +
                                     after);
  reads_as_the_full_reader_reads(five, usual,
                                 "区县2,\"gdp\",2016,1,亿元\n区县3,gdp\"2017,2,亿元\n" + after);
  // A unit with a comma, quoted, then the same bytes unquoted in the first row of a series: six
  // cells, the full reader's error.
  reads_as_the_full_reader_reads(five, usual,
                                 "a,rd_x,2016,1,\"万,元\"\nb,rd_x,2016,2,万,元\n" + after);
  // A period or a value whose quote opens and is not closed after it (the cell after it empty,
  // so that a comma follows).
  reads_as_the_full_reader_reads(five, usual,
                                 "区县2,gdp,2016,1,亿元\n区县2,gdp,\"2017,,5,亿元\n" + after);
  reads_as_the_full_reader_reads(five, usual,
                                 "区县2,gdp,2016,1,亿元\n区县2,gdp,2017,\"5,,亿元\n" + after);
  // The same names quoted in one row and not in the next: one series.
  reads_as_the_full_reader_reads(five, usual,
                                 "\"区县2\",gdp,2016,1,亿元\n区县2,gdp,2017,2,亿元\n"
                                 "区县2,\"gdp\",2018,3,亿元\n区县2,gdp,2019,4,亿元\n");
  std::mt19937 rng(57);
  auto pick = [&](const std::vector<std::string>& from, std::size_t usual) {
    return from[rng() % 6 == 0 ? rng() % from.size() : rng() % usual];
  };
  // How a cell is written: as it is (quoted when it must be), quoted, or (rarely) in a way only
  // the full reader reads or reports.
  auto spell = [&](const std::string& cell, int how) -> std::string {
    const bool must = cell.find(',') != std::string::npos;
    switch (how) {
    case 0: return must ? "\"" + cell + "\"" : cell;
    case 1: return "\"" + cell + "\"";
    }
    switch (rng() % 7) {
    case 0: return "\"" + cell + "\"\"x\""; // a doubled quote
    case 1: return "\"" + cell + "\nx\"";   // a line break inside
    case 2: return cell + "\"x";            // a quote inside an unquoted cell
    case 3: return "\"" + cell + "\"x";     // something after the closing quote
    case 4: return "\"" + cell;             // never closed (on this line)
    case 5: return "\"" + cell + "\r\"";    // a CR inside
    default: return "\"\"";                 // an empty quoted cell
    }
  };
  for (int round = 0; round < jjstat::test::rounds(3000, 12000); ++round) {
    const std::vector<std::string>& order = orders[round % 5 < 3 ? 0 : round % 5 - 2];
    const bool odd = round % 4 == 0; // rows spelled in ways only the full reader reads
    std::string text;
    for (int series = 0, count = 1 + static_cast<int>(rng() % 6); series < count; ++series) {
      std::map<std::string, std::string> cells = {{"entity", pick(entities, 3)},
                                                  {"indicator", pick(indicators, 3)},
                                                  {"unit", pick(units, 2)},
                                                  {"qualifiers", pick(qualifiers, 2)}};
      // Each column's spelling, kept for the series' rows but now and then changed.
      std::map<std::string, int> how;
      for (const std::string& column : order) how[column] = static_cast<int>(rng() % 2);
      for (int year = 2016, rows = 1 + static_cast<int>(rng() % 5); year < 2016 + rows; ++year) {
        cells["period"] = std::to_string(year) + (rng() % 12 == 0 ? "Q3" : "");
        cells["value"] = pick(values, 3);
        std::string row;
        for (std::size_t c = 0; c < order.size(); ++c) {
          int spelling = how[order[c]];
          if (rng() % 10 == 0) spelling = 1 - spelling;
          if (odd && rng() % 12 == 0) spelling = 2;
          row += (c ? "," : "") + spell(cells[order[c]], spelling);
        }
        text += row + (rng() % 12 == 0 ? "\r\n" : "\n");
      }
    }
    if (rng() % 4 == 0) text.pop_back(); // no line ending at the end (or a lone CR)
    header.fields.assign(order.begin(), order.end());
    reads_as_the_full_reader_reads(order, *jjstat::engine::plain_layout(header), text);
  }
}

BOOST_AUTO_TEST_CASE(same_text_compares_every_length) {
  const std::string base = "区县00000_abcdefghijklmnopqrstuvwxyz";
  for (std::size_t n = 0; n <= base.size(); ++n) {
    std::string a = base.substr(0, n);
    std::string b = a;
    BOOST_TEST(jjstat::engine::same_text(a, b));
    for (std::size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ 1);
      BOOST_TEST(!jjstat::engine::same_text(a, c), n << " " << i);
    }
    BOOST_TEST(!jjstat::engine::same_text(a, base.substr(0, n + 1)) == (n < base.size()));
  }
}

BOOST_AUTO_TEST_CASE(steps_between_periods_of_a_kind) {
  // Month indexes of 2016 and 2020, 2019Q2 and 2020Q1, 2020-01 and 2020-07.
  auto months = [](const char* a, const char* b) {
    return jjstat::Period::parse(b)->month_index() - jjstat::Period::parse(a)->month_index();
  };
  BOOST_TEST(jjstat::engine::steps_in(months("2016", "2020"), jjstat::PeriodKind::year) == 4);
  BOOST_TEST(jjstat::engine::steps_in(months("2019Q2", "2020Q1"), jjstat::PeriodKind::quarter) ==
             3);
  BOOST_TEST(jjstat::engine::steps_in(months("2020-01", "2020-07"), jjstat::PeriodKind::month) ==
             6);
  BOOST_TEST(jjstat::engine::steps_in(0, jjstat::PeriodKind::year) == 0);
  BOOST_TEST(jjstat::engine::steps_in(months("2020", "2016"), jjstat::PeriodKind::year) ==
             -1);                                                          // backwards
  BOOST_TEST(jjstat::engine::steps_in(7, jjstat::PeriodKind::year) == -1); // not whole years
  BOOST_TEST(jjstat::engine::steps_in(4, jjstat::PeriodKind::quarter) == -1);
  BOOST_TEST(jjstat::engine::steps_in(-1, jjstat::PeriodKind::month) == -1);
}

// A filter finds the names given in any order (sorted once: thousands of --entity flags must
// not be compared with every series one by one), and an empty list selects everything.
BOOST_AUTO_TEST_CASE(a_filter_selects_exactly_the_names_given) {
  std::vector<std::string> entities;
  for (int i = 999; i >= 0; i -= 3) entities.push_back("区" + std::to_string(i));
  entities.push_back("区1"); // given twice
  const jjstat::engine::Filter filter({"b", "a_x", "a"}, entities);
  for (int i = 0; i < 1000; ++i) {
    const std::string entity = "区" + std::to_string(i);
    BOOST_TEST(filter.selects_entity(entity) == (i % 3 == 0 || i == 1), entity);
  }
  BOOST_TEST(!filter.selects_entity("区"));
  BOOST_TEST(!filter.selects_entity("区9990"));
  BOOST_TEST(filter.names_entities());
  BOOST_TEST(filter.selects_indicator("a"));
  BOOST_TEST(filter.selects_indicator("a_x"));
  BOOST_TEST(filter.selects_indicator("b"));
  BOOST_TEST(!filter.selects_indicator("a_"));
  BOOST_TEST(!filter.selects_indicator("c"));
  BOOST_TEST(filter.selects("b", "区3"));
  BOOST_TEST(!filter.selects("b", "区4"));
  const jjstat::engine::Filter all;
  BOOST_TEST(all.selects("anything", "anyone"));
  BOOST_TEST(!all.names_entities());
}

BOOST_AUTO_TEST_SUITE_END()
