// Reading inputs in pieces: a regular file is read into the pieces' buffers (or mapped, with
// map_files()), gzip and pipes are read; either way the pieces are whole records, in order, and
// put together they are the input.
#include "jjstat/error.hpp"
#include "jjstat/sources.hpp"

#include <fmt/format.h>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

using namespace jjstat;

namespace {

/// A path in the temporary folder, the process id in its name (two test runs never share it).
std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "_" + name);
}

/// Regular files mapped (sources::map_files()) or read for a scope; read again after it.
struct Mapping {
  explicit Mapping(bool yes) { sources::map_files(yes); }
  ~Mapping() { sources::map_files(false); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
};

void write_plain(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

void write_gzip(const std::filesystem::path& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}

/// Rows with quoted fields that hold newlines and doubled quotes, some long.
std::string quoted_table(unsigned seed) {
  std::mt19937 random(seed);
  std::string text = "entity,indicator,period,value,unit\n";
  for (int i = 0; i < 300; ++i) {
    switch (random() % 4) {
    case 0: text += "\"e" + std::to_string(i) + "\nline two\",x,2020,1,个\n"; break;
    case 1: text += "\"say \"\"hi\"\", then\n\nmore\",x,2020,2,个\n"; break;
    case 2: text += "e" + std::string(random() % 90, 'z') + ",x,2020,3,个\n"; break;
    default: text += "e" + std::to_string(i) + ",x,2020,4,个\n"; break;
    }
  }
  text += "last,x,2021,5,个"; // no newline at the end
  return text;
}

/// True when `text` ends with a newline outside quotes.
bool ends_a_record(std::string_view text) {
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
  }
  return !quoted && !text.empty() && text.back() == '\n';
}

/// Every piece of `path` read with pieces of about `chunk_bytes`, each released once read when
/// `release` is set.
std::vector<sources::Chunk> pieces_of(const std::filesystem::path& path, std::size_t chunk_bytes,
                                      bool release) {
  sources::ChunkReader reader(path.string(), chunk_bytes, 1 << 20);
  std::vector<sources::Chunk> pieces;
  sources::Chunk chunk;
  while (reader.next(chunk)) {
    sources::Chunk copy;
    copy.read = std::string(chunk.text());
    copy.index = chunk.index;
    copy.offset = chunk.offset;
    BOOST_TEST(chunk.mapped.empty() == !chunk.read.empty()); // in one place or the other
    pieces.push_back(std::move(copy));
    if (release) reader.release(chunk);
  }
  return pieces;
}

void check_pieces(const std::vector<sources::Chunk>& pieces, const std::string& text,
                  std::size_t chunk_bytes) {
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    BOOST_TEST(pieces[i].index == i);
    BOOST_TEST(pieces[i].offset == joined.size());
    if (i + 1 < pieces.size()) {
      BOOST_TEST(ends_a_record(pieces[i].read), "piece " << i << " of " << chunk_bytes);
    }
    joined += pieces[i].read;
  }
  BOOST_TEST(joined == text, "pieces of " << chunk_bytes << " bytes");
}

} // namespace

BOOST_AUTO_TEST_SUITE(sources_pieces)

BOOST_AUTO_TEST_CASE(mapped_and_read_pieces_are_whole_records_that_make_the_input) {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const Mapping mode(seed > 3);
    const std::string text = quoted_table(seed);
    const std::filesystem::path plain = temp_path("jjstat_sources.csv");
    const std::filesystem::path gzip = temp_path("jjstat_sources.csv.gz");
    write_plain(plain, text);
    write_gzip(gzip, text);
    for (std::size_t chunk_bytes : {1, 7, 64, 500, 4096, 100000}) {
      for (bool release : {false, true}) {
        check_pieces(pieces_of(plain, chunk_bytes, release), text, chunk_bytes);
        check_pieces(pieces_of(gzip, chunk_bytes, release), text, chunk_bytes);
      }
    }
    std::filesystem::remove(plain);
    std::filesystem::remove(gzip);
  }
}

