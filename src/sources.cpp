#include "jjstat/sources.hpp"

#include "jjstat/embedded.hpp"
#include "jjstat/error.hpp"
#include "jjstat/text.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jjstat::sources {

/// zlib's streaming inflate state, over the raw bytes of the input.
struct ChunkReader::Inflater {
  z_stream stream{};
  std::string input;
  bool done = false;
  Inflater() {
    // 15 + 32: any window size, gzip or zlib header detected automatically.
    if (inflateInit2(&stream, 15 + 32) != Z_OK) throw IoError("cannot start zlib");
  }
  ~Inflater() { inflateEnd(&stream); }
};

/// A pipe copied to a temporary file as it is read: standard input (copy_stdin() of a pipe) or
/// a named pipe (copy_named_pipe()). Its readers (ChunkReader::m_tee) read the copy from its
/// start, then the pipe on, adding what they read to the copy; once the pipe has ended the copy
/// holds all of it (`whole`), and later readers read the copy with pread() (or map it, plain
/// and with map_files()); standard input's copy is then put in standard input's place
/// (g_stdin_copied).
struct Tee {
  std::string path; ///< "-", or the named pipe as given
  /// The named pipe's device and inode: another name of the same pipe finds this tee.
  dev_t device = 0;
  ino_t inode = 0;
  int source = -1;        ///< the pipe's descriptor (-1 until a reader opens a named one)
  int copy = -1;          ///< the copy's descriptor
  std::uint64_t size = 0; ///< the copy's bytes so far
  bool whole = false;
};

namespace {

/// copy_stdin() has put standard input's copy in its place (stdin_copied()).
bool g_stdin_copied = false;

/// (A deque: readers hold pointers to its members.)
std::deque<Tee> g_tees;

/// The tee of the named pipe `info` describes (by device and inode: under any of its names),
/// when copy_named_pipe() made one; nullptr otherwise.
Tee* tee_of(const struct stat& info) {
  for (Tee& tee : g_tees) {
    if (tee.path != "-" && tee.device == info.st_dev && tee.inode == info.st_ino) return &tee;
  }
  return nullptr;
}

/// The tee of `path`: "-", or a named pipe (tee_of()); nullptr when none.
Tee* find_tee(const std::string& path) {
  if (g_tees.empty()) return nullptr;
  if (path == "-") {
    for (Tee& tee : g_tees) {
      if (tee.path == "-") return &tee;
    }
    return nullptr;
  }
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? tee_of(info) : nullptr;
}

} // namespace

std::string temporary_dir() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

int make_temporary(const std::string& dir) {
  int copy = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (copy >= 0) return copy;
  // A file system without O_TMPFILE: a named file, unlinked at once.
  std::string name = dir + "/jjstat-copy-XXXXXX";
  copy = ::mkostemp(name.data(), O_CLOEXEC);
  if (copy >= 0) ::unlink(name.c_str());
  return copy;
}

namespace {

/// How errors name the input at `path` copied: standard input, or the named pipe.
std::string copied_input(const std::string& path) {
  return path == "-" ? std::string("standard input") : fmt::format("'{}'", path);
}

/// The IoError of a copy of the input at `path` that failed at `what`.
IoError copy_failure(const std::string& path, std::string_view what) {
  return IoError(fmt::format("cannot copy {} to a temporary file in {}: {}: {}", copied_input(path),
                             temporary_dir(), what, std::strerror(errno)));
}

/// Writes all of `bytes` into `fd`, the copy of the input at `path`, at `offset`.
void write_all(int fd, std::uint64_t offset, std::string_view bytes, const std::string& path) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t put =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) throw copy_failure(path, "cannot write it");
    done += static_cast<std::size_t>(put);
  }
}

/// True when `head` starts with gzip's magic bytes (1f 8b).
bool gzip_magic(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
         static_cast<unsigned char>(head[1]) == 0x8b;
}

/// The files mapped now, for the SIGBUS handler (on_bus_error): the address range of each, its
/// name and its descriptor. A slot is free when its start is 0; a reader takes one when it maps
/// a file and gives it back before letting the mapping go. Past k_mapped_slots files at once, a
/// file cut short ends with the SIGBUS as before.
struct MappedSlot {
  std::atomic<std::uintptr_t> start{0};
  std::atomic<std::size_t> size{0};
  std::atomic<const char*> name{nullptr};
  std::atomic<int> fd{-1};
};
static_assert(std::atomic<std::uintptr_t>::is_always_lock_free &&
              std::atomic<const char*>::is_always_lock_free &&
              std::atomic<int>::is_always_lock_free); // (read in a signal handler)
