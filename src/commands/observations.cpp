// show and export of inputs too big to hold: the stream checks every row, then the files are
// read again piece by piece and their rows written indicator by indicator.
#include "jjstat/commands.hpp"
#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <sys/uio.h>
#include <unistd.h>

namespace jjstat::commands {
namespace {

/// Rendered rows by indicator, in memory up to a budget; past it, everything held is appended
/// to a temporary file, and memory starts again empty. When no file can be made, or writing to
/// it fails (a full disk), the rows stay in memory from then on, as the whole-file path would
/// hold them.
class RowsByIndicator {
public:
  RowsByIndicator(std::size_t indicators, std::size_t memory_bytes)
      : m_text(indicators), m_parts(indicators), m_budget(memory_bytes) {}
  RowsByIndicator(const RowsByIndicator&) = delete;
  RowsByIndicator& operator=(const RowsByIndicator&) = delete;
  ~RowsByIndicator() {
    if (m_fd >= 0) ::close(m_fd);
  }

  /// Appends `rows` to those of indicator `indicator`.
  void add(std::size_t indicator, std::string_view rows) {
    m_text[indicator] += rows;
    m_held += rows.size();
    if (m_held >= m_budget && !m_in_memory) set_aside();
  }

  /// Hands the rows of each indicator in `order` to `writer`, in the order they were added,
  /// the first `skip` bytes of them left out; returns whether any byte was handed over.
  bool write_out(const std::vector<std::size_t>& order, format::Writer& writer,
                 std::size_t skip = 0) {
    bool any = false;
    auto hand = [&](std::string& bytes) {
      if (skip != 0 && !bytes.empty()) {
        const std::size_t left_out = std::min(skip, bytes.size());
        bytes.erase(0, left_out);
        skip -= left_out;
      }
      any = any || !bytes.empty();
      writer.append_rendered(bytes);
    };
    std::string buffer;
    for (std::size_t indicator : order) {
      for (const Part& part : m_parts[indicator]) {
        // (Read back a few megabytes at a time: a part may hold most of the output.)
        for (std::uint64_t done = 0; done < part.bytes;) {
          const auto want = static_cast<std::size_t>(
              std::min<std::uint64_t>(part.bytes - done, std::uint64_t{4} << 20));
          buffer.resize(want);
          read_back(part.offset + done, buffer);
          hand(buffer);
          done += want;
        }
      }
      hand(m_text[indicator]);
      std::string().swap(m_text[indicator]);
    }
    return any;
  }

private:
  struct Part {
    std::uint64_t offset = 0, bytes = 0;
  };

  /// Appends every indicator's rows held to the temporary file, and lets go of their memory.
  void set_aside() {
    if (m_fd < 0) {
      m_fd = sources::make_temporary(sources::temporary_dir());
      if (m_fd < 0) {
        m_in_memory = true;
        return;
      }
    }
    // The rows of many indicators written by one call (a file may have thousands of them).
    std::vector<std::size_t> held;
    for (std::size_t i = 0; i < m_text.size(); ++i) {
      if (!m_text[i].empty()) held.push_back(i);
    }
    std::uint64_t at = m_file_bytes;
    for (std::size_t first = 0; first < held.size();) {
      const std::size_t count = std::min<std::size_t>(held.size() - first, IOV_MAX);
      std::vector<iovec> pieces(count);
      for (std::size_t k = 0; k < count; ++k) {
        std::string& text = m_text[held[first + k]];
        pieces[k] = {text.data(), text.size()};
      }
      if (!write_all(pieces, at)) {
        // (What was written of this call is left in the file, unused; the rows stay here.)
        m_in_memory = true;
        return;
      }
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = held[first + k];
        m_parts[i].push_back({at, m_text[i].size()});
        at += m_text[i].size();
        // (Not kept for the next rows: capacities kept by indicator would add up past the
        // budget.)
        std::string().swap(m_text[i]);
      }
      m_file_bytes = at;
      first += count;
    }
    m_held = 0;
  }

