#include "jjstat/report/numbers.hpp"

#include "jjstat/decimal.hpp"

#include <variant>

namespace jjstat::report {

std::string number_text(const std::optional<Number>& value, int precision, bool show_sign,
                        bool group_digits) {
  if (!value) return "n/a";
  std::string digits = std::holds_alternative<Decimal>(*value)
                           ? std::get<Decimal>(*value).to_string()
                           : format_fixed(std::get<double>(*value), precision);
  if (group_digits) digits = group_thousands(digits);
  return show_sign ? with_plus_sign(std::move(digits)) : digits;
}

} // namespace jjstat::report
