#pragma once
/// The fuzz targets as plain functions, so that libFuzzer (tests/fuzz/fuzz_*.cpp, clang) and the
/// unit tests (tests/unit/fuzz_replay_test.cpp, g++) run the same checks on the same inputs.
/// Each returns 0 when the input upholds every invariant; a broken invariant throws
/// Violation, and any exception a target does not expect is let through, so both harnesses
/// report it as a failure.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jjstat::fuzz {

/// An invariant of jjstat that an input broke.
class Violation : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

/// csv::Reader over the bytes with both quote policies and small limits: errors are DataErrors
/// located inside the text, and text that parses reads back the same after csv::append_field.
int fuzz_csv(const std::uint8_t* data, std::size_t size);

/// parse_decimal (and Period::parse) on the bytes: accepted numbers follow the documented
/// grammar, print and read back equal, and format as doubles without throwing.
int fuzz_decimal(const std::uint8_t* data, std::size_t size);

/// Dataset::load of the bytes (split at 0xFF bytes into several files; observations, metadata
/// tables, --wide), then the derived figures and statistics: only DataError may escape.
int fuzz_dataset(const std::uint8_t* data, std::size_t size);

/// cli::run in-process on the bytes after the first as a --data file; the first byte picks the
/// command, the format and an option. Exit status in 0..4, nothing on stdout on failure, valid
/// JSON, and the loaded engine prints what the streamed one prints.
int fuzz_cli(const std::uint8_t* data, std::size_t size);

/// The target named `name` ("csv", "decimal", "dataset", "cli"), or nullptr.
using Target = int (*)(const std::uint8_t*, std::size_t);
Target find_target(std::string_view name);

} // namespace jjstat::fuzz
