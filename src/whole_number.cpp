#include "jjstat/whole_number.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace jjstat::cli {

CLI::Validator whole_number(std::int64_t low, std::int64_t high) {
  const std::string range = fmt::format("{} to {}", low, high);
  return CLI::Validator(
      [low, high, range](std::string& value) {
        // (Leading zeros dropped, one kept for zero itself.)
        const std::size_t first = value.find_first_not_of('0');
        const std::string digits =
            first == std::string::npos ? value.substr(0, 1) : value.substr(first);
        const bool plain =
            !digits.empty() && digits.size() <= 18 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        const long long number = plain ? std::stoll(digits) : 0;
        if (!plain || number < low || number > high)
          return fmt::format("'{}' is not a whole number from {}", value, range);
        value = digits;
        return std::string();
      },
      range);
}

} // namespace jjstat::cli