BOOST_AUTO_TEST_CASE(pieces_after_a_new_size_are_cut_at_it) {
  // Rows of 20 bytes: pieces of 100 bytes hold 5 rows, then of 1000 bytes 50, then of 20
  // bytes one (a piece ends at the last record end within its size), mapped or read.
  std::string text = "entity,indicator,period,value,unit\n";
  for (int i = 0; i < 400; ++i) text += fmt::format("e{:04},x,{},{:04},u\n", i, 2000 + i % 20, i);
  const std::filesystem::path plain = temp_path("jjstat_sources_resized.csv");
  const std::filesystem::path gzip = temp_path("jjstat_sources_resized.csv.gz");
  write_plain(plain, text);
  write_gzip(gzip, text);
  for (const std::filesystem::path* path : {&plain, &gzip}) {
    sources::ChunkReader reader(path->string(), 100, 1 << 20);
    std::vector<std::size_t> sizes;
    std::string joined;
    sources::Chunk chunk;
    while (reader.next(chunk)) {
      sizes.push_back(chunk.text().size());
      joined += chunk.text();
      if (sizes.size() == 3) reader.set_chunk_bytes(1000);
      if (sizes.size() == 5) reader.set_chunk_bytes(20);
    }
    BOOST_TEST(joined == text);
    BOOST_TEST_REQUIRE(sizes.size() > 8);
    // (The first piece holds the 35-byte header and the 3 rows that end within 100 bytes.)
    BOOST_TEST(sizes[0] == 95, *path);
    BOOST_TEST(sizes[1] == 100);
    BOOST_TEST(sizes[2] == 100);
    BOOST_TEST(sizes[3] == 1000);
    BOOST_TEST(sizes[4] == 1000);
    for (std::size_t i = 5; i < sizes.size(); ++i) BOOST_TEST(sizes[i] == 20, "piece " << i);
  }
  std::filesystem::remove(plain);
  std::filesystem::remove(gzip);
}

BOOST_AUTO_TEST_CASE(a_smaller_size_set_later_still_holds_the_records_the_first_held) {
  // Made with pieces of 100 bytes and records of up to 50 more, the reader looks up to 150
  // bytes for a record's end; set to pieces of 10 later, still up to 150 (not 60): a record of
  // 120 bytes comes whole, mapped or read.
  const std::string text =
      "entity,indicator,period,value,unit\n" + std::string(119, 'e') + "\nb,x,2020,1,u\n";
  const std::filesystem::path plain = temp_path("jjstat_sources_long_record.csv");
  const std::filesystem::path gzip = temp_path("jjstat_sources_long_record.csv.gz");
  write_plain(plain, text);
  write_gzip(gzip, text);
  for (const std::filesystem::path* path : {&plain, &gzip}) {
    sources::ChunkReader reader(path->string(), 100, 50);
    reader.set_chunk_bytes(10);
    std::vector<std::string> pieces;
    sources::Chunk chunk;
    while (reader.next(chunk)) pieces.emplace_back(chunk.text());
    BOOST_TEST_REQUIRE(pieces.size() >= 2U, *path);
    std::string joined;
    for (const std::string& piece : pieces) joined += piece;
    BOOST_TEST(joined == text, *path);
    // (The header's piece, then the long record whole.)
    BOOST_TEST(pieces[0] == "entity,indicator,period,value,unit\n", *path);
    BOOST_TEST(pieces[1] == std::string(119, 'e') + "\n", *path);
  }
  std::filesystem::remove(plain);
  std::filesystem::remove(gzip);
}

BOOST_AUTO_TEST_CASE(quotes_are_followed_as_the_csv_reader_follows_them) {
  using jjstat::sources::ends_inside_quotes;
  using jjstat::sources::last_record_end;
  // A quote inside an unquoted field is a character (kept by --quotes lenient): the quoted field
  // after it, with a line break inside, is what decides where records end.
  const std::string stray = "a\"b,c\n\"x\ny\",z\n";
  BOOST_TEST(last_record_end(stray) == stray.size());
  BOOST_TEST(last_record_end(stray.substr(0, stray.size() - 1)) == 6U); // after "a\"b,c\n"
  BOOST_TEST(ends_inside_quotes("a\"b,c\n\"x\n"));
  BOOST_TEST(!ends_inside_quotes("a\"b,c\n\"x\"\n"));
  BOOST_TEST(!ends_inside_quotes("a\"b,c\n"));
  // Two quotes inside a quoted field are a quote; a byte order mark starts a file.
  BOOST_TEST(last_record_end("\"a\"\"b\n\",c\nd") == 10U);
  BOOST_TEST(ends_inside_quotes("\"a\"\"b\n"));
  BOOST_TEST(last_record_end("\xEF\xBB\xBF\"a\nb\",c\n") == 11U);
  BOOST_TEST(last_record_end("\xEF\xBB\xBF\"a\nb\",c") == 0U);
  BOOST_TEST(last_record_end("x,\"a\nb") == 0U);
  BOOST_TEST(last_record_end("no quote\nat all") == 9U);
}