constexpr std::size_t k_mapped_slots = 256;
std::array<MappedSlot, k_mapped_slots> g_mapped;

/// What exit_when_cut_short() asked for.
int g_cut_short_status = 1;
std::string g_cut_short_note;
struct sigaction g_bus_before {};

/// A slot's start while a reader fills it in.
constexpr std::uintptr_t k_slot_taken = UINTPTR_MAX;

/// The slot now holding the mapping from `start` (nullptr when none was free).
MappedSlot* take_slot(const void* start, std::size_t size, const char* name, int fd) {
  for (MappedSlot& slot : g_mapped) {
    std::uintptr_t free = 0;
    if (!slot.start.compare_exchange_strong(free, k_slot_taken, std::memory_order_acquire))
      continue;
    slot.size.store(size, std::memory_order_relaxed);
    slot.name.store(name, std::memory_order_relaxed);
    slot.fd.store(fd, std::memory_order_relaxed);
    // (The start last: the handler reads the rest of a slot only once its start is there.)
    slot.start.store(reinterpret_cast<std::uintptr_t>(start), std::memory_order_release);
    return &slot;
  }
  return nullptr;
}

/// Gives a slot of take_slot() back (null: none was taken).
void give_back(void* slot) {
  if (slot) static_cast<MappedSlot*>(slot)->start.store(0, std::memory_order_release);
}

/// The size of the file open on `fd` now (async-signal-safe); -1 when it cannot be told.
long long size_now(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 ? static_cast<long long>(info.st_size) : -1;
}

/// Writes `text` to standard error (async-signal-safe).
void write_error(std::string_view text) {
  while (!text.empty()) {
    const ssize_t done = ::write(STDERR_FILENO, text.data(), text.size());
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(done));
  }
}

/// Writes `value` in decimal to standard error (async-signal-safe).
void write_number(std::size_t value) {
  char digits[24];
  std::size_t at = sizeof digits;
  do {
    digits[--at] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  write_error(std::string_view(digits + at, sizeof digits - at));
}

// The words of the error of a file cut short (cut_short_message(), and on_bus_error() piece by
// piece).
constexpr std::string_view k_cut_short_became = "' became shorter while it was read (another "
                                                "program changed it): ";
constexpr std::string_view k_cut_short_opened = " bytes when opened, ";
constexpr std::string_view k_cut_short_now = " now";

/// The error of file `name`, mapped with `was` bytes, `now` bytes long now.
std::string cut_short_message(const std::string& name, std::size_t was, long long now) {
  return fmt::format("'{}{}{}{}{}{}", name, k_cut_short_became, was, k_cut_short_opened, now,
                     k_cut_short_now);
}

/// SIGBUS: a page of a mapped file is past its end now. When the address is in a file mapped
/// here, says which file and ends the process. Any other SIGBUS goes to the handler before:
/// a fault happens again when this returns, one sent by another process is sent again.
void on_bus_error(int, siginfo_t* info, void*) {
  const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (const MappedSlot& slot : g_mapped) {
    if (info->si_code != BUS_ADRERR) break; // (sent, or a hardware memory error)
    const std::uintptr_t start = slot.start.load(std::memory_order_acquire);
    if (start == 0 || start == k_slot_taken || at < start ||
        at - start >= slot.size.load(std::memory_order_relaxed))
      continue;
    // One line, from the first thread here; another one waits for the end.
    static std::atomic<bool> said{false};
    if (said.exchange(true)) {
      for (;;) ::pause();
    }
    write_error("jjstat: error: '");
    write_error(slot.name.load(std::memory_order_relaxed));
    write_error(k_cut_short_became);
    write_number(slot.size.load(std::memory_order_relaxed));
    write_error(k_cut_short_opened);
    const long long now = size_now(slot.fd.load(std::memory_order_relaxed));
    if (now >= 0) {
      write_number(static_cast<std::size_t>(now));
    } else {
      write_error("fewer");
    }
    write_error(k_cut_short_now);
    write_error("\n");
    if (!g_cut_short_note.empty()) {
      write_error(g_cut_short_note);
      write_error("\n");
    }
    ::_exit(g_cut_short_status);
  }
  ::sigaction(SIGBUS, &g_bus_before, nullptr);
  // (Blocked until this returns, then taken by the handler before.)
  if (info->si_code <= 0) ::raise(SIGBUS);
}

} // namespace

void exit_when_cut_short(int status, std::string_view note) {
  g_cut_short_status = status;
  g_cut_short_note = std::string(note);
  // Installed unless it is the handler now (which must not become the one before it).
  struct sigaction now {};
  if (::sigaction(SIGBUS, nullptr, &now) == 0 && (now.sa_flags & SA_SIGINFO) &&
      now.sa_sigaction == on_bus_error)
    return;
  struct sigaction action {};
  action.sa_sigaction = on_bus_error;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGBUS, &action, &g_bus_before);
}

