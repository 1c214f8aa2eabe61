// Cells: one set in place (set_text, set_number, set_real, set_missing) is the cell the factory
// makes, whatever the cell held before.
#include "jjstat/format.hpp"
#include "jjstat/report.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace jjstat;

namespace {

/// Everything a writer can read of a cell, as text.
std::string describe(const Cell& cell) {
  return std::to_string(static_cast<int>(cell.kind())) + "|" + cell.machine_text() + "|" +
         cell.human_text() + "|" + std::to_string(cell.integer_value()) + "|" +
         cell.decimal_value().to_string() + "/" + std::to_string(cell.decimal_value().scale()) +
         "|" + std::to_string(cell.real_value()) + "|" + std::to_string(cell.precision()) + "|" +
         std::to_string(cell.show_sign()) + "|" + std::to_string(static_cast<int>(cell.tone()));
}

/// `cell` written alone in every format.
std::string rendered(const Cell& cell) {
  std::string all;
  for (format::Format f : {format::Format::table, format::Format::csv, format::Format::tsv,
                           format::Format::json, format::Format::jsonl, format::Format::md}) {
    format::WriteOptions options;
    options.format = f;
    options.color = true;
    std::string out;
    format::Writer writer({{"v", "value", Align::right}}, -1, options, out);
    writer.write_row({cell});
    writer.finish({});
    all += out + "\n";
  }
  return all;
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_cells)

BOOST_AUTO_TEST_CASE(cells_set_in_place_are_the_cells_made_new) {
  const Decimal d(-1142, 2);
  // What each cell held before: every kind, with a tone, a sign and a precision of its own.
  const std::vector<Cell> before = {
      Cell::text("machine", "人类").with_tone(Cell::Tone::note),
      Cell::real(-3.14159, 4, true),
      Cell::decimal(Decimal(5, 3), true).with_tone(Cell::Tone::good),
      Cell::integer(7),
      Cell::missing(),
  };
  struct Case {
    Cell made;
    std::function<void(Cell&)> set;
  };
  const std::vector<Case> cases = {
      {Cell::text("a,b"), [](Cell& c) { c.set_text("a,b"); }},
      {Cell::text("id", "名称"), [](Cell& c) { c.set_text("id", "名称"); }},
      {Cell::text(""), [](Cell& c) { c.set_text(""); }},
      {Cell::number(Number(d), 3, true), [&](Cell& c) { c.set_number(Number(d), 3, true); }},
      {Cell::number(Number(76.23497997329774), 2, true),
       [](Cell& c) { c.set_number(Number(76.23497997329774), 2, true); }},
      {Cell::real(4.0, 0), [](Cell& c) { c.set_real(4.0, 0); }},
      {Cell::real(-0.125, 2, true), [](Cell& c) { c.set_real(-0.125, 2, true); }},
      {Cell::missing(), [](Cell& c) { c.set_missing(); }},
  };
  for (const Case& test : cases) {
    for (const Cell& old : before) {
      Cell cell = old;
      test.set(cell);
      BOOST_TEST(describe(cell) == describe(test.made));
      BOOST_TEST(rendered(cell) == rendered(test.made));
    }
  }
}

BOOST_AUTO_TEST_CASE(set_tone_is_with_tone) {
  Cell a = Cell::text("x").with_tone(Cell::Tone::bad);
  Cell b = Cell::text("x");
  b.set_tone(Cell::Tone::bad);
  BOOST_TEST(describe(a) == describe(b));
}

BOOST_AUTO_TEST_SUITE_END()
