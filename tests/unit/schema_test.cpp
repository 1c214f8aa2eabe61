#include "jjstat/schema.hpp"

#include "jjstat/csv.hpp"
#include "jjstat/dataset.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

using namespace jjstat;

namespace {

/// The location of the error that loading `text` gives; the text is copied into a buffer of
/// exactly its size, so that the sanitizer build catches a read one byte past its end.
Location load_error(std::string_view text) {
  const auto buffer = std::make_unique<char[]>(text.size());
  std::copy(text.begin(), text.end(), buffer.get());
  try {
    Dataset dataset;
    dataset.load(std::string_view(buffer.get(), text.size()), "in.csv");
  } catch (const DataError& error) {
    Location where = error.where();
    where.source += std::string(": ") + error.what();
    return where;
  }
  BOOST_FAIL("no error");
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(schema)

// Regression (fuzz_dataset): a row with too few fields whose last field is empty and ends the
// text was located by reading the byte after the end of the text.
BOOST_AUTO_TEST_CASE(short_row_ending_the_text_is_located_at_its_end) {
  const Location where = load_error("entity,indicator,period,value,unit\njiangjin,");
  BOOST_TEST(where.source == "in.csv: row has 2 fields but the header has 5");
  BOOST_TEST(where.line == 2U);
  BOOST_TEST(where.column == 10U);
  BOOST_TEST(where.line_text == "jiangjin,");
}

// Regression: the caret of a short row whose last field is quoted with doubled quotes fell
// inside the field (its unescaped length was taken for its length in the text).
BOOST_AUTO_TEST_CASE(short_row_with_doubled_quotes_is_located_after_the_closing_quote) {
  const Location where = load_error("entity,indicator,period,value,unit,qualifiers\n"
                                    "jiangjin,rd_spending,2020,26.4,\"a\"\"\"\"b\"\n");
  BOOST_TEST(where.source == "in.csv: row has 5 fields but the header has 6");
  BOOST_TEST(where.line == 2U);
  BOOST_TEST(where.column == 40U);
  const Location plain = load_error("entity,indicator,period,value,unit,qualifiers\n"
                                    "jiangjin,rd_spending,2020,26.4,\"ab\"\n");
  BOOST_TEST(plain.column == 36U);
  const Location unquoted = load_error("entity,indicator,period,value,unit,qualifiers\n"
                                       "jiangjin,rd_spending,2020,26.4,ab\n");
  BOOST_TEST(unquoted.column == 34U);
  const Location multiline = load_error("entity,indicator,period,value,unit,qualifiers\n"
                                        "jiangjin,rd_spending,2020,26.4,\"a\n\"\"b\"\"\"\n");
  BOOST_TEST(multiline.line == 3U);
  BOOST_TEST(multiline.column == 7U);
  BOOST_TEST(multiline.line_text == "\"\"b\"\"\"");
}

BOOST_AUTO_TEST_CASE(long_row_is_located_at_its_first_extra_field) {
  const Location where = load_error("entity,indicator,period,value,unit\n"
                                    "jiangjin,rd_spending,2020,26.4,亿元,x\n");
  BOOST_TEST(where.source == "in.csv: row has 6 fields but the header has 5");
  BOOST_TEST(where.column == 35U);
}

BOOST_AUTO_TEST_SUITE_END()