  /// Writes `pieces` at `offset`; false when the file takes no more.
  bool write_all(std::vector<iovec>& pieces, std::uint64_t offset) {
    std::size_t next = 0;
    while (next < pieces.size()) {
      const ssize_t put =
          ::pwritev(m_fd, pieces.data() + next, static_cast<int>(pieces.size() - next),
                    static_cast<off_t>(offset));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) return false;
      offset += static_cast<std::uint64_t>(put);
      auto left = static_cast<std::size_t>(put);
      while (next < pieces.size() && left >= pieces[next].iov_len) left -= pieces[next++].iov_len;
      if (next < pieces.size()) {
        pieces[next].iov_base = static_cast<char*>(pieces[next].iov_base) + left;
        pieces[next].iov_len -= left;
      }
    }
    return true;
  }

  void read_back(std::uint64_t offset, std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t got = ::pread(m_fd, bytes.data() + done, bytes.size() - done,
                                  static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        throw IoError(fmt::format("cannot read back the rows set aside in a temporary file in "
                                  "{}: {}",
                                  sources::temporary_dir(), std::strerror(errno)));
      }
      done += static_cast<std::size_t>(got);
    }
  }

  std::vector<std::string> m_text;        ///< by indicator, the rows held in memory
  std::vector<std::vector<Part>> m_parts; ///< by indicator, its rows in the file, in order
  std::size_t m_budget;
  std::size_t m_held = 0; ///< bytes in m_text
  int m_fd = -1;
  bool m_in_memory = false; ///< no more rows go to the file: everything stays in memory
  std::uint64_t m_file_bytes = 0;
};

/// True when the rows of `format` can be written as they come, without widths: csv, tsv, jsonl,
/// md (its header written first), and json (its rows are rendered as those of jsonl, each
/// after a comma, the array's brackets written around them).
bool streams(format::Format format) {
  return format == format::Format::csv || format == format::Format::tsv ||
         format == format::Format::jsonl || format == format::Format::json ||
         format == format::Format::md;
}

/// What every piece's rows are made with.
struct Shared {
  const std::vector<engine::IndicatorListing>& listing;           ///< the indicators, in order
  const std::unordered_map<std::string_view, std::size_t>& index; ///< their places, by id
  const std::vector<char>& selected;                              ///< by place
  const engine::Filter& filter;
  bool computed; ///< computed figures are written too
  const ObservationCells& cells;
  const std::vector<Column>& columns;
  const format::WriteOptions& write;
};

/// The rows of a piece and the observations counted in it, by indicator in the order they come
/// first in it.
struct PieceRows {
  struct Entry {
    std::size_t indicator = 0;
    std::string rows;
    std::size_t count = 0; ///< observations (selected or not)
  };
  std::vector<Entry> entries;
  std::size_t used = 0; ///< entries in use (the others keep their buffers for later pieces)

  /// Appends the rows to `all` and the counts to `counts`, and empties itself; false when some
  /// indicator has then counted more than `expected` (a figure given twice).
  bool hand_to(RowsByIndicator& all, std::vector<std::size_t>& counts,
               const std::vector<engine::IndicatorListing>& expected) {
    bool fits = true;
    for (std::size_t k = 0; k < used; ++k) {
      Entry& entry = entries[k];
      all.add(entry.indicator, entry.rows);
      entry.rows.clear();
      counts[entry.indicator] += entry.count;
      fits = fits && counts[entry.indicator] <= expected[entry.indicator].figures;
    }
    used = 0;
    return fits;
  }
};

/// A piece of a file, its rows once rendered, and what rendering it threw.
struct Piece {
  sources::Chunk chunk;
  bool after_header = false; ///< loaded after the input's header (which an earlier piece holds)
  PieceRows rows;
  std::exception_ptr failed;
};

/// The header of an input, when `text` (its pieces up to here) holds it: the text up to the
/// header's line end; nullopt when it holds no record yet (blank lines only).
std::optional<std::string> header_of(std::string_view text, const LoadOptions& options) {
  csv::Reader head(text, "", options.csv);
  csv::Record record;
  if (!head.next(record)) return std::nullopt;
  return std::string(text.substr(0, engine::header_end(text, record)));
}

