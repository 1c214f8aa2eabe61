#include "jjstat/report.hpp"

#include <utility>

namespace jjstat {

Cell Cell::text(std::string machine, std::string human) {
  Cell cell;
  cell.m_text = std::move(machine);
  cell.m_human = std::move(human);
  return cell;
}

Cell Cell::integer(std::int64_t value) {
  Cell cell;
  cell.m_kind = Kind::integer;
  cell.m_integer = value;
  return cell;
}

Cell Cell::decimal(const Decimal& value, bool show_sign) {
  Cell cell;
  cell.m_kind = Kind::decimal;
  cell.m_decimal = value;
  cell.m_show_sign = show_sign;
  return cell;
}

Cell Cell::real(double value, int precision, bool show_sign) {
  Cell cell;
  cell.m_kind = Kind::real;
  cell.m_real = value;
  cell.m_precision = precision;
  cell.m_show_sign = show_sign;
  return cell;
}

Cell Cell::number(const Number& value, int precision, bool show_sign) {
  if (const auto* d = std::get_if<Decimal>(&value)) return decimal(*d, show_sign);
  return real(std::get<double>(value), precision, show_sign);
}

void Cell::reset(Kind kind) {
  // As a new cell of that kind: the strings emptied (keeping their buffers), the rest default.
  m_kind = kind;
  m_text.clear();
  m_human.clear();
  m_integer = 0;
  m_decimal = Decimal();
  m_real = 0.0;
  m_precision = 2;
  m_show_sign = false;
  m_tone = Tone::plain;
}

void Cell::set_text(std::string_view machine, std::string_view human) {
  reset(Kind::text);
  m_text.assign(machine);
  m_human.assign(human);
}

void Cell::set_number(const Number& value, int precision, bool show_sign) {
  if (const auto* d = std::get_if<Decimal>(&value)) {
    reset(Kind::decimal);
    m_decimal = *d;
    m_show_sign = show_sign;
    return;
  }
  set_real(std::get<double>(value), precision, show_sign);
}

void Cell::set_real(double value, int precision, bool show_sign) {
  reset(Kind::real);
  m_real = value;
  m_precision = precision;
  m_show_sign = show_sign;
}

void Cell::set_missing() { reset(Kind::missing); }

Cell Cell::missing() {
  Cell cell;
  cell.m_kind = Kind::missing;
  return cell;
}

std::size_t Report::add_column(std::string key, std::string label, Align align,
                               Audience audience) {
  columns.push_back({std::move(key), std::move(label), align, audience});
  return columns.size() - 1;
}

} // namespace jjstat
