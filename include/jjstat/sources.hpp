#pragma once
/// The one place that reads input: the embedded data and the user's files or stdin.

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::sources {

/// One text to load and the name errors give it.
struct Input {
  std::string name;
  std::string_view text;
};

/// The texts of one run; owns what it read from files.
class Inputs {
public:
  /// Every input, embedded first, then the files in the order given.
  const std::vector<Input>& list() const { return m_list; }
  /// Adds a text that lives elsewhere (the embedded data).
  void add_view(std::string name, std::string_view text);
  /// Adds a text read from a file and keeps it.
  void add_owned(std::string name, std::string text);

private:
  std::deque<std::string> m_owned; // a deque: adding never moves the texts the views point at
  std::vector<Input> m_list;
};

/// The embedded files (when `embedded`) and each of `paths` ('-' is stdin, once at most).
/// Throws IoError when a file cannot be read.
Inputs load(const std::vector<std::string>& paths, bool embedded);

} // namespace jjstat::sources
