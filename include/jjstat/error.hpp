#pragma once
/// The error types of jjstat; cli::run is the one place that catches them and picks exit statuses.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace jjstat {

/// A place in a source: 1-based physical line and column (columns count code points).
struct Location {
  std::string source;
  std::size_t line = 0;
  std::size_t column = 0;
  /// The physical line without its line ending; a long one only around `column`
  /// (set_line_text()), from its character `text_column` on.
  std::string line_text;
  std::size_t text_column = 1; ///< the column of line_text's first character
};

/// Input that breaks the CSV syntax or the data schema (exit status 3).
class DataError : public std::runtime_error {
public:
  /// An error at `where`; `message` says what was found and what was expected.
  DataError(Location where, const std::string& message);
  /// Where the error is.
  const Location& where() const { return m_where; }

private:
  Location m_where;
};

/// A command line that cannot be carried out: unknown indicator, bad option value (exit status 2).
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A file that cannot be read, or output that cannot be written (exit status 4).
class IoError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace jjstat