namespace {

/// Follows the quotes of `text`, which starts a record, as the CSV reader does (fields separated
/// by commas); returns whether it ends inside a quoted field, and sets `last_end` to the end of
/// its last record outside quotes (0: none).
bool follow_quotes(std::string_view text, std::size_t& last_end) {
  bool quoted = false, field_start = true;
  last_end = 0;
  // (A byte order mark, which the reader skips, at the start of a file.)
  for (std::size_t i = text.starts_with(text::k_byte_order_mark) ? text::k_byte_order_mark.size()
                                                                 : 0;
       i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') continue;
      if (i + 1 < text.size() && text[i + 1] == '"') {
        ++i; // a quote inside the field
      } else {
        quoted = false;
      }
    } else if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
    } else {
      field_start = c == ',' || c == '\n';
      if (c == '\n') last_end = i + 1;
    }
  }
  return quoted;
}

} // namespace

std::size_t last_record_end(std::string_view text) {
  if (text.find('"') == std::string_view::npos) {
    std::size_t newline = text.rfind('\n');
    return newline == std::string_view::npos ? 0 : newline + 1;
  }
  std::size_t end = 0;
  follow_quotes(text, end);
  return end;
}

bool ends_inside_quotes(std::string_view text) {
  std::size_t end = 0;
  return text.find('"') != std::string_view::npos && follow_quotes(text, end);
}

ChunkReader::ChunkReader(const std::string& path, std::size_t chunk_bytes,
                         std::size_t max_record_bytes)
    : m_name(path == "-" ? "<stdin>" : path), m_chunk_bytes(chunk_bytes),
      m_first_chunk_bytes(chunk_bytes), m_max_record_bytes(max_record_bytes) {
  if (path == "-") {
    m_fd = STDIN_FILENO;
    if (stdin_copied()) {
      // The copy, read from its start each time (a gzip one is read, which moves the offset).
      if (::lseek(m_fd, 0, SEEK_SET) != 0)
        throw IoError(fmt::format("cannot read standard input's copy: {}", std::strerror(errno)));
      map_if_plain();
    } else {
      m_tee = find_tee(path);
    }
  } else if (Tee* tee = find_tee(path); tee != nullptr && !tee->whole) {
    // (Opened by its first reader: reading whole, once the inputs before it are read; streamed,
    // once the inputs before it are opened, each read up to its first piece.)
    if (tee->source < 0) tee->source = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (tee->source < 0)
      throw IoError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    m_fd = tee->source;
    m_tee = tee;
  } else if (tee != nullptr) {
    // The named pipe has ended: its copy, read from its start with pread() (readers of it
    // share no file offset), or mapped.
    m_fd = ::dup(tee->copy);
    if (m_fd < 0)
      throw IoError(fmt::format("cannot read the copy of '{}': {}", path, std::strerror(errno)));
    m_owned = true;
    m_tee = tee;
    map_if_plain();
  } else {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) throw IoError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    m_owned = true;
    map_if_plain();
  }
}

ChunkReader::~ChunkReader() {
  give_back(m_mapped_slot);
  if (m_map) ::munmap(const_cast<char*>(m_map), m_map_size);
  if (m_owned) ::close(m_fd);
}

bool ChunkReader::is_device() const {
  struct stat info {};
  return ::fstat(m_fd, &info) == 0 && (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode));
}

bool ChunkReader::is_pipe() const {
  struct stat info {};
  return ::fstat(m_fd, &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode));
}

