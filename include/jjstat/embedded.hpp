#pragma once
/// The data files compiled into the binary (generated from data/ at build time).

#include <span>
#include <string_view>

namespace jjstat::embedded {

/// One embedded file: its path relative to the project root and its bytes.
struct File {
  std::string_view path;
  std::string_view text;
};

/// Every embedded file, sorted by path.
std::span<const File> files();

/// SHA-256 (hex) of every embedded file's path and text, for `--version`.
std::string_view checksum();

} // namespace jjstat::embedded