BOOST_AUTO_TEST_CASE(blind_cuts_end_at_the_last_newline_and_say_so) {
  // Cut blindly, a plain file's pieces (read or mapped) end at the last newline of their
  // window, quotes or not, and say they were cut so; gzip's cuts still follow quotes.
  const std::string text = quoted_table(2);
  const std::filesystem::path plain = temp_path("jjstat_sources_blind.csv");
  const std::filesystem::path gzip = temp_path("jjstat_sources_blind.csv.gz");
  write_plain(plain, text);
  write_gzip(gzip, text);
  for (std::size_t chunk_bytes : {1, 7, 64, 500, 4096, 10, 501}) {
    const Mapping mode(chunk_bytes % 10 != 0 && chunk_bytes % 2 != 0); // (1, 7 and 501 mapped)
    for (const std::filesystem::path* path : {&plain, &gzip}) {
      sources::ChunkReader reader(path->string(), chunk_bytes, 1 << 20);
      reader.cut_blindly();
      std::string joined;
      sources::Chunk chunk;
      bool blind_seen = false;
      while (reader.next(chunk)) {
        const std::string piece(chunk.text());
        const bool last = joined.size() + piece.size() == text.size();
        joined += piece;
        if (path == &gzip) {
          BOOST_TEST(!chunk.cut_blindly);
          if (!last) BOOST_TEST(ends_a_record(piece));
          continue;
        }
        BOOST_TEST(chunk.cut_blindly == !last, "pieces of " << chunk_bytes);
        if (last) continue;
        blind_seen = true;
        BOOST_TEST(piece.back() == '\n');
        // The window (rounded up to the piece's record) holds no newline past the cut.
        const std::size_t window = (piece.size() + chunk_bytes - 1) / chunk_bytes * chunk_bytes;
        const std::size_t rest = std::min(window, text.size() - (joined.size() - piece.size()));
        BOOST_TEST(text.substr(joined.size(), rest - piece.size()).find('\n') == std::string::npos,
                   "pieces of " << chunk_bytes);
      }
      BOOST_TEST(joined == text);
      if (path == &plain) BOOST_TEST(blind_seen);
    }
  }
  std::filesystem::remove(plain);
  std::filesystem::remove(gzip);
}