namespace {
std::atomic<bool> g_map_files{false};
std::atomic<bool> g_map_by_cache{false};

/// FilePmdMapped of this process in kB (/proc/self/smaps_rollup); -1 when it cannot be read.
long long file_pmd_mapped_kb() {
  const int fd = ::open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::string text;
  std::array<char, 4096> buffer;
  for (ssize_t got; (got = ::read(fd, buffer.data(), buffer.size())) > 0;)
    text.append(buffer.data(), static_cast<std::size_t>(got));
  ::close(fd);
  constexpr std::string_view k_key = "\nFilePmdMapped:";
  const std::size_t at = text.find(k_key);
  if (at == std::string::npos) return -1;
  return std::strtoll(text.c_str() + at + k_key.size(), nullptr, 10);
}

/// True when most of eight stretches of 2 MiB spread over `path`'s mapping are mapped as huge
/// pages once read (the page cache reads a file's first bytes in small pages, then larger;
/// even read from disk, a fifth of a file's stretches may be in small pages).
bool cached_in_huge_pages(const std::string& path) {
  constexpr std::uintptr_t k_huge = std::uintptr_t{1} << 21;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool huge = false;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
      static_cast<std::uint64_t>(info.st_size) >= 2 * k_huge) {
    const auto size = static_cast<std::size_t>(info.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
#if defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_READ)
      // As map_if_plain() maps it (not on a 2 MiB boundary, its pages could not be mapped 2 MiB
      // at a time anyway); stretches at 1/9, 2/9, ... 8/9 of it put in place (fewer than
      // eight in a file of less than 16 MiB).
      ::madvise(map, size, MADV_HUGEPAGE);
      const auto start = reinterpret_cast<std::uintptr_t>(map);
      const long long before = file_pmd_mapped_kb();
      if (start % k_huge == 0 && before >= 0) {
        const std::size_t stretches = std::min<std::size_t>(8, size / k_huge);
        for (std::size_t k = 1; k <= stretches; ++k) {
          const std::size_t at = size / k_huge * k / (stretches + 1) * k_huge;
          ::madvise(static_cast<char*>(map) + at, static_cast<std::size_t>(k_huge),
                    MADV_POPULATE_READ);
        }
        const long long huge_kb = file_pmd_mapped_kb() - before;
        huge = 2 * huge_kb >= static_cast<long long>(stretches * (k_huge >> 10));
      }
#endif
      ::munmap(map, size);
    }
  }
  ::close(fd);
  return huge;
}

} // namespace

void map_files(bool yes) { g_map_files.store(yes, std::memory_order_relaxed); }

bool files_mapped() { return g_map_files.load(std::memory_order_relaxed); }

void map_files_by_cache(bool yes) { g_map_by_cache.store(yes, std::memory_order_relaxed); }

void choose_mapping(const std::vector<std::string>& paths) {
  if (!g_map_by_cache.load(std::memory_order_relaxed)) return;
  for (const std::string& path : paths) {
    struct stat info {};
    if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    map_files(cached_in_huge_pages(path));
    return;
  }
  map_files(false);
}

void ChunkReader::map_if_plain() {
  // A pipe, a FIFO and an empty file (or one of /proc's, which say they are empty) are read to
  // their end.
  struct stat info {};
  if (::fstat(m_fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0) return;
  const auto size = static_cast<std::size_t>(info.st_size);
  if (!files_mapped()) {
    // Read, from its start (m_fd is at it), up to the size it has now, as a mapping would be;
    // a copy of a pipe (m_tee) has the size of what was copied. Reading copies every byte
    // from the page cache, but into buffers that serve piece after piece: a mapping's every
    // fresh page cost more on the virtual machines measured (bench/README.md, "On 2026-12-06,
    // late morning").
    if (m_tee == nullptr) m_plain_size = size;
    return;
  }
  // Mapping saves copying every byte from the page cache; gzip is read as before.
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, m_fd, 0);
  if (map == MAP_FAILED) return;
  // (Known to the SIGBUS handler before its first byte is read.)
  m_mapped_slot = take_slot(map, size, m_name.c_str(), m_fd);
  if (gzip_magic(std::string_view(static_cast<const char*>(map), size))) {
    give_back(m_mapped_slot);
    m_mapped_slot = nullptr;
    ::munmap(map, size);
    return;
  }
  ::madvise(map, size, MADV_SEQUENTIAL);
#if defined(MADV_HUGEPAGE)
  // Pages read from disk through this mapping come into the page cache as 2 MiB pages where the
  // kernel can (ext4 since Linux 6.16): each is then mapped at once, here and in later runs,
  // and covered by one TLB entry. (A hint: pages cached already stay as they are.)
  ::madvise(map, size, MADV_HUGEPAGE);
#endif
  m_map = static_cast<const char*>(map);
  m_map_size = size;
}

void ChunkReader::throw_if_cut_short() const {
  if (!m_map) return;
  // A cut inside the file's last page reads as NUL bytes to its end, not as a fault.
  if (const long long now = size_now(m_fd); now >= 0 && static_cast<std::size_t>(now) < m_map_size)
    throw IoError(cut_short_message(m_name, m_map_size, now));
}

