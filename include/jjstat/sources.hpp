#pragma once
/// The one place that reads input: the embedded data and the user's files or stdin, whole or
/// in record-aligned pieces (gzip is inflated on the fly).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
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

/// A piece of an input: whole records, in order.
struct Chunk {
  std::string read;         ///< the piece, when it was read into memory
  std::string_view mapped;  ///< the piece, when it lies in the file's mapping or in `buffer`
  std::size_t index = 0;    ///< 0 for the first piece (it holds the header)
  std::uint64_t offset = 0; ///< byte offset of the piece in the (inflated) input
  /// Cut at its last newline without following quotes (ChunkReader::cut_blindly): the cut
  /// holds only if the piece's quotes are even in number up to there.
  bool cut_blindly = false;
  /// Where a piece read (not gzip, not mapped) lies, `mapped` a view of it: kept from piece to
  /// piece, nothing written in it but what is read.
  std::unique_ptr<char[]> buffer;
  std::size_t buffer_bytes = 0;
  /// The piece's text, wherever it lies.
  std::string_view text() const { return mapped.data() ? mapped : std::string_view(read); }
};

/// A pipe copied to a temporary file as it is read (sources.cpp).
struct Tee;

/// Whether ChunkReader maps plain regular files from now on (JJSTAT_MAP=1) instead of reading
/// them into its pieces' buffers; not by default. Set before any reader is made.
void map_files(bool yes);
/// True when plain regular files are mapped (map_files()).
bool files_mapped();
/// Whether choose_mapping() decides (JJSTAT_MAP unset or empty); not by default.
void map_files_by_cache(bool yes);
/// When map_files_by_cache() asked for it: map_files(), true when the first regular file of
/// `paths` (2 MiB or more) lies in the page cache in huge pages, so that its mapping maps 2 MiB
/// at a time, as a file read from disk on Linux 6.16 and later does (one cached as it was
/// written is in 4 KiB pages, whose every first read through a mapping costs its reader more
/// than reading copies: bench/README.md, "On 2026-12-06, late morning"). Eight stretches of 2
/// MiB spread over it are mapped and put in place to see (mostly in huge pages: mapped); false
/// when that cannot be told.
void choose_mapping(const std::vector<std::string>& paths);