BOOST_AUTO_TEST_CASE(a_mapped_file_is_seen_as_it_is_and_read_ones_are_copied) {
  // A plain file read lies in the piece's buffer; mapped (map_files()), in the mapping; gzip is
  // inflated into the piece's string.
  const std::filesystem::path plain = temp_path("jjstat_sources_kind.csv");
  const std::filesystem::path gzip = temp_path("jjstat_sources_kind.csv.gz");
  const std::string text = "entity,indicator,period,value,unit\na,x,2020,1,个\n";
  write_plain(plain, text);
  write_gzip(gzip, text);
  sources::Chunk chunk;
  BOOST_TEST(!sources::files_mapped()); // (the default)
  for (const bool mapping : {false, true}) {
    const Mapping mode(mapping);
    sources::Chunk piece;
    sources::ChunkReader reader(plain.string(), 1 << 20, 1 << 20);
    BOOST_TEST_REQUIRE(reader.next(piece));
    BOOST_TEST(piece.mapped == text);
    BOOST_TEST(piece.read.empty());
    BOOST_TEST((piece.buffer == nullptr) == mapping);
    BOOST_TEST((piece.buffer != nullptr && piece.mapped.data() == piece.buffer.get()) == !mapping);
    BOOST_TEST(!reader.next(piece));
  }
  sources::ChunkReader inflated(gzip.string(), 1 << 20, 1 << 20);
  BOOST_TEST_REQUIRE(inflated.next(chunk));
  BOOST_TEST(chunk.mapped.empty());
  BOOST_TEST(chunk.read == text);
  // An empty file has no piece, mapped or not.
  const std::filesystem::path empty = temp_path("jjstat_sources_empty.csv");
  write_plain(empty, "");
  sources::ChunkReader nothing(empty.string(), 1 << 20, 1 << 20);
  BOOST_TEST(!nothing.next(chunk));
  for (const auto& path : {plain, gzip, empty}) std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(a_mapped_files_first_piece_is_small) {
  // Its cut follows quotes (the whole header in it), which reads every byte: the first piece
  // ends at the last record end within 64 KiB, the next ones within the piece size; read or
  // mapped alike. A gzip file's first piece is a whole piece, as before.
  for (const bool mapping : {false, true}) {
    const Mapping mode(mapping);
    std::string text = "entity,indicator,period,value,unit\n";
    while (text.size() < 300000)
      text += "\"区, " + std::to_string(text.size()) + "\",x,2020,1.5,个\n";
    const std::filesystem::path plain = temp_path("jjstat_sources_first.csv");
    const std::filesystem::path gzip = temp_path("jjstat_sources_first.csv.gz");
    write_plain(plain, text);
    write_gzip(gzip, text);
    sources::ChunkReader mapped(plain.string(), 1 << 17, 1 << 20);
    sources::Chunk chunk;
    BOOST_TEST_REQUIRE(mapped.next(chunk));
    const std::size_t first = chunk.text().size();
    BOOST_TEST(first == text.rfind('\n', sources::k_first_mapped_bytes - 1) + 1);
    BOOST_TEST_REQUIRE(mapped.next(chunk));
    BOOST_TEST(chunk.text().size() == text.rfind('\n', first + (1 << 17) - 1) + 1 - first);
    std::string joined = text.substr(0, first) + std::string(chunk.text());
    while (mapped.next(chunk)) joined += chunk.text();
    BOOST_TEST(joined == text);
    sources::ChunkReader inflated(gzip.string(), 1 << 17, 1 << 20);
    BOOST_TEST_REQUIRE(inflated.next(chunk));
    BOOST_TEST(chunk.text().size() == text.rfind('\n', (1 << 17) - 1) + 1);
    for (const auto& path : {plain, gzip}) std::filesystem::remove(path);
  }
}

/// How a child process ended, and what it wrote on standard error.
struct ChildEnd {
  int status = 0;
  std::string said;
};

/// Runs `body` in a child process with SIGBUS's default action (not Boost.Test's handler) and
/// its standard error into a pipe; the child ends with status 12 when `body` returns, 13 when
/// it throws.
template <typename Body> ChildEnd run_child(Body body) {
  int pipe_ends[2];
  BOOST_TEST_REQUIRE(::pipe(pipe_ends) == 0);
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(pipe_ends[1], STDERR_FILENO);
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]); // (standard error holds it: what the child starts may let go of it)
    std::signal(SIGBUS, SIG_DFL);
    try {
      body();
    } catch (...) {
      ::_exit(13);
    }
    ::_exit(12);
  }
  ::close(pipe_ends[1]);
  ChildEnd end;
  char buffer[512];
  for (ssize_t got; (got = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    end.said.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_ends[0]);
  BOOST_TEST_REQUIRE(::waitpid(child, &end.status, 0) == child);
  return end;
}

/// A file of about 1 MiB whose rows all parse.
std::string megabyte_table() {
  std::string text = "entity,indicator,period,value,unit\n";
  while (text.size() < (std::size_t{1} << 20))
    text += "e" + std::to_string(text.size()) + ",x,2020,1.5,个\n";
  return text;
}

BOOST_AUTO_TEST_CASE(a_file_cut_short_while_mapped_ends_with_an_io_error_not_sigbus) {
  // The file is cut to nothing after the first piece; looking for the second one reads a page
  // past its new end: the one line names the file and its sizes, then the note, and the status
  // is the one asked for. Both ways of cutting pieces (following quotes, and blindly).
  const std::string text = megabyte_table();
  const std::filesystem::path plain = temp_path("jjstat_sources_cut.csv");
  for (const bool blind : {false, true}) {
    write_plain(plain, text);
    const ChildEnd end = run_child([&] {
      sources::map_files(true);
      sources::exit_when_cut_short(4, "（读写错误）");
      sources::ChunkReader reader(plain.string(), 1 << 17, 1 << 20);
      if (blind) reader.cut_blindly();
      sources::Chunk chunk;
      if (!reader.next(chunk) || ::truncate(plain.c_str(), 0) != 0) ::_exit(11);
      while (reader.next(chunk)) {
      }
    });
    BOOST_TEST_REQUIRE(WIFEXITED(end.status));
    BOOST_TEST(WEXITSTATUS(end.status) == 4);
    BOOST_TEST(end.said == "jjstat: error: '" + plain.string() +
                               "' became shorter while it was read (another program changed "
                               "it): " +
                               std::to_string(text.size()) +
                               " bytes when opened, 0 now\n（读写错误）\n");
  }
  std::filesystem::remove(plain);
}