/// Thrown by PieceRenderer::take for an indicator the first pass did not see.
struct UnseenIndicator : std::runtime_error {
  UnseenIndicator() : std::runtime_error("an indicator the first pass did not see") {}
};

/// Renders observations into a piece's rows, on one thread, and counts them by indicator.
class PieceRenderer {
public:
  explicit PieceRenderer(const Shared& shared)
      : m_shared(shared), m_slot(shared.listing.size(), SIZE_MAX),
        m_json(shared.write.format == format::Format::json),
        m_renderer(shared.columns, -1, row_options(shared.write), m_rendered) {}

  /// Loads `piece` (after `header` when it comes after the piece that holds it) as the full
  /// loader does, and renders its observations into its rows; what it throws is kept in the
  /// piece.
  void render(Piece& piece, const std::string& header, const std::string& name,
              const LoadOptions& options) {
    try {
      std::string_view text = piece.chunk.text();
      if (piece.after_header) {
        m_text.assign(header);
        m_text += text;
        text = m_text;
      }
      Dataset loaded;
      try {
        loaded.load(text, name, options);
        for (const Observation& obs : loaded.observations()) take(obs, piece.rows);
      } catch (const DataError& error) {
        // (The first pass read every row of it without an error.)
        throw IoError(fmt::format("{} changed while it was read ({})", name, error.what()));
      } catch (const UnseenIndicator&) {
        throw IoError(
            fmt::format("{} changed while it was read (an indicator it did not have)", name));
      }
      done(piece.rows);
    } catch (...) {
      piece.failed = std::current_exception();
    }
  }

  /// Counts `obs` into `out`, and renders it there when it is selected; throws
  /// UnseenIndicator when the first pass did not see its indicator.
  void take(const Observation& obs, PieceRows& out) {
    const Shared& s = m_shared;
    if (m_last == SIZE_MAX || s.listing[m_last].id != obs.indicator) {
      const auto found = s.index.find(obs.indicator);
      if (found == s.index.end()) throw UnseenIndicator{};
      m_last = found->second;
    }
    std::size_t& slot = m_slot[m_last];
    if (slot == SIZE_MAX) {
      slot = out.used++;
      if (slot == out.entries.size()) out.entries.emplace_back();
      out.entries[slot].indicator = m_last;
      out.entries[slot].count = 0;
    }
    PieceRows::Entry& entry = out.entries[slot];
    ++entry.count;
    if (!s.selected[m_last] || !s.filter.selects_entity(obs.entity) ||
        (obs.computed && !s.computed))
      return;
    const engine::IndicatorListing& info = s.listing[m_last];
    format::RowWriter row(m_renderer);
    s.cells(obs, {info.category, info.name_zh, info.name_en}, row);
    row.end();
    if (m_json) {
      // The row of json: after the one before, a comma and an indent before it, no line end
      // after it (the first one's comma is left out as the rows are written).
      entry.rows += ",\n  ";
      entry.rows.append(m_rendered, 0, m_rendered.size() - 1);
    } else {
      entry.rows += m_rendered;
    }
    m_rendered.clear();
  }

  /// Ends a piece's rows (the next take() starts the next piece's).
  void done(PieceRows& rows) {
    for (std::size_t k = 0; k < rows.used; ++k) m_slot[rows.entries[k].indicator] = SIZE_MAX;
  }

private:
  static format::WriteOptions row_options(format::WriteOptions write) {
    write = format::block_options(std::move(write));
    // (A json row is a jsonl row, its line end taken off: take().)
    if (write.format == format::Format::json) write.format = format::Format::jsonl;
    return write;
  }

  const Shared& m_shared;
  std::vector<std::size_t> m_slot; ///< by indicator, its entry in the piece's rows
  std::size_t m_last = SIZE_MAX;   ///< the indicator of the observation before
  bool m_json;                     ///< json rows (jsonl rendered, then made json rows)
  std::string m_rendered;
  format::Writer m_renderer;
  std::string m_text; ///< a piece after its input's header
};