/// Reads a file, or stdin for "-", as record-aligned chunks; gzip is detected by its magic
/// bytes (1f 8b). A plain regular file is read up to the size it had when opened, and is an
/// error when it ends before (throw_if_cut_short()); with map_files(), it is mapped into memory
/// instead, and the pages of pieces done with are let go (release). Throws IoError when the
/// input cannot be read or inflated.
class ChunkReader {
public:
  /// A reader of `path` with pieces of about `chunk_bytes`; a record longer than
  /// `max_record_bytes` is handed over as it is, for the parser to report.
  ChunkReader(const std::string& path, std::size_t chunk_bytes, std::size_t max_record_bytes);
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  /// Reads the next piece; false at the end of the input.
  bool next(Chunk& chunk);
  /// True when the input is a character or block device (/dev/zero, say), which may never end.
  bool is_device() const;
  /// True when the input is a pipe, a FIFO or a socket (standard input from another program,
  /// `--data <(cmd)`), which may never end either.
  bool is_pipe() const;
  /// True when the input is gzip data (known once next() has read a piece).
  bool is_gzip() const { return m_inflater != nullptr; }
  /// Cuts the pieces after this call at about `chunk_bytes` (the pieces before keep theirs).
  void set_chunk_bytes(std::size_t chunk_bytes) { m_chunk_bytes = chunk_bytes; }
  /// Cuts the pieces of a plain file (read or mapped) at the last newline, without reading
  /// every byte for quotes first (the parser sees every byte anyway, and says when the quotes
  /// before a cut are odd in number: then the cut is inside a quoted field and the file must
  /// be read again without this). Gzip pieces are always cut by last_record_end(). Call it only
  /// for an input that can be read again.
  void cut_blindly() { m_cut_blindly = true; }
  /// Lets go of the memory of the mapping up to the end of `chunk`, the pieces before it being
  /// done with too (call it from one thread); the pieces after it stay readable. Pages let go
  /// stay so: releasing a piece again, or an earlier one, does nothing.
  void release(const Chunk& chunk);
  /// Throws the IoError of a mapped file that another program made shorter than it was when
  /// mapped (what it read past the new end may be NUL bytes); does nothing otherwise. (A plain
  /// file read, not mapped, that ends before the size it had when opened throws it as it is
  /// read.)
  void throw_if_cut_short() const;
  /// The name errors give the input ("<stdin>" for "-").
  const std::string& name() const { return m_name; }

private:
  /// How far a piece grows while it holds no record end: the size the reader was made with,
  /// or the present one when larger, and max_record_bytes (a smaller size set later does not
  /// cut a long record that the first size would have held).
  std::size_t record_limit() const {
    return std::max(m_chunk_bytes, m_first_chunk_bytes) + m_max_record_bytes;
  }
  /// Appends up to `want` more bytes of inflated gzip input to `out`; false at the end.
  bool fill(std::string& out, std::size_t want);
  /// For a regular file with some bytes open on m_fd: maps it, when files_mapped() and it is
  /// not gzip; otherwise notes its size (m_plain_size), which it is read up to.
  void map_if_plain();
  /// next() for a mapped file.
  bool next_mapped(Chunk& chunk);
  /// The size of the next piece, read or mapped alike: its last record end within chunk_bytes
  /// (the first piece's within k_first_mapped_bytes), or its last newline when `blindly` (then
  /// `blind` is set), looking further while one record is longer than that, up to
  /// max_record_bytes more (then the parser says why). `bytes_past(window)` gives the input's
  /// bytes from the piece's start, more than `window` of them unless the input ends first.
  template <typename BytesPast>
  std::size_t cut_piece(const BytesPast& bytes_past, bool blindly, bool& blind) const;
  /// Reads the input's first bytes: gzip's magic (then m_inflater), or the first piece's start.
  void start();
  /// next() for an input read (not mapped, not gzip), into the piece's buffer.
  bool next_read(Chunk& chunk);
  /// Reads up to `want` bytes of the raw input into `out`, fewer only at its end (standard
  /// input through its copy, with m_tee); returns how many (0 at the end).
  std::size_t read_raw_into(char* out, std::size_t want);
  /// The same, appended to `out`.
  std::size_t read_raw(std::string& out, std::size_t want);
  /// Reading a pipe that copy_stdin() or copy_named_pipe() copies as it is read: the copy
  /// first, from m_tee_at on, then the pipe. Null for any other input.
  Tee* m_tee = nullptr;
  std::uint64_t m_tee_at = 0;

  struct Inflater;
  std::string m_name;
  int m_fd = -1;
  bool m_owned = false;
  bool m_eof = false;
  std::unique_ptr<Inflater> m_inflater;
  std::string m_pending; ///< bytes read past the last record boundary
  std::size_t m_chunk_bytes;
  const std::size_t m_first_chunk_bytes; ///< the size the reader was made with
  std::size_t m_max_record_bytes;
  std::size_t m_index = 0;
  std::uint64_t m_offset = 0;
  bool m_started = false;
  const char* m_map = nullptr; ///< the file's bytes, when mapped
  std::size_t m_map_size = 0;
  std::size_t m_map_next = 0;     ///< where the next piece of the mapping starts
  std::size_t m_map_released = 0; ///< the mapping's bytes let go so far (whole pages)
  bool m_cut_blindly = false;
  /// A regular file read (not mapped): its size when opened, which it is read up to, and the
  /// bytes read of it so far. UINT64_MAX for any other input, read to its end.
  std::uint64_t m_plain_size = UINT64_MAX;
  std::uint64_t m_plain_read = 0;
  void* m_mapped_slot = nullptr; ///< where the SIGBUS handler finds the mapping (sources.cpp)
};

/// The end of the last complete record of `text` (one past its '\n'), or 0 when there is none:
/// quotes are followed as the CSV reader follows them (ends_inside_quotes()), so a newline inside
/// a quoted field is not an end.
std::size_t last_record_end(std::string_view text);

/// True when `text`, which starts a record, ends inside a quoted field, its quotes followed as the
/// CSV reader follows them: a quote opens a quoted field only where a field starts (elsewhere it
/// is a character, which `--quotes lenient` keeps and the default policy reports), and two quotes
/// inside one are a quote.
bool ends_inside_quotes(std::string_view text);