BOOST_AUTO_TEST_CASE(a_sigbus_sent_by_another_process_is_not_taken_for_a_cut_file) {
  // With a file mapped, a SIGBUS sent (not a fault) goes to the handler before: here the
  // default one, which ends the child by the signal, its error line unwritten.
  const std::filesystem::path plain = temp_path("jjstat_sources_sent.csv");
  write_plain(plain, megabyte_table());
  const ChildEnd end = run_child([&] {
    sources::map_files(true);
    sources::exit_when_cut_short(4, "");
    sources::ChunkReader reader(plain.string(), 1 << 17, 1 << 20);
    sources::Chunk chunk;
    if (!reader.next(chunk)) ::_exit(11);
    ::kill(::getpid(), SIGBUS);
  });
  BOOST_TEST_REQUIRE(WIFSIGNALED(end.status));
  BOOST_TEST(WTERMSIG(end.status) == SIGBUS);
  BOOST_TEST(end.said.empty());
  std::filesystem::remove(plain);
}

BOOST_AUTO_TEST_CASE(a_file_cut_inside_its_last_page_is_an_io_error_once_read) {
  // No fault then: the bytes past the new end read as NULs. throw_if_cut_short() tells the
  // cut apart (the whole-file path calls it after reading, the streaming one on an error).
  const std::string text = megabyte_table();
  const std::filesystem::path plain = temp_path("jjstat_sources_tail.csv");
  write_plain(plain, text);
  const Mapping mode(true);
  sources::ChunkReader reader(plain.string(), 1 << 17, 1 << 20);
  sources::Chunk chunk;
  BOOST_TEST_REQUIRE(reader.next(chunk));
  BOOST_CHECK_NO_THROW(reader.throw_if_cut_short());
  const std::size_t cut = text.size() - 10;
  BOOST_TEST_REQUIRE(cut / 4096 == (text.size() - 1) / 4096); // (the same last page)
  BOOST_TEST_REQUIRE(::truncate(plain.c_str(), static_cast<off_t>(cut)) == 0);
  std::string rest;
  while (reader.next(chunk)) rest += chunk.text();
  BOOST_TEST(rest.substr(rest.size() - 10) == std::string(10, '\0'));
  try {
    reader.throw_if_cut_short();
    BOOST_FAIL("no error");
  } catch (const IoError& e) {
    BOOST_TEST(
        std::string(e.what()) ==
        "'" + plain.string() + "' became shorter while it was read (another program changed it): " +
            std::to_string(text.size()) + " bytes when opened, " + std::to_string(cut) + " now");
  }
  std::filesystem::remove(plain);
}

BOOST_AUTO_TEST_CASE(a_file_read_is_read_up_to_its_size_when_opened) {
  // Read, not mapped: cut to nothing after the first piece, or by ten bytes, the next piece
  // throws the IoError naming the file and its sizes then and now, both ways of cutting pieces;
  // grown after the first piece, the file is read up to the size it had when opened.
  const std::string text = megabyte_table();
  const std::filesystem::path plain = temp_path("jjstat_sources_read_cut.csv");
  for (const std::size_t cut : {std::size_t{0}, text.size() - 10}) {
    for (const bool blind : {false, true}) {
      write_plain(plain, text);
      sources::ChunkReader reader(plain.string(), 1 << 17, 1 << 20);
      if (blind) reader.cut_blindly();
      sources::Chunk chunk;
      BOOST_TEST_REQUIRE(reader.next(chunk));
      BOOST_TEST_REQUIRE(::truncate(plain.c_str(), static_cast<off_t>(cut)) == 0);
      try {
        while (reader.next(chunk)) {
        }
        BOOST_FAIL("no error");
      } catch (const IoError& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "'" + plain.string() +
                       "' became shorter while it was read (another program changed it): " +
                       std::to_string(text.size()) + " bytes when opened, " + std::to_string(cut) +
                       " now");
      }
    }
  }
  write_plain(plain, text);
  sources::ChunkReader reader(plain.string(), 1 << 17, 1 << 20);
  sources::Chunk chunk;
  BOOST_TEST_REQUIRE(reader.next(chunk));
  std::string joined(chunk.text());
  std::ofstream(plain, std::ios::binary | std::ios::app) << "more,x,2020,1,个\n";
  while (reader.next(chunk)) joined += chunk.text();
  BOOST_TEST(joined == text);
  std::filesystem::remove(plain);
  // A file whose size says more than it holds (sysfs says 4096) ends where its bytes do; one
  // that says it is empty (/proc's) is read to its end, and never cut blindly: what a second
  // pass would read of it may differ.
  for (const char* path : {"/sys/kernel/mm/transparent_hugepage/enabled", "/proc/self/maps"}) {
    if (!std::filesystem::exists(path)) continue;
    sources::ChunkReader special(path, 64, 1 << 20);
    special.cut_blindly();
    std::string read;
    bool blind = false;
    while (special.next(chunk)) {
      read += chunk.text();
      blind |= chunk.cut_blindly;
    }
    BOOST_TEST(!read.empty(), path);
    BOOST_TEST(read.back() == '\n', path);
    BOOST_TEST(!blind, path);
  }
}

