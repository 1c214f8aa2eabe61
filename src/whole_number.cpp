#include "jjstat/whole_number.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace jjstat::cli {

CLI::Validator whole_number(std::int64_t low, std::int64_t high) {
  const std::string range = fmt::format("{} to {}", low, high);
  return CLI::Validator(
      [low, high, range](std::string& value) {
        const std::size_t first = std::min(value.find_first_not_of('0'), value.size() - 1);
        const std::string digits = value.empty() ? value : value.substr(first);
        const bool plain =
            !digits.empty() && digits.size() <= 18 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!plain || std::stoll(digits) < low || std::stoll(digits) > high)
          return fmt::format("'{}' is not a whole number from {}", value, range);
        value = digits;
        return std::string();
      },
      range);
}

} // namespace jjstat::cli
