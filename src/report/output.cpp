#include "jjstat/report/output.hpp"

#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace jjstat::report {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(error)));
}

} // namespace

void write_file(const std::string& path, std::string_view text) {
  // A name of our own in the same folder (rename is atomic only within a file system); O_EXCL
  // never takes over someone else's file, and the mode lets the umask decide as for any file.
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temporary = fmt::format("{}.{}.{}.tmp", path, ::getpid(), attempt);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) fail(path, errno);
  }
  std::size_t written = 0;
  int error = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(path, error);
  }
}

} // namespace jjstat::report