/// From now on, a mapped file that another program shortens while it is read, when a page past
/// its new end is read, ends the process with one line on standard error naming the file and
/// its sizes, then `note` and a line end when `note` is not empty, and exit status `status`,
/// instead of the SIGBUS the system sends (nothing else is written: results are written once
/// the inputs are read). Any other SIGBUS is left to the handler there was before. Called
/// again, it changes the status and the note (and puts the handler back if another took its
/// place).
void exit_when_cut_short(int status, std::string_view note);

/// The size of the pieces load() reads a whole input in.
constexpr std::size_t k_whole_read_bytes = std::size_t{1} << 24;

/// The window the first piece of an input that is not gzip is cut in (ChunkReader::next),
/// read or mapped, at its last record end: small, so that the parsers start after 64 KiB were
/// read for quotes, not a whole piece.
constexpr std::size_t k_first_mapped_bytes = std::size_t{1} << 16;

/// Throws the UsageError of a pipe given twice among `paths`: '-' (standard input) twice, or a
/// named pipe (FIFO) given again, by the same name or another (/dev/stdin, when standard input
/// is a pipe, is the pipe of '-'); a pipe can be read only once. Checks every path before any
/// is opened: opening a named pipe waits for a writer.
void check_pipes_once(const std::vector<std::string>& paths);

/// What the loader makes of the start of an input (Dataset::refuses_header()): true when it
/// refuses the input as it begins, whatever follows, so that the rest need not be read; false
/// when it does not; nullopt while the start is too short to tell.
using RefusedStart = std::function<std::optional<bool>(std::string_view start)>;

/// Makes standard input readable more than once, through a temporary file (in $TMPDIR, else
/// /tmp; unlinked at once, so that it goes when the process does). A regular file is copied
/// at once, from where it stands to its end, and put in standard input's place, at its start:
/// from then on "-" is read like a regular file (stdin_copied()). A pipe (or a device)
/// is copied as it is read: each reader of "-" reads the copy from its start, then standard
/// input on, adding to the copy; at standard input's end the copy takes its place. So a pipe's
/// rows are checked as they come, and one that never ends is not copied for ever before any
/// is. The stream beside the embedded data needs this, since the full loader may have to take
/// over once it is over. Does nothing the second time. False, having read nothing, when
/// standard input is closed or no file can be made there (it is then read as before); throws
/// IoError when standard input cannot be read or the copy cannot be written, part of it read
/// (a reader of a pipe throws it as it reads).
bool copy_stdin();
/// Makes the named pipe (FIFO) at `path` readable more than once, as copy_stdin() makes a pipe
/// on standard input: makes the temporary file now, and the first reader (ChunkReader) of the
/// pipe opens it (when it is reached among the inputs: opening a named pipe waits for a
/// writer); its readers read the copy, then the pipe on, adding to the copy; once the pipe has
/// ended, the copy alone (another name of the same pipe reads the same copy). Does nothing
/// the second time (true). False, having done nothing, when `path` is no named pipe or no file
/// can be made; it is then read as before.
bool copy_named_pipe(const std::string& path);
/// True once the copy of standard input is whole and in its place.
bool stdin_copied();
/// True when the file at `path` starts with gzip's magic bytes (1f 8b), which ChunkReader
/// inflates.
bool starts_as_gzip(const std::string& path);
/// True when `path` can be read more than once: a regular file, "-" once copy_stdin() has
/// made its copy (whole, or as standard input is read), or a named pipe copy_named_pipe() copies.
bool rereadable(const std::string& path);

/// Where temporary files go (copies of pipes, rows set aside): $TMPDIR, else /tmp.
std::string temporary_dir();
/// A new temporary file in `dir`, open for reading and writing, gone when the process is (never
/// linked, or unlinked at once); -1 when none can be made there.
int make_temporary(const std::string& dir);

/// Reads the input of `reader` on, appending it to `text` (what was read of it before), to its
/// end; but, unless it is gzip data (whose errors lie anywhere), only up to the piece holding
/// its first NUL byte, or its first record when `refused` says the loader refuses that: each
/// the first error of the text, whatever follows (/dev/zero and `yes` never end). Throws
/// IoError when it cannot be read.
void read_rest(ChunkReader& reader, std::string& text, const RefusedStart& refused);

/// The embedded files (when `embedded`) and each of `paths` ('-' is stdin, once at most), each
/// read by read_rest(). Throws IoError when a file cannot be read.
Inputs load(const std::vector<std::string>& paths, bool embedded, const RefusedStart& refused = {});

} // namespace jjstat::sources