template <typename BytesPast>
std::size_t ChunkReader::cut_piece(const BytesPast& bytes_past, bool blindly, bool& blind) const {
  // The first piece, whose cut follows quotes (it holds the header whole) and so reads every
  // byte of it before any parser can start, within k_first_mapped_bytes.
  const std::size_t first_window =
      m_index == 0 ? std::min(m_chunk_bytes, k_first_mapped_bytes) : m_chunk_bytes;
  for (std::size_t window = first_window;;
       window = window < m_chunk_bytes ? m_chunk_bytes : window + m_chunk_bytes) {
    const std::string_view text = bytes_past(window);
    if (text.size() <= window) return text.size(); // (the input ends within the window)
    const std::string_view cut = text.substr(0, window);
    // (Blind, at the last newline within the window: the parsers see every byte anyway.)
    if (const std::size_t end = blindly ? cut.rfind('\n') + 1 : last_record_end(cut); end > 0) {
      blind = blindly;
      return end;
    }
    if (window > record_limit()) return window; // (too long: the parser says why)
  }
}

bool ChunkReader::next_mapped(Chunk& chunk) {
  if (m_map_next >= m_map_size) return false;
  const std::string_view rest(m_map + m_map_next, m_map_size - m_map_next);
  bool blind = false;
  const std::size_t size = cut_piece([&](std::size_t) { return rest; }, m_cut_blindly, blind);
  chunk.read.clear();
  chunk.mapped = rest.substr(0, size);
#if defined(MADV_POPULATE_READ)
  {
    // The piece's pages mapped here, on the reader thread, in one call (Linux 5.14 on; an older
    // kernel refuses it and the parser's reads fault them in as before): the parser threads,
    // which have the least time to spare, then read without page faults.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const auto first = reinterpret_cast<std::uintptr_t>(rest.data()) / page * page;
    const auto last = reinterpret_cast<std::uintptr_t>(rest.data() + size);
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_READ);
  }
#endif
  chunk.cut_blindly = blind;
  chunk.index = m_index++;
  chunk.offset = m_offset;
  m_offset += size;
  m_map_next += size;
  return true;
}

void ChunkReader::release(const Chunk& chunk) {
  if (!m_map || !chunk.mapped.data()) return;
  // Whole pages below the piece's end: later pieces start at or after it. The pages stay in the
  // page cache; letting go of them here keeps them out of this process's resident memory.
  // Up to a 2 MiB boundary of the address space: a file cached in huge pages is mapped 2 MiB
  // at a time, and letting go of part of such a mapping splits it first (a flush of every
  // core's address cache each time).
  constexpr std::uintptr_t k_step = std::uintptr_t{1} << 21;
  const auto end = reinterpret_cast<std::uintptr_t>(chunk.mapped.data() + chunk.mapped.size());
  const auto base = reinterpret_cast<std::uintptr_t>(m_map);
  const std::size_t upto = end / k_step * k_step > base ? end / k_step * k_step - base : 0;
  if (upto <= m_map_released) return;
  ::madvise(const_cast<char*>(m_map) + m_map_released, upto - m_map_released, MADV_DONTNEED);
  m_map_released = upto;
}

std::size_t ChunkReader::read_raw(std::string& out, std::size_t want) {
  const std::size_t old = out.size();
  out.resize(old + want);
  std::size_t got = 0;
  try {
    got = read_raw_into(out.data() + old, want);
  } catch (...) {
    out.resize(old);
    throw;
  }
  out.resize(old + got);
  return got;
}

std::size_t ChunkReader::read_raw_into(char* out, std::size_t want) {
  std::size_t total = 0;
  while (total < want) {
    ssize_t got = 0;
    if (m_tee && m_tee_at < m_tee->size) {
      // What an earlier reader copied, from the copy.
      got = ::pread(
          m_tee->copy, out + total,
          static_cast<std::size_t>(std::min<std::uint64_t>(want - total, m_tee->size - m_tee_at)),
          static_cast<off_t>(m_tee_at));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0)
        throw IoError(fmt::format("cannot read the copy of {}: {}", copied_input(m_tee->path),
                                  got < 0 ? std::strerror(errno) : "it ends early"));
      m_tee_at += static_cast<std::uint64_t>(got);
      total += static_cast<std::size_t>(got);
      continue;
    }
    if (m_tee && m_tee->whole) break; // (the pipe ended: the copy is whole)
    std::size_t ask = want - total;
    if (m_plain_size != UINT64_MAX) {
      // (A file grown since it was opened: what was there then.)
      if (m_plain_read >= m_plain_size) break;
      ask = static_cast<std::size_t>(std::min<std::uint64_t>(ask, m_plain_size - m_plain_read));
    }
    got = ::read(m_fd, out + total, ask);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw IoError(fmt::format("cannot read '{}': {}", m_name, std::strerror(errno)));
    if (got == 0 && m_plain_size != UINT64_MAX) {
      // Shortened by another program while it was read; or a file whose size said more than
      // it holds (sysfs says 4096 of every attribute), which ends here.
      if (const long long now = size_now(m_fd);
          now >= 0 && static_cast<std::uint64_t>(now) < m_plain_size)
        throw IoError(cut_short_message(m_name, static_cast<std::size_t>(m_plain_size), now));
      m_plain_size = m_plain_read;
    }
    m_plain_read += static_cast<std::uint64_t>(got);
    if (got == 0) {
      if (m_tee && m_tee->path == "-") {
        // The copy is whole: in standard input's place, from its start, for the readers after.
        if (::dup2(m_tee->copy, STDIN_FILENO) < 0)
          throw copy_failure("-", "cannot put it in standard input's place");
        if (::lseek(STDIN_FILENO, 0, SEEK_SET) != 0) throw copy_failure("-", "cannot read it");
        g_stdin_copied = true;
      }
      if (m_tee) m_tee->whole = true;
      break;
    }
    if (m_tee) {
      write_all(m_tee->copy, m_tee->size,
                std::string_view(out + total, static_cast<std::size_t>(got)), m_tee->path);
      m_tee->size += static_cast<std::uint64_t>(got);
      m_tee_at += static_cast<std::uint64_t>(got);
    }
    total += static_cast<std::size_t>(got);
  }
  return total;
}

