#include "jjstat/diagnostic.hpp"

#include "jjstat/csv.hpp"
#include "jjstat/dataset.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace jjstat;

namespace {

std::string rendered(std::size_t line, std::size_t column, const std::string& line_text,
                     const std::string& message = "bad") {
  return render_data_error(DataError(Location{"in.csv", line, column, line_text}, message));
}

/// The rendering of the error that loading `text` as a data set throws.
std::string load_error(const std::string& text) {
  try {
    Dataset data;
    data.load(text, "in.csv");
  } catch (const DataError& error) {
    return render_data_error(error);
  }
  return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(diagnostic)

BOOST_AUTO_TEST_CASE(message_line_and_caret) {
  BOOST_TEST(rendered(2, 5, "a,x,2020,1", "period '2020' is wrong") ==
             "in.csv:2:5: error: period '2020' is wrong\n"
             " 2 | a,x,2020,1\n"
             "   |     ^\n");
  BOOST_TEST(rendered(1, 1, "abc") == "in.csv:1:1: error: bad\n"
                                      " 1 | abc\n"
                                      "   | ^\n");
}

BOOST_AUTO_TEST_CASE(gutter_is_as_wide_as_the_line_number) {
  BOOST_TEST(rendered(1234, 3, "xyz") == "in.csv:1234:3: error: bad\n"
                                         " 1234 | xyz\n"
                                         "      |   ^\n");
}

BOOST_AUTO_TEST_CASE(caret_after_chinese_text_is_placed_by_display_width) {
  // 亿 is code point 18 of the line, but the text before it is 20 columns wide.
  BOOST_TEST(rendered(3, 18, "jiangjin,江津区,26.4亿,亿元") == "in.csv:3:18: error: bad\n"
                                                               " 3 | jiangjin,江津区,26.4亿,亿元\n"
                                                               "   |                     ^\n");
  // Fullwidth digits and emoji are two columns too; combining marks none.
  BOOST_TEST(rendered(1, 4, "１２３x") == "in.csv:1:4: error: bad\n"
                                          " 1 | １２３x\n"
                                          "   |       ^\n");
  BOOST_TEST(rendered(1, 4, "😀e\u0301x") == "in.csv:1:4: error: bad\n"
                                            " 1 | 😀e\u0301x\n"
                                            "   |    ^\n");
}

BOOST_AUTO_TEST_CASE(control_characters_and_invalid_bytes_are_escaped) {
  // Column 6 is the 'c' after a tab and an escape character, each shown as an escape.
  BOOST_TEST(rendered(2, 6,
                      "a\tb,\x1b"
                      "c") == "in.csv:2:6: error: bad\n"
                              " 2 | a\\tb,\\x1bc\n"
                              "   |          ^\n");
  // An invalid byte is one column of the location and four of the excerpt.
  BOOST_TEST(rendered(1, 3,
                      "a\xff"
                      "b,c") == "in.csv:1:3: error: bad\n"
                                " 1 | a\\xffb,c\n"
                                "   |      ^\n");
  // A carriage return inside the line (a bare CR) is shown, not obeyed.
  BOOST_TEST(rendered(1, 2, "a\rb") == "in.csv:1:2: error: bad\n"
                                       " 1 | a\\rb\n"
                                       "   |  ^\n");
  // A right-to-left override cannot turn the line around.
  BOOST_TEST(rendered(1, 3, "ab\u202ecd") == "in.csv:1:3: error: bad\n"
                                             " 1 | ab\\u{202e}cd\n"
                                             "   |   ^\n");
}

BOOST_AUTO_TEST_CASE(caret_may_stand_just_past_the_end_of_the_line) {
  BOOST_TEST(rendered(2, 4, "abc") == "in.csv:2:4: error: bad\n"
                                      " 2 | abc\n"
                                      "   |    ^\n");
}

BOOST_AUTO_TEST_CASE(long_lines_are_cut_to_a_window_around_the_column) {
  // 300 characters: the column's neighbourhood of 60 characters each side is kept, with an
  // ellipsis on each cut side, and the caret still lands under the column.
  std::string line;
  for (int i = 0; i < 300; ++i)
    line += static_cast<char>('a' + i % 26);
  const std::size_t column = 150;
  const std::string window = line.substr(column - 1 - 60, 120);
  BOOST_TEST(rendered(7, column, line) == "in.csv:7:150: error: bad\n"
                                          " 7 | …" +
                                              window + "…\n" + "   | " + std::string(61, ' ') +
                                              "^\n");

  // Near the start nothing is cut before the column; near the end nothing after it.
  BOOST_TEST(rendered(7, 10, line) == "in.csv:7:10: error: bad\n"
                                      " 7 | " +
                                          line.substr(0, 69) + "…\n" + "   | " +
                                          std::string(9, ' ') + "^\n");
  BOOST_TEST(rendered(7, 290, line) == "in.csv:7:290: error: bad\n"
                                       " 7 | …" +
                                           line.substr(229) + "\n" + "   | " +
                                           std::string(61, ' ') + "^\n");
}

BOOST_AUTO_TEST_CASE(long_chinese_lines_are_cut_by_characters) {
  // The window counts characters, so wide characters make it twice as many columns.
  std::string line;
  for (int i = 0; i < 100; ++i)
    line += "江";
  std::string before;
  for (int i = 0; i < 60; ++i)
    before += "江";
  std::string after;
  for (int i = 0; i < 30; ++i)
    after += "江";
  BOOST_TEST(rendered(1, 71, line) == "in.csv:1:71: error: bad\n"
                                      " 1 | …" +
                                          before + after + "\n" + "   | " + std::string(121, ' ') +
                                          "^\n");
}

BOOST_AUTO_TEST_CASE(no_excerpt_without_a_line) {
  BOOST_TEST(render_data_error(DataError(Location{"<stdin>", 0, 0, ""}, "bad")) ==
             "<stdin>:0:0: error: bad\n");
}

BOOST_AUTO_TEST_CASE(errors_of_the_reader_and_the_schema_render_in_full) {
  BOOST_TEST(load_error("entity,indicator,period,value,unit\r\n"
                        "jiangjin,rd_spending,2020,26.4亿,亿元\r\n") ==
             "in.csv:2:31: error: value '26.4亿' has text after the number; expected a plain "
             "decimal number such as -12.5 or 3e4: write 26.4 and put the unit (such as 亿元) in "
             "the unit column\n"
             " 2 | jiangjin,rd_spending,2020,26.4亿,亿元\n"
             "   |                               ^\n");
  BOOST_TEST(load_error("entity,name_zh\n"
                        "jiangjin,\"江津\n"
                        "区\n") ==
             "in.csv:2:10: error: unterminated quoted field: the quote opened here is never "
             "closed\n"
             " 2 | jiangjin,\"江津\n"
             "   |          ^\n");
  BOOST_TEST(load_error("entity,indicator,period,value,unit\n"
                        "重庆,指标,2020,1,个\n") ==
             "in.csv:2:4: error: indicator '指标' is not an ASCII snake_case id; expected a "
             "lower-case letter, then lower-case letters, digits or '_'\n"
             " 2 | 重庆,指标,2020,1,个\n"
             "   |      ^\n");
}

BOOST_AUTO_TEST_CASE(a_long_line_keeps_only_its_excerpt) {
  // A line of 100 000 characters, ASCII, Chinese (3 bytes) and an invalid byte in turn: the
  // error keeps a window of it and renders exactly as with the whole line.
  std::string line;
  for (int i = 0; i < 100000; ++i) line += i % 3 == 0 ? "a" : i % 3 == 1 ? "江" : "\xff";
  for (const std::size_t column : {std::size_t{1}, std::size_t{2}, std::size_t{61}, std::size_t{62},
                                   std::size_t{63}, std::size_t{5000}, std::size_t{99940},
                                   std::size_t{99999}, std::size_t{100000}, std::size_t{100001}}) {
    BOOST_TEST_CONTEXT("column " << column) {
      Location whole{"in.csv", 7, column, line};
      Location kept{"in.csv", 7, column, {}};
      set_line_text(kept, line);
      BOOST_TEST(kept.line_text.size() <= 123U * 3);
      BOOST_TEST(render_data_error(DataError(kept, "bad")) ==
                 render_data_error(DataError(whole, "bad")));
    }
  }
  // A short line is kept whole.
  Location short_line{"in.csv", 1, 2, {}};
  set_line_text(short_line, "abc");
  BOOST_TEST(short_line.line_text == "abc");
  BOOST_TEST(short_line.text_column == 1U);
}

BOOST_AUTO_TEST_CASE(a_long_quoted_value_is_cut_in_the_message) {
  const std::string cell(500000, '7');
  const std::string sixty(60, '7');
  BOOST_TEST(rendered(0, 0, "", "value '" + cell + "' is not a number; expected 26.4") ==
             "in.csv:0:0: error: value '" + sixty + "…' is not a number; expected 26.4\n");
  // Counted in characters: 400 Chinese characters (1200 bytes) keep sixty.
  std::string chinese;
  for (int i = 0; i < 400; ++i) chinese += "江";
  std::string kept;
  for (int i = 0; i < 60; ++i) kept += "江";
  BOOST_TEST(rendered(0, 0, "", "entity '" + chinese + "' and 'short'") ==
             "in.csv:0:0: error: entity '" + kept + "…' and 'short'\n");
  // A quoted part of up to 1000 bytes stays whole, and an unpaired quote is left as it is.
  const std::string thousand(1000, 'x');
  BOOST_TEST(rendered(0, 0, "", "'" + thousand + "' it's") ==
             "in.csv:0:0: error: '" + thousand + "' it's\n");
  // An apostrophe in a value pairs the quotes wrongly: the fixed words between are not cut.
  const std::string hint = "unknown qualifier 'it's'; expected approximate, projected, target, "
                           "at_least, planned, cumulative or derived, separated by ';'";
  BOOST_TEST(rendered(0, 0, "", hint) == "in.csv:0:0: error: " + hint + "\n");
}

BOOST_AUTO_TEST_SUITE_END()
