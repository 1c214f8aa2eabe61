#pragma once
/// Shell completion scripts (bash, zsh, fish), made from the command table rather than written
/// by hand for each shell.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::completion {

/// A long option of a command.
struct Option {
  std::string name;                 ///< "--format"
  std::string help;
  bool takes_value = false;
  bool file = false;                ///< its value is a file name
  std::vector<std::string> choices; ///< the values it accepts, when there is a fixed list
};

/// A command with its options and what its positional arguments are.
struct Command {
  std::string name;
  std::string summary;
  std::vector<Option> options;
  std::vector<std::string> arguments; ///< values of the positional arguments (indicator ids)
};

/// The completion script for `shell` ("bash", "zsh" or "fish"); nullopt for another shell.
std::optional<std::string> script(std::string_view shell, const std::vector<Command>& commands);

} // namespace jjstat::completion