void ChunkReader::start() {
  m_started = true;
  std::string head;
  while (head.size() < 2 && read_raw(head, 2 - head.size()) > 0) {
  }
  if (gzip_magic(head)) {
    // (Read to its end, as when files are mapped: gzip data says where it ends.)
    m_plain_size = UINT64_MAX;
    m_inflater = std::make_unique<Inflater>();
    m_inflater->input = head;
  } else {
    m_pending = head; // (the start of the first piece)
    if (head.size() < 2) m_eof = true;
  }
}

bool ChunkReader::fill(std::string& out, std::size_t want) {
  Inflater& z = *m_inflater;
  std::size_t produced = 0;
  // Appends the next megabyte of gzip data to the input, or marks its end.
  auto more = [&] {
    if (!m_eof && read_raw(z.input, std::size_t{1} << 20) == 0) m_eof = true;
  };
  while (produced < want && !z.done) {
    if (z.input.empty()) more();
    std::size_t old = out.size();
    out.resize(old + (want - produced));
    z.stream.next_in = reinterpret_cast<Bytef*>(z.input.data());
    z.stream.avail_in = static_cast<uInt>(z.input.size());
    z.stream.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.stream.avail_out = static_cast<uInt>(want - produced);
    int status = inflate(&z.stream, Z_NO_FLUSH);
    std::size_t made = (want - produced) - z.stream.avail_out;
    out.resize(old + made);
    produced += made;
    z.input.erase(0, z.input.size() - z.stream.avail_in);
    if (status == Z_STREAM_END) {
      // A gzip file may hold several members one after the other (cat a.gz b.gz), and end in
      // zero bytes (a tape's or a disk image's padding), which gzip ignores too.
      // Zero bytes are padding only when nothing but zero bytes follows, however the reads
      // fall: zero bytes and then anything (another member included) is an error.
      bool zeros = false;
      for (;;) {
        if (z.input.empty()) more();
        const std::size_t data = z.input.find_first_not_of('\0');
        if (data == std::string::npos) {
          zeros = zeros || !z.input.empty();
          z.input.clear();
          if (m_eof) break;
          continue;
        }
        zeros = zeros || data > 0;
        break;
      }
      while (!zeros && !z.input.empty() && z.input.size() < 2 && !m_eof) more();
      if (z.input.empty()) {
        z.done = true;
      } else if (!zeros && gzip_magic(z.input)) {
        inflateReset(&z.stream);
      } else {
        throw IoError(
            fmt::format("cannot inflate '{}': the gzip data is followed by {}", m_name,
                        zeros ? "zero bytes and then other data" : "data that is not gzip"));
      }
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      throw IoError(fmt::format("cannot inflate '{}': {}", m_name,
                                z.stream.msg ? z.stream.msg : "corrupt gzip data"));
    } else if (status == Z_BUF_ERROR && z.input.empty() && m_eof) {
      throw IoError(fmt::format("cannot inflate '{}': the gzip data ends early", m_name));
    }
  }
  return produced > 0;
}

