#pragma once
/// Numbers as people read them in reports and charts: the same text a table cell shows.

#include "jjstat/unit.hpp"

#include <optional>
#include <string>

namespace jjstat::report {

/// `value` as the table and md formats print it: a decimal with its own digits, a computed value
/// rounded half away from zero to `precision` digits, '+' before a positive value when
/// `show_sign`, thousands separators when `group_digits`; "n/a" when missing.
std::string number_text(const std::optional<Number>& value, int precision, bool show_sign = false,
                        bool group_digits = false);

} // namespace jjstat::report
