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