bool ChunkReader::next(Chunk& chunk) {
  if (m_map) return next_mapped(chunk);
  if (!m_started) start();
  if (!m_inflater) return next_read(chunk);
  // Gzip data: inflated into the piece's string. It keeps its buffer (the caller recycles
  // pieces): only the carried tail is copied.
  std::string& text = chunk.read;
  chunk.mapped = {};
  chunk.cut_blindly = false;
  text.assign(m_pending);
  m_pending.clear();
  // Read until the piece holds a record boundary past chunk_bytes, or the input ends.
  for (;;) {
    std::size_t end = text.size() >= m_chunk_bytes ? last_record_end(text) : 0;
    if (end > 0) {
      m_pending.assign(text, end, std::string::npos);
      text.resize(end);
      break;
    }
    if (text.size() > record_limit()) break; // the parser says why
    if (!fill(text, m_chunk_bytes)) break;
  }
  if (text.empty()) return false;
  chunk.index = m_index++;
  chunk.offset = m_offset;
  m_offset += text.size();
  return true;
}

bool ChunkReader::next_read(Chunk& chunk) {
  // Read straight into the piece's buffer, which it keeps (the caller recycles pieces), and
  // which nothing fills with zeros first: only the carried tail is copied.
  auto room_for = [&](std::size_t bytes, std::size_t keep) {
    if (chunk.buffer_bytes >= bytes) return;
    // (An eighth more: the carried tail differs from piece to piece, and a buffer made anew
    // each time would be fresh memory each time.)
    bytes += bytes / 8;
    auto larger = std::unique_ptr<char[]>(new char[bytes]);
    if (keep > 0) std::memcpy(larger.get(), chunk.buffer.get(), keep);
    chunk.buffer = std::move(larger);
    chunk.buffer_bytes = bytes;
  };
  room_for(std::max(m_pending.size(), m_chunk_bytes) + 1, 0);
  std::memcpy(chunk.buffer.get(), m_pending.data(), m_pending.size());
  std::size_t filled = m_pending.size();
  m_pending.clear();
  // The bytes read so far, read on until there are more than `upto` of them or the input ends:
  // the pieces of a mapped file, cut from what is read (cut_piece()).
  auto read_past = [&](std::size_t upto) {
    while (filled <= upto && !m_eof) {
      const std::size_t want = upto + 1 - filled;
      room_for(filled + want, filled);
      const std::size_t got = read_raw_into(chunk.buffer.get() + filled, want);
      filled += got;
      if (got < want) m_eof = true; // (fewer only at the end)
    }
    return std::string_view(chunk.buffer.get(), filled);
  };
  // Blindly only a file of a known size, or the whole copy of a pipe: the bytes the pass after
  // a cut inside quotes reads again are these (not a file of /proc's, nor a pipe that may wait).
  const bool blindly =
      m_cut_blindly && (m_plain_size != UINT64_MAX || (m_tee != nullptr && m_tee->whole));
  bool blind = false;
  const std::size_t size = cut_piece(read_past, blindly, blind);
  m_pending.assign(chunk.buffer.get() + size, filled - size);
  chunk.read.clear();
  chunk.cut_blindly = blind;
  if (size == 0) {
    chunk.mapped = {};
    return false;
  }
  chunk.mapped = std::string_view(chunk.buffer.get(), size);
  chunk.index = m_index++;
  chunk.offset = m_offset;
  m_offset += size;
  return true;
}

void Inputs::add_view(std::string name, std::string_view text) {
  m_list.push_back({std::move(name), text});
}

void Inputs::add_owned(std::string name, std::string text) {
  m_owned.push_back(std::move(text));
  m_list.push_back({std::move(name), m_owned.back()});
}

bool copy_stdin() {
  if (g_stdin_copied || find_tee("-") != nullptr) return true;
  // A closed standard input is left to the reader, which says so.
  if (::fcntl(STDIN_FILENO, F_GETFD) < 0) return false;
  const int copy = make_temporary(temporary_dir());
  // No file there: nothing read yet, standard input is left to be read whole.
  if (copy < 0) return false;
  struct stat info {};
  if (::fstat(STDIN_FILENO, &info) != 0 || !S_ISREG(info.st_mode)) {
    // A pipe (or a device, a socket) is copied as the readers read it (a Tee): its rows are
    // checked as they come, and one that never ends is not copied for ever before any is.
    Tee& tee = g_tees.emplace_back();
    tee.path = "-";
    tee.source = STDIN_FILENO;
    tee.copy = copy;
    return true;
  }
  // (Closed on the way out: once in place, standard input holds the file.)
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{copy};
  // A regular file is copied within the kernel (from its offset on), when the file systems
  // allow; or, on a refusal before any byte went across, through a buffer.
  bool copied = false;
  bool moved = false;
  for (;;) {
    const ssize_t got =
        ::copy_file_range(STDIN_FILENO, nullptr, copy, nullptr, std::size_t{1} << 30, 0);
    if (got > 0) {
      moved = true;
      continue;
    }
    if (got == 0) copied = true;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && moved) throw copy_failure("-", "cannot write it");
    break;
  }
  // (A buffer of its own, not a string, which would be zero-filled before each read.)
  std::vector<char> buffer(copied ? 0 : std::size_t{1} << 20);
  std::uint64_t written = 0; // (no byte went across before: the copy is written from its start)
  while (!copied) {
    const ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (got == 0) break;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw IoError(fmt::format("cannot read '<stdin>': {}", std::strerror(errno)));
    write_all(copy, written, std::string_view(buffer.data(), static_cast<std::size_t>(got)), "-");
    written += static_cast<std::uint64_t>(got);
  }
  if (::dup2(copy, STDIN_FILENO) < 0)
    throw copy_failure("-", "cannot put it in standard input's place");
  g_stdin_copied = true;
  return true;
}

