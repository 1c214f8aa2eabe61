#include "jjstat/sources.hpp"

#include "jjstat/embedded.hpp"
#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace jjstat::sources {
namespace {

/// Reads all of `fd`; throws IoError naming `name` on failure.
std::string read_all(int fd, const std::string& name) {
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError(fmt::format("cannot read '{}': {}", name, std::strerror(errno)));
    }
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  try {
    std::string text = read_all(fd, path);
    ::close(fd);
    return text;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

} // namespace

void Inputs::add_view(std::string name, std::string_view text) {
  m_list.push_back({std::move(name), text});
}

void Inputs::add_owned(std::string name, std::string text) {
  m_owned.push_back(std::move(text));
  m_list.push_back({std::move(name), m_owned.back()});
}

Inputs load(const std::vector<std::string>& paths, bool embedded) {
  Inputs inputs;
  if (embedded) {
    for (const embedded::File& file : embedded::files()) {
      inputs.add_view("embedded:" + std::string(file.path), file.text);
    }
  }
  bool stdin_used = false;
  for (const std::string& path : paths) {
    if (path == "-") {
      if (stdin_used) throw UsageError("'--data -' (standard input) can be given only once");
      stdin_used = true;
      inputs.add_owned("<stdin>", read_all(STDIN_FILENO, "<stdin>"));
    } else {
      inputs.add_owned(path, read_file(path));
    }
  }
  return inputs;
}

} // namespace jjstat::sources