/// Threads of the second pass: one a core, at most four (each holds a piece loaded whole and
/// its rows, some tens of megabytes).
unsigned second_pass_threads() { return std::clamp(std::thread::hardware_concurrency(), 1U, 4U); }

/// Runs `work(t)` for each t below `threads` on threads of their own (here, when none can be
/// made) while this thread runs `beside()`; returns once all are done.
template <typename Work, typename Beside>
void run_beside(unsigned threads, const Work& work, const Beside& beside) {
  std::vector<std::thread> helpers;
  unsigned t = 0;
  try {
    helpers.reserve(threads);
    for (; t < threads; ++t) helpers.emplace_back(work, t);
  } catch (...) {
    // (No thread to be had, or no memory for one: the rest of the work is done here, and the
    // threads made are joined below.)
  }
  beside();
  for (; t < threads; ++t) work(t);
  for (std::thread& helper : helpers) helper.join();
}

/// The second pass (write_streamed_observations()): the rows of the indicators of `order`
/// written into `out` in that order, and true; false, having written nothing, when an
/// indicator counts another number of figures than the first pass (`listing`) did.
bool second_pass(Context& context, const std::vector<engine::IndicatorListing>& listing,
                 const std::vector<std::size_t>& order, const Shared& shared,
                 std::size_t piece_bytes, std::size_t memory_bytes, std::vector<Column> columns,
                 const format::WriteOptions& write, std::string& out) {
  RowsByIndicator rows(listing.size(), memory_bytes);
  std::vector<std::size_t> counts(listing.size(), 0);
  const unsigned threads = second_pass_threads();
  std::vector<std::unique_ptr<PieceRenderer>> renderers;
  for (unsigned t = 0; t < threads; ++t)
    renderers.push_back(std::make_unique<PieceRenderer>(shared));
  // The embedded data (loaded already), then each piece of each file, a piece a thread at a
  // time, their rows taken in order.
  if (!context.no_embedded) {
    PieceRows embedded;
    for (const Observation& obs : context.embedded_data().observations())
      renderers[0]->take(obs, embedded);
    renderers[0]->done(embedded);
    if (!embedded.hand_to(rows, counts, listing)) return false;
  }
  LoadOptions options = context.load;
  options.wide = context.wide;
  // A piece is never cut inside a record the first pass read: this reader, from pieces of
  // 1 MiB, looks past them as far as the first pass could look (with the stream's own limit, a
  // record of 6 MB that the first pass read was cut here, and the piece taken for a file that
  // changed).
  engine::StreamRequest first_pass;
  first_pass.csv = options.csv;
  first_pass.chunk_bytes = engine::chunk_bytes_for(false); // (its pieces, mapped or read)
  const std::size_t max_record = engine::furthest_record_end(first_pass);
  // Two batches of a piece a thread: one rendered while this thread hands the rows of the one
  // before to `rows` (which writes them to the temporary file: most of this thread's time).
  std::array<std::vector<Piece>, 2> batches{std::vector<Piece>(threads),
                                            std::vector<Piece>(threads)};
  std::array<std::size_t, 2> filled{0, 0};
  for (const std::string& path : context.data_paths) {
    sources::ChunkReader reader(path, piece_bytes, max_record);
    std::optional<std::string> header;
    std::string start; // the pieces before the header's, blank lines only
    // Hands batch `b` over; false when a figure was counted twice. Throws what rendering threw.
    auto hand_over = [&](std::size_t b) {
      for (std::size_t k = 0; k < filled[b]; ++k) {
        if (batches[b][k].failed) std::rethrow_exception(batches[b][k].failed);
        if (!batches[b][k].rows.hand_to(rows, counts, listing)) return false;
      }
      if (filled[b] != 0) reader.release(batches[b][filled[b] - 1].chunk);
      filled[b] = 0;
      return true;
    };
    std::size_t now = 0;
    for (bool more = true; more;) {
      std::vector<Piece>& batch = batches[now];
      while (filled[now] < batch.size() && (more = reader.next(batch[filled[now]].chunk))) {
        Piece& piece = batch[filled[now]++];
        piece.after_header = header.has_value();
        if (!header) {
          start += piece.chunk.text();
          header = header_of(start, options);
        }
      }
      const std::string& text_header = header ? *header : start;
      bool handed = true;
      std::exception_ptr failed;
      run_beside(
          static_cast<unsigned>(filled[now]),
          [&](unsigned t) { renderers[t]->render(batch[t], text_header, reader.name(), options); },
          [&] {
            try {
              handed = hand_over(1 - now);
            } catch (...) {
              failed = std::current_exception();
            }
          });
      if (failed) std::rethrow_exception(failed);
      if (!handed) return false;
      now = 1 - now;
    }
    if (!hand_over(1 - now) || !hand_over(now)) return false;
    reader.throw_if_cut_short();
  }
  for (std::size_t i = 0; i < listing.size(); ++i) {
    if (counts[i] != listing[i].figures) return false;
  }
  format::Writer writer(std::move(columns), -1, write, out);
  if (write.format != format::Format::json) {
    rows.write_out(order, writer);
    writer.finish({});
    return true;
  }
  // json: the array's '[' (the writer wrote it), each row after ",\n  " but the first after
  // "\n  " (its comma left out), and the array's end, which finish() writes as that of an
  // array with rows once they are marked.
  if (rows.write_out(order, writer, 1)) writer.mark_rendered_rows();
  writer.finish({});
  return true;
}

} // namespace