bool stdin_copied() { return g_stdin_copied; }

bool copy_named_pipe(const std::string& path) {
  if (path == "-") return false;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISFIFO(info.st_mode)) return false;
  if (tee_of(info) != nullptr) return true;
  const int copy = make_temporary(temporary_dir());
  if (copy < 0) return false;
  Tee& tee = g_tees.emplace_back();
  tee.path = path;
  tee.device = info.st_dev;
  tee.inode = info.st_ino;
  tee.copy = copy;
  return true;
}

bool starts_as_gzip(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::array<char, 2> head{};
  const ssize_t got = ::read(fd, head.data(), head.size());
  ::close(fd);
  return got == 2 && gzip_magic(std::string_view(head.data(), head.size()));
}

bool rereadable(const std::string& path) {
  if (path == "-") return g_stdin_copied || find_tee("-") != nullptr;
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && (S_ISREG(info.st_mode) || tee_of(info) != nullptr);
}

void check_pipes_once(const std::vector<std::string>& paths) {
  // The pipes so far: device, inode and the name given.
  struct Pipe {
    dev_t device;
    ino_t inode;
    const std::string* path;
  };
  std::vector<Pipe> pipes;
  bool with_stdin = false;
  for (const std::string& path : paths) {
    struct stat info {};
    if (path == "-") {
      if (with_stdin) throw UsageError("'--data -' (standard input) can be given only once");
      with_stdin = true;
      if (::fstat(STDIN_FILENO, &info) != 0 || !S_ISFIFO(info.st_mode)) continue;
    } else if (::stat(path.c_str(), &info) != 0 || !S_ISFIFO(info.st_mode)) {
      continue;
    }
    for (const Pipe& pipe : pipes) {
      if (pipe.device != info.st_dev || pipe.inode != info.st_ino) continue;
      if (*pipe.path == path)
        throw UsageError(fmt::format("'--data {}' (a pipe) can be given only once", path));
      throw UsageError(fmt::format("'--data {}' is the pipe of '--data {}', which can be given "
                                   "only once",
                                   path, *pipe.path));
    }
    pipes.push_back({info.st_dev, info.st_ino, &path});
  }
}

void read_rest(ChunkReader& reader, std::string& text, const RefusedStart& refused) {
  std::optional<bool> refuses; // what `refused` says of the text's start, once it can tell
  // True when what was read is enough, `piece` the last piece of it.
  auto enough = [&](std::string_view piece) {
    // Not in gzip data, whose own errors (a bad check, an early end) come first wherever they
    // lie. Elsewhere a NUL byte is an error wherever it lies, and the reader reports the first
    // error of the text before it or at it: the rest need not be read (/dev/zero never ends).
    if (reader.is_gzip()) return false;
    if (piece.find('\0') != std::string_view::npos) return true;
    // Nor past a first record the loader refuses as a header, its first error (`yes`).
    if (refused && !refuses) refuses = refused(text);
    return refuses.value_or(false);
  };
  if (!text.empty() && enough(text)) return;
  Chunk chunk;
  while (reader.next(chunk)) {
    text += chunk.text();
    const bool stop = enough(chunk.text());
    reader.release(chunk);
    if (stop) return;
  }
}

Inputs load(const std::vector<std::string>& paths, bool embedded, const RefusedStart& refused) {
  Inputs inputs;
  if (embedded) {
    for (const embedded::File& file : embedded::files()) {
      inputs.add_view("embedded:" + std::string(file.path), file.text);
    }
  }
  check_pipes_once(paths);
  for (const std::string& path : paths) {
    ChunkReader reader(path, k_whole_read_bytes, k_whole_read_bytes);
    std::string text;
    read_rest(reader, text, refused);
    reader.throw_if_cut_short();
    inputs.add_owned(reader.name(), std::move(text));
  }
  return inputs;
}

} // namespace jjstat::sources
