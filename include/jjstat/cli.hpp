#pragma once
/// The program as a library function: parse the command line, run a command, pick the exit status.

#include <cstddef>
#include <ostream>
#include <string>

namespace jjstat::cli {

/// Exit statuses (documented in the man page, EXIT STATUS).
enum ExitStatus : int {
  k_exit_ok = 0,
  k_exit_check_failed = 1, ///< verify: a checkable claim does not hold
  k_exit_usage = 2,        ///< bad command line
  k_exit_data = 3,         ///< input that breaks the CSV syntax or the schema
  k_exit_io = 4,           ///< a file that cannot be read, output that cannot be written
  k_exit_internal = 5,     ///< a bug in jjstat
};

/// What the program needs to know of its process: the terminal and the locale.
struct Environment {
  bool stdout_is_terminal = false;
  std::string locale; ///< LC_ALL, else LANG (empty when neither is set)
  std::string engine; ///< JJSTAT_ENGINE: "simple" or "stream" to force a loader (for tests)
  std::string huge_pages;         ///< JJSTAT_HUGE_PAGES: "1" asks for huge pages, "0" or empty not
  std::string map;                ///< JJSTAT_MAP: "1" maps regular files, "0" or empty reads them
  bool no_color = false;          ///< NO_COLOR is set and not empty
  std::size_t columns = 0;        ///< COLUMNS when it is a positive number, else 0
  std::size_t terminal_width = 0; ///< width of the terminal on stdout, 0 when not a terminal
};

/// The environment of this process (isatty, LC_ALL, LANG).
Environment process_environment();

/// Runs jjstat with `argv`; results go to `out`, diagnostics to `err`; returns the exit status.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const Environment& environment);

} // namespace jjstat::cli
