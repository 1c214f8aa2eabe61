#include "jjstat/report/numbers.hpp"

#include "jjstat/format.hpp"

#include <boost/test/unit_test.hpp>

using namespace jjstat;
using jjstat::report::number_text;

namespace {

/// The text of one number cell in the md format, for comparison with number_text.
std::string md_cell(const Cell& cell, bool group = false) {
  Report report;
  report.add_column("v", "v", Align::right);
  report.rows.push_back({cell});
  format::WriteOptions options;
  options.format = format::Format::md;
  options.group_digits = group;
  std::string out;
  format::write(report, options, out);
  std::size_t start = out.rfind("| ") + 2;
  return out.substr(start, out.rfind(" |") - start);
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_numbers)

BOOST_AUTO_TEST_CASE(as_a_table_cell_shows_it) {
  struct Case {
    std::optional<Number> value;
    int precision;
    bool sign;
    bool group;
    const char* text;
  };
  const Case cases[] = {
      {Number(Decimal(1142, 2)), 2, false, false, "11.42"},
      {Number(Decimal(250, 2)), 2, false, false, "2.50"},
      {Number(Decimal(1142, 2)), 2, true, false, "+11.42"},
      {Number(Decimal(-2000, 2)), 2, true, false, "-20.00"},
      {Number(Decimal(0, 0)), 2, true, false, "0"},
      {Number(76.23497997329773), 2, true, false, "+76.23"},
      {Number(2.675), 2, false, false, "2.68"},
      {Number(-0.001), 2, true, false, "0.00"},
      {Number(1234567.891), 1, false, true, "1,234,567.9"},
      {Number(Decimal(-12345675, 1)), 2, false, true, "-1,234,567.5"},
      {std::nullopt, 2, false, false, "n/a"},
  };
  for (const Case& c : cases) {
    BOOST_TEST(number_text(c.value, c.precision, c.sign, c.group) == c.text);
    Cell cell = c.value ? Cell::number(*c.value, c.precision, c.sign) : Cell::missing();
    BOOST_TEST(number_text(c.value, c.precision, c.sign, c.group) == md_cell(cell, c.group));
  }
}

BOOST_AUTO_TEST_SUITE_END()
