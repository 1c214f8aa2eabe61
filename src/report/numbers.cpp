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
  // As format.cpp does for table cells: no sign on zero, which prints without other digits.
  if (show_sign && !digits.empty() && digits[0] != '-' &&
      digits.find_first_not_of("0.") != std::string::npos) {
    digits.insert(digits.begin(), '+');
  }
  return digits;
}

} // namespace jjstat::report
