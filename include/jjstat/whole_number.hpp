#pragma once
/// The check of options that take a whole number (--top, --precision, --width, the limits).

#include <CLI/CLI.hpp>

#include <cstdint>

namespace jjstat::cli {

/// A transform that accepts decimal digits only, from `low` to `high`, and drops leading zeros:
/// CLI11's integer parser alone would take 0x10, 1e3 or 0.5 (as 0) and read 010 as octal 8.
/// Its message names the range: "'0.5' is not a whole number from 1 to 999999999".
CLI::Validator whole_number(std::int64_t low, std::int64_t high);

} // namespace jjstat::cli