bool write_streamed_observations(Context& context, const Selection& selection, bool computed,
                                 std::vector<Column> columns, const format::WriteOptions& write,
                                 const ObservationCells& cells, std::string& out) {
  if (!streams(write.format) || context.engine == "simple" || context.data_paths.empty())
    return false;
  // Every input is read twice: standard input and named pipes through a copy (when none can be
  // made, everything is read whole).
  sources::check_pipes_once(context.data_paths);
  for (const std::string& path : context.data_paths) {
    if (path == "-") sources::copy_stdin();
    sources::copy_named_pipe(path);
  }
  if (!can_stream(context)) {
    context.data();
    return false;
  }
  if (!std::all_of(context.data_paths.begin(), context.data_paths.end(), sources::rereadable)) {
    context.data();
    return false;
  }
  const bool forced = context.engine == "stream";
  const std::size_t piece_bytes = forced ? std::size_t{4} << 10 : std::size_t{1} << 20;
  const std::size_t memory_bytes = forced ? std::size_t{16} << 10 : std::size_t{32} << 20;
  bool written = false;
  {
    // The first pass: every row checked, the indicators found and put in order; nothing kept
    // of any series but its periods.
    const std::unique_ptr<engine::SeriesStore> store =
        stream_or_load(context, selection, engine::Retention{});
    if (!store) return false;
    const std::vector<engine::IndicatorListing> listing = store->listing();
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<std::size_t> order; // the indicators selected, in order
    const engine::Filter filter(selection.indicators, selection.entities);
    for (std::size_t i = 0; i < listing.size(); ++i) {
      index.emplace(listing[i].id, i);
      if (filter.selects_indicator(listing[i].id) &&
          (selection.category.empty() || listing[i].category == selection.category))
        order.push_back(i);
    }
    std::vector<char> selected(listing.size(), 0);
    for (std::size_t i : order) selected[i] = 1;
    const Shared shared{listing, index, selected, filter, computed, cells, columns, write};
    written = second_pass(context, listing, order, shared, piece_bytes, memory_bytes, columns,
                          write, out);
  }
  // A figure given twice (in two pieces, two files, or a file and the embedded data): the
  // whole-file path leaves the second row out, which needs every row at hand. The store and
  // the rows set aside are gone by now.
  if (!written) context.data();
  return written;
}

} // namespace jjstat::commands