BOOST_AUTO_TEST_CASE(mapping_is_chosen_by_the_first_regular_file_when_asked) {
  // Without map_files_by_cache(), choose_mapping() leaves map_files() as it is; with it, files
  // are read when the first regular file is under 4 MiB or not found, or when no input is a
  // regular file (standard input, a pipe). (Whether a big file lies in huge pages depends on
  // the machine: the golden case growth/map_same_output runs that choice.)
  const std::filesystem::path small = temp_path("jjstat_sources_choose.csv");
  write_plain(small, megabyte_table());
  const Mapping mode(true);
  sources::choose_mapping({small.string()});
  BOOST_TEST(sources::files_mapped());
  sources::map_files_by_cache(true);
  sources::choose_mapping({"-", small.string()});
  BOOST_TEST(!sources::files_mapped());
  sources::map_files(true);
  sources::choose_mapping({"-", "/dev/null", temp_path("jjstat_no_such.csv").string()});
  BOOST_TEST(!sources::files_mapped());
  sources::map_files_by_cache(false);
  std::filesystem::remove(small);
}

BOOST_AUTO_TEST_CASE(a_record_longer_than_the_limit_is_handed_over_as_it_is) {
  // One quoted field that never closes: the piece stops growing past chunk + limit bytes, and
  // the parser then reports the field.
  const std::filesystem::path plain = temp_path("jjstat_sources_long.csv");
  const std::string text = "a,\"" + std::string(10000, 'q') + "\n" + std::string(10000, 'r') + "\n";
  write_plain(plain, text);
  sources::ChunkReader reader(plain.string(), 100, 1000);
  sources::Chunk chunk;
  BOOST_TEST_REQUIRE(reader.next(chunk));
  BOOST_TEST(chunk.text().size() > 1100);
  BOOST_TEST(chunk.text().size() < text.size());
  std::string joined(chunk.text());
  while (reader.next(chunk)) joined += chunk.text();
  BOOST_TEST(joined == text);
  std::filesystem::remove(plain);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_io_error) {
  BOOST_CHECK_THROW(sources::ChunkReader(temp_path("jjstat_no_such_file.csv").string(), 100, 100),
                    IoError);
}

