#include "jjstat/report/output.hpp"

#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jjstat::report {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(error)));
}

/// Writes all of `text` to `fd`; 0, or the errno of the write that failed.
int write_all(int fd, std::string_view text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

/// The file `given` names, its symbolic links followed (a relative target from the link's
/// folder), whether that file exists or not. Throws IoError for a chain of links that loops or
/// is longer than 40, or a link that cannot be read.
std::string followed(const std::string& given) {
  std::string path = given;
  for (int step = 0; step < 40; ++step) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return path;
    std::string target(4096, '\0');
    const ssize_t size = ::readlink(path.c_str(), target.data(), target.size());
    if (size <= 0 || static_cast<std::size_t>(size) >= target.size())
      fail(given, size < 0 ? errno : ENAMETOOLONG);
    target.resize(static_cast<std::size_t>(size));
    const std::size_t slash = path.rfind('/');
    path = target.front() == '/' || slash == std::string::npos ? target
                                                               : path.substr(0, slash + 1) + target;
  }
  fail(given, ELOOP);
}

} // namespace

void write_file(const std::string& given, std::string_view text) {
  // A symbolic link is written through: the file it names is replaced (or made), not the link.
  const std::string path = followed(given);
  // Anything but a regular file (a device, a FIFO) is written into as it is, never renamed
  // over, and so is whatever /dev or /proc names (/dev/stdout, a descriptor's file, which may
  // be a regular file that a shell opened to append to).
  struct stat info {};
  const bool special = given.starts_with("/dev/") || given.starts_with("/proc/") ||
                       path.starts_with("/dev/") || path.starts_with("/proc/");
  if (special || (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))) {
    const int fd = ::open(given.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(given, errno);
    int error = write_all(fd, text);
    if (::close(fd) != 0 && error == 0) error = errno;
    if (error != 0) fail(given, error);
    return;
  }
  // A name of our own in the same folder (rename is atomic only within a file system); O_EXCL
  // never takes over someone else's file, and the mode lets the umask decide as for any file.
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temporary = fmt::format("{}.{}.{}.tmp", path, ::getpid(), attempt);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) fail(given, errno);
  }
  int error = write_all(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(given, error);
  }
}

} // namespace jjstat::report
