// The strict RFC 8259 validator of the tests (tests/fuzz/json_check.hpp) on texts it must accept
// and reject, and jjstat's JSON writers checked by it: json_string on random bytes, and the
// json and jsonl formats on reports with every kind of cell.

#include "../fuzz/json_check.hpp"

#include "jjstat/format.hpp"
#include "jjstat/report.hpp"
#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace jjstat;
using namespace std::string_literals;

namespace {

bool valid(std::string_view text) { return json_check::check(text).ok; }

} // namespace

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(validator_accepts_rfc_8259_texts) {
  for (const std::string_view text :
       {"null", "true", "false", "0", "-0", "12", "-12.5", "3e4", "1.5E-3", "1e+2", "\"\"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\uD83D\\uDE00\"", "\"江津 😀\"", "[]", "{}",
        " [1, 2.5, \"x\", null, true, {\"a\": [{}]}] ", "{\"a\": 1, \"b\": {\"a\": 2}}",
        "\t\r\n[\n]\n"}) {
    BOOST_TEST_CONTEXT(text) {
      const json_check::Verdict verdict = json_check::check(text);
      BOOST_TEST(verdict.ok, verdict.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(validator_rejects_everything_else) {
  for (const std::string_view text : {
           "", " ", "nul", "True", "NaN", "-NaN", "Infinity", "-Infinity", "inf", "01", "-",
           "+1", ".5", "5.", "1e", "1e+", "0x10", "1 2", "[1,]", "[,1]", "{\"a\":1,}", "{a:1}",
           "{'a':1}", "['a']", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1", "{\"a\":1", "\"abc",
           "\"a\tb\"", "\"a\nb\"", "\"\\x41\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"\\uD800\"",
           "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\xFF\"", "\"\xC0\xAF\"", "\"\xE0\x80\xAF\"",
           "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xE4\xBA\"", "{\"a\":1,\"a\":2}",
           "[1]/* comment */", "\xEF\xBB\xBF[]",
       }) {
    BOOST_TEST_CONTEXT(text::escape_for_terminal(text)) { BOOST_TEST(!valid(text)); }
  }
  BOOST_TEST(!valid("\"a\0b\""s));
  BOOST_TEST(!valid(std::string(300, '[') + std::string(300, ']')), "nesting is bounded");
  BOOST_TEST(valid(std::string(200, '[') + std::string(200, ']')));
}

BOOST_AUTO_TEST_CASE(validator_checks_json_lines) {
  BOOST_TEST(json_check::check_lines("").ok);
  BOOST_TEST(json_check::check_lines("{\"a\": 1}\n{\"a\": 2}\n").ok);
  BOOST_TEST(!json_check::check_lines("{\"a\": 1}").ok, "the last line needs its line end");
  BOOST_TEST(!json_check::check_lines("{\"a\": 1}\n\n").ok, "an empty line is no value");
  BOOST_TEST(!json_check::check_lines("{\"a\": 1}\n{\"a\": }\n").ok);
}

BOOST_AUTO_TEST_CASE(json_string_is_valid_for_any_bytes) {
  std::mt19937 rng(2021);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 40);
  for (int i = 0; i < 5000; ++i) {
    std::string bytes(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(rng));
    const std::string literal = format::json_string(bytes);
    BOOST_TEST_CONTEXT(text::escape_for_terminal(bytes)) {
      const json_check::Verdict verdict = json_check::check(literal);
      BOOST_TEST(verdict.ok, verdict.message << " in " << text::escape_for_terminal(literal));
    }
  }
  // Valid UTF-8 passes through unchanged apart from the escapes.
  BOOST_TEST(format::json_string("江津\u202e😀") == "\"江津\u202e😀\"");
  BOOST_TEST(format::json_string("a\x01\x7f\"\\") == "\"a\\u0001\x7f\\\"\\\\\"");
  BOOST_TEST(format::json_string("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");
}

BOOST_AUTO_TEST_CASE(json_formats_are_valid_for_every_kind_of_cell) {
  Report report;
  report.add_column("text", "Text");
  report.add_column("integer", "Integer", Align::right);
  report.add_column("decimal", "Decimal", Align::right);
  report.add_column("real", "Real", Align::right);
  report.add_column("human", "Human", Align::left, Audience::human);
  const double reals[] = {0.0, -0.0, 76.23497997329773, -1e-300, 1e300, 5e-324,
                          std::numeric_limits<double>::max(), -123456789.125};
  for (const double value : reals) {
    report.rows.push_back({Cell::text("\"q\"\n\t\x1b[31m\xff"), Cell::integer(INT64_MIN),
                           Cell::decimal(Decimal(-1142, 2)), Cell::real(value, 2), Cell::text("h")});
  }
  report.rows.push_back({Cell::missing(), Cell::missing(), Cell::missing(), Cell::missing(), Cell::missing()});
  for (const auto format : {format::Format::json, format::Format::jsonl}) {
    format::WriteOptions options;
    options.format = format;
    std::string out;
    format::write(report, options, out);
    const json_check::Verdict verdict =
        format == format::Format::json ? json_check::check(out) : json_check::check_lines(out);
    BOOST_TEST(verdict.ok, verdict.message << " at byte " << verdict.offset << " of\n" << out);
  }
  Report empty;
  empty.add_column("a", "A");
  for (const auto format : {format::Format::json, format::Format::jsonl}) {
    format::WriteOptions options;
    options.format = format;
    std::string out;
    format::write(empty, options, out);
    BOOST_TEST((format == format::Format::json ? json_check::check(out) : json_check::check_lines(out)).ok);
  }
}

BOOST_AUTO_TEST_SUITE_END()