BOOST_AUTO_TEST_CASE(standard_input_copied_is_read_like_a_file_again_and_again) {
  // copy_stdin() (in a child: it replaces the process's standard input): a pipe's bytes, a
  // gzip pipe's, and a regular file's from where its offset stands, each read whole twice,
  // the plain ones mapped once the copy is whole when files are mapped (map_files(); read as
  // files otherwise); rereadable("-") only once copied. A regular
  // file is copied at once; a pipe as it is read: a first reader takes a first piece (pieces
  // of 16 bytes), the next reads what the first copied from the copy, then the rest from the pipe,
  // and once the pipe has ended the copy is in its place.
  const std::string text = "entity,indicator,period,value,unit\na,x,2020,1,个\nb,x,2021,2,个\n";
  const std::filesystem::path plain = temp_path("jjstat_stdin_plain.csv");
  const std::filesystem::path gzip = temp_path("jjstat_stdin.csv.gz");
  write_plain(plain, "skipped," + text);
  write_gzip(gzip, text);
  std::string gzip_bytes;
  {
    std::ifstream in(gzip, std::ios::binary);
    gzip_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto check = [&](auto put_stdin, bool pipe, bool mappable, bool mapping) {
    const ChildEnd end = run_child([&] {
      sources::map_files(mapping);
      put_stdin();
      auto fail = [](const char* what) {
        std::fputs(what, stderr);
        throw std::runtime_error(what);
      };
      if (sources::stdin_copied() || sources::rereadable("-")) fail("copied before the copy\n");
      if (!sources::copy_stdin()) fail("no copy\n");
      if (!sources::copy_stdin()) fail("no copy the second time\n"); // (it does nothing)
      if (!sources::rereadable("-")) fail("not rereadable\n");
      if (sources::stdin_copied() == pipe) fail("copied at once or not\n");
      for (int pass = 0; pass < 2; ++pass) {
        sources::ChunkReader reader("-", 16, 64);
        sources::Chunk chunk;
        if (!reader.next(chunk)) fail("no piece\n");
        // (In the mapping: not in the piece's own buffer, nor in its string, as inflated data.)
        const bool in_mapping = chunk.mapped.data() != nullptr && chunk.buffer == nullptr;
        if (in_mapping != (mapping && mappable && (!pipe || pass == 1))) fail("mapped or not\n");
        if (reader.name() != "<stdin>") fail("name\n");
        if (mappable && !chunk.text().starts_with("entity,indicator,period,value,unit\n"))
          fail("header\n");
        const sources::Inputs inputs = sources::load({"-"}, false);
        if (inputs.list().size() != 1 || inputs.list()[0].text != text) fail("text\n");
        if (!sources::stdin_copied()) fail("not copied once read\n");
      }
    });
    BOOST_TEST(end.said == "");
    BOOST_TEST(WIFEXITED(end.status));
    BOOST_TEST(WEXITSTATUS(end.status) == 12);
  };
  auto from_pipe = [](const std::string& bytes) {
    return [bytes] {
      int ends[2];
      if (::pipe(ends) != 0 ||
          ::write(ends[1], bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
        ::_exit(20);
      ::close(ends[1]);
      ::dup2(ends[0], STDIN_FILENO);
      ::close(ends[0]);
    };
  };
  for (const bool mapping : {false, true}) {
    check(from_pipe(text), true, true, mapping);
    check(from_pipe(gzip_bytes), true, false, mapping);
    check(
        [&] {
          const int fd = ::open(plain.c_str(), O_RDONLY);
          if (fd < 0 || ::lseek(fd, 8, SEEK_SET) != 8) ::_exit(21); // past "skipped,"
          ::dup2(fd, STDIN_FILENO);
          ::close(fd);
        },
        false, true, mapping);
  }
  // No copy, nothing read: standard input closed, or no file can be made in TMPDIR.
  for (const char* tmpdir : {"", "/nonexistent/jjstat"}) {
    const ChildEnd end = run_child([&] {
      if (*tmpdir == '\0') {
        ::close(STDIN_FILENO);
      } else {
        from_pipe(text)();
        ::setenv("TMPDIR", tmpdir, 1);
      }
      if (sources::copy_stdin() || sources::stdin_copied() || sources::rereadable("-"))
        throw std::runtime_error("copied");
      if (*tmpdir != '\0' && sources::load({"-"}, false).list()[0].text != text)
        throw std::runtime_error("read");
    });
    BOOST_TEST(WEXITSTATUS(end.status) == 12);
  }
  std::filesystem::remove(plain);
  std::filesystem::remove(gzip);
}

BOOST_AUTO_TEST_CASE(named_pipe_copied_is_read_like_a_file_again_and_again) {
  // copy_named_pipe() (in a child: the pipe stays open in it): a named pipe's bytes, plain and
  // gzip, written by another process, each read whole three times, by its name and by a second
  // name (a symbolic link), the plain ones mapped once the copy is whole when files are mapped
  // (map_files(); read as files otherwise; the first reader
  // opens the pipe and reads it, in pieces of 16 bytes; load() then reads what it copied, then
  // the rest). rereadable() only once copied; copy_named_pipe() does not open the pipe (nor wait
  // for a writer: there is none until the first reader); a regular file, "-" and a missing file
  // are not copied; with no file in TMPDIR the pipe is not copied, and is read as before.
  const std::string text = "entity,indicator,period,value,unit\na,x,2020,1,个\nb,x,2021,2,个\n";
  const std::filesystem::path dir = temp_path("jjstat_fifo_dir");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directory(dir);
  const std::filesystem::path fifo = dir / "rows.csv";
  const std::filesystem::path link = dir / "link.csv";
  const std::filesystem::path plain = dir / "plain.csv";
  const std::filesystem::path gzip = dir / "rows.csv.gz";
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::filesystem::create_symlink(fifo, link);
  write_plain(plain, text);
  write_gzip(gzip, text);
  std::string gzip_bytes;
  {
    std::ifstream in(gzip, std::ios::binary);
    gzip_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // A writer of `bytes` into the pipe, in a process of its own (the pipe holds them all), which
  // lets go of the child's standard error (run_child() reads it to its end) and ends within
  // 30 s whatever happens.
  auto start_writer = [&](const std::string& bytes) {
    const pid_t writer = ::fork();
    if (writer == 0) {
      ::alarm(30);
      ::close(STDERR_FILENO);
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      const bool wrote =
          fd >= 0 && ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
      ::_exit(wrote ? 0 : 1);
    }
    return writer;
  };
  pid_t writer = -1;
  // Ends a writer left waiting for a reader when the child's test throws.
  struct EndWriter {
    pid_t& writer;
    ~EndWriter() {
      if (writer <= 0) return;
      ::kill(writer, SIGKILL);
      ::waitpid(writer, nullptr, 0);
      writer = -1;
    }
  };
  auto fail = [](const char* what) {
    std::fputs(what, stderr);
    throw std::runtime_error(what);
  };
  auto writer_done = [&] {
    int status = 0;
    const bool reaped = ::waitpid(writer, &status, 0) == writer;
    if (reaped) writer = -1;
    if (!reaped || !WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("writer\n");
  };
  for (const int run : {0, 1, 2, 3}) {
    const bool zipped = run % 2 == 1, mapping = run >= 2;
    const ChildEnd end = run_child([&] {
      sources::map_files(mapping);
      ::alarm(30); // (a wait for a writer that never comes ends the child: a failure, not a hang)
      const EndWriter end_writer{writer};
      if (sources::rereadable(fifo) || sources::rereadable(link)) fail("rereadable at first\n");
      if (!sources::copy_named_pipe(fifo)) fail("no copy\n");
      writer = start_writer(zipped ? gzip_bytes : text);
      if (!sources::copy_named_pipe(link)) fail("no copy the second time\n"); // (the same pipe)
      if (!sources::rereadable(fifo) || !sources::rereadable(link)) fail("not rereadable\n");
      for (int pass = 0; pass < 3; ++pass) {
        sources::ChunkReader reader(pass == 2 ? link : fifo, 16, 64);
        sources::Chunk chunk;
        if (!reader.next(chunk)) fail("no piece\n");
        const bool in_mapping = chunk.mapped.data() != nullptr && chunk.buffer == nullptr;
        if (in_mapping != (mapping && !zipped && pass > 0)) fail("mapped or not\n");
        if (reader.name() != (pass == 2 ? link : fifo).string()) fail("name\n");
        if (!chunk.text().starts_with("entity,indicator,period,value,unit\n")) fail("header\n");
        const sources::Inputs inputs = sources::load({pass == 1 ? link : fifo}, false);
        if (inputs.list().size() != 1 || inputs.list()[0].text != text) fail("text\n");
      }
      writer_done();
      for (const std::string& other : {plain.string(), std::string("-"), (dir / "none").string()}) {
        if (sources::copy_named_pipe(other)) fail("another input copied\n");
      }
    });
    BOOST_TEST(end.said == "");
    BOOST_TEST(WEXITSTATUS(end.status) == 12);
  }
  const ChildEnd end = run_child([&] {
    ::alarm(30);
    const EndWriter end_writer{writer};
    ::setenv("TMPDIR", "/nonexistent/jjstat", 1);
    writer = start_writer(text);
    if (sources::copy_named_pipe(fifo) || sources::rereadable(fifo)) fail("copied\n");
    if (sources::load({fifo}, false).list()[0].text != text) fail("read\n");
    writer_done();
  });
  BOOST_TEST(end.said == "");
  BOOST_TEST(WEXITSTATUS(end.status) == 12);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
