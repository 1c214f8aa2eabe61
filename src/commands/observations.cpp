// show and export of inputs too big to hold: the stream checks every row, then the files are
// read again piece by piece and their rows written indicator by indicator.
#include "jjstat/commands.hpp"
#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <thread>
#include <unordered_map>

#include <unistd.h>

namespace jjstat::commands {
namespace {

/// Rendered rows by indicator, in memory up to a budget; past it, everything held is appended
/// to a temporary file (when one can be made; otherwise memory grows, as the full loader's
/// would) and memory starts again empty.
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
    if (m_held >= m_budget && !m_no_file) set_aside();
  }

  /// Hands the rows of each indicator in `order` to `writer`, in the order they were added.
  void write_out(const std::vector<std::size_t>& order, format::Writer& writer) {
    std::string buffer;
    for (std::size_t indicator : order) {
      for (const Part& part : m_parts[indicator]) {
        // (Read back a few megabytes at a time: a part may hold most of the output.)
        for (std::uint64_t done = 0; done < part.bytes;) {
          const auto want = static_cast<std::size_t>(
              std::min<std::uint64_t>(part.bytes - done, std::uint64_t{4} << 20));
          buffer.resize(want);
          read_back(part.offset + done, buffer);
          writer.append_rendered(buffer);
          done += want;
        }
      }
      writer.append_rendered(m_text[indicator]);
      std::string().swap(m_text[indicator]);
    }
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
        m_no_file = true;
        return;
      }
    }
    for (std::size_t i = 0; i < m_text.size(); ++i) {
      if (m_text[i].empty()) continue;
      write_all(m_text[i]);
      m_parts[i].push_back({m_file_bytes, m_text[i].size()});
      m_file_bytes += m_text[i].size();
      // (Not kept for the next rows: capacities kept by indicator would add up past the budget.)
      std::string().swap(m_text[i]);
    }
    m_held = 0;
  }

  void write_all(std::string_view bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t put = ::pwrite(m_fd, bytes.data() + done, bytes.size() - done,
                                   static_cast<off_t>(m_file_bytes + done));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) throw failure("cannot write to it");
      done += static_cast<std::size_t>(put);
    }
  }

  void read_back(std::uint64_t offset, std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t got = ::pread(m_fd, bytes.data() + done, bytes.size() - done,
                                  static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) throw failure("cannot read it back");
      done += static_cast<std::size_t>(got);
    }
  }

  static IoError failure(std::string_view what) {
    return IoError(fmt::format("cannot set rows aside in a temporary file in {}: {}: {}",
                               sources::temporary_dir(), what, std::strerror(errno)));
  }

  std::vector<std::string> m_text;        ///< by indicator, the rows held in memory
  std::vector<std::vector<Part>> m_parts; ///< by indicator, its rows in the file, in order
  std::size_t m_budget;
  std::size_t m_held = 0; ///< bytes in m_text
  int m_fd = -1;
  bool m_no_file = false; ///< no temporary file could be made: everything stays in memory
  std::uint64_t m_file_bytes = 0;
};

/// True when `format` writes each row on its own (no separator between rows, no widths).
bool rows_stand_alone(format::Format format) {
  return format == format::Format::csv || format == format::Format::tsv ||
         format == format::Format::jsonl;
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

/// The rows of a piece, by indicator in the order they come first in it.
struct PieceRows {
  std::vector<std::pair<std::size_t, std::string>> rows; ///< (indicator, its rows)
  /// Appends them to `all`, and empties itself (the buffers stay for the next piece).
  void hand_to(RowsByIndicator& all) {
    for (std::size_t k = 0; k < used; ++k) {
      all.add(rows[k].first, rows[k].second);
      rows[k].second.clear();
    }
    used = 0;
  }
  std::size_t used = 0; ///< entries of `rows` in use
};

/// A piece of a file, its rows once rendered, and what rendering it threw.
struct Piece {
  sources::Chunk chunk;
  PieceRows rows;
  std::exception_ptr failed;
};

/// The header of an input, the start of its first piece (for the pieces after it).
std::string header_of(std::string_view text, const LoadOptions& options) {
  csv::Reader head(text, "", options.csv);
  csv::Record record;
  return head.next(record) ? std::string(text.substr(0, engine::header_end(text, record)))
                           : std::string();
}

/// Renders observations into a piece's rows, on one thread, and counts them by indicator.
class PieceRenderer {
public:
  explicit PieceRenderer(const Shared& shared)
      : m_shared(shared), m_counts(shared.listing.size(), 0),
        m_slot(shared.listing.size(), SIZE_MAX),
        m_renderer(shared.columns, -1, row_options(shared.write), m_rendered) {}

  /// Loads `piece` (after `header` unless it is the input's first) as the full loader does, and
  /// renders its observations into its rows; what it throws is kept in the piece.
  void render(Piece& piece, const std::string& header, const std::string& name,
              const LoadOptions& options) {
    try {
      std::string_view text = piece.chunk.text();
      if (piece.chunk.index != 0) {
        m_text.assign(header);
        m_text += text;
        text = m_text;
      }
      Dataset loaded;
      try {
        loaded.load(text, name, options);
      } catch (const DataError&) {
        // (The first pass read every row of it without an error.)
        throw IoError(fmt::format("{} changed while it was read", name));
      }
      for (const Observation& obs : loaded.observations()) take(obs, piece.rows);
      done(piece.rows);
    } catch (...) {
      piece.failed = std::current_exception();
    }
  }

  /// Counts `obs` and renders it into `out` when it is selected.
  void take(const Observation& obs, PieceRows& out) {
    const Shared& s = m_shared;
    if (m_last == SIZE_MAX || s.listing[m_last].id != obs.indicator) {
      const auto found = s.index.find(obs.indicator);
      // (The stream saw every indicator the rows give: this is a file changed since.)
      if (found == s.index.end()) throw IoError("an input changed while it was read");
      m_last = found->second;
    }
    ++m_counts[m_last];
    if (!s.selected[m_last] || !s.filter.selects_entity(obs.entity) ||
        (obs.computed && !s.computed))
      return;
    const engine::IndicatorListing& info = s.listing[m_last];
    format::RowWriter row(m_renderer);
    s.cells(obs, {info.category, info.name_zh, info.name_en}, row);
    row.end();
    std::size_t& slot = m_slot[m_last];
    if (slot == SIZE_MAX) {
      slot = out.used++;
      if (slot == out.rows.size()) out.rows.emplace_back();
      out.rows[slot].first = m_last;
    }
    out.rows[slot].second += m_rendered;
    m_rendered.clear();
  }

  /// Ends a piece's rows (the next take() starts the next piece's).
  void done(PieceRows& rows) {
    for (std::size_t k = 0; k < rows.used; ++k) m_slot[rows.rows[k].first] = SIZE_MAX;
  }

  const std::vector<std::size_t>& counts() const { return m_counts; }

private:
  static format::WriteOptions row_options(format::WriteOptions write) {
    write.header = false;
    write.spill = nullptr;
    return write;
  }

  const Shared& m_shared;
  std::vector<std::size_t> m_counts; ///< by indicator
  std::vector<std::size_t> m_slot;   ///< by indicator, its entry in the piece's rows
  std::size_t m_last = SIZE_MAX;     ///< the indicator of the observation before
  std::string m_rendered;
  format::Writer m_renderer;
  std::string m_text; ///< a piece after its input's header
};

} // namespace

bool write_streamed_observations(Context& context, const Selection& selection, bool computed,
                                 std::vector<Column> columns, const format::WriteOptions& write,
                                 const ObservationCells& cells, std::string& out) {
  const bool forced = context.engine == "stream";
  const std::size_t piece_bytes = forced ? std::size_t{4} << 10 : std::size_t{1} << 20;
  const std::size_t memory_bytes = forced ? std::size_t{16} << 10 : std::size_t{32} << 20;
  if (!rows_stand_alone(write.format) || !can_stream(context)) return false;
  // Every input is read twice: standard input and named pipes through a copy (when none can be
  // made, everything is read whole).
  sources::check_pipes_once(context.data_paths);
  for (const std::string& path : context.data_paths) {
    if (path == "-") sources::copy_stdin();
    sources::copy_named_pipe(path);
  }
  if (!std::all_of(context.data_paths.begin(), context.data_paths.end(), sources::rereadable)) {
    context.data();
    return false;
  }
  // The first pass: every row checked, the indicators found and put in order; nothing kept of
  // any series but its periods.
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

  // The second pass: each observation of the embedded data (already loaded), then of each
  // piece of each file, rendered into its indicator's rows and counted; the pieces loaded and
  // rendered on every core, a batch at a time, their rows taken in order.
  const Shared shared{listing, index, selected, filter, computed, cells, columns, write};
  RowsByIndicator rows(listing.size(), memory_bytes);
  const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<PieceRenderer>> renderers;
  for (unsigned t = 0; t < threads; ++t)
    renderers.push_back(std::make_unique<PieceRenderer>(shared));
  if (!context.no_embedded) {
    PieceRows embedded;
    for (const Observation& obs : context.embedded_data().observations())
      renderers[0]->take(obs, embedded);
    renderers[0]->done(embedded);
    embedded.hand_to(rows);
  }
  LoadOptions options = context.load;
  options.wide = context.wide;
  // (As the stream reads them: a record up to twice the longest field, and a megabyte.)
  const std::size_t max_record = 2 * options.csv.max_field_bytes + (std::size_t{1} << 20);
  for (const std::string& path : context.data_paths) {
    sources::ChunkReader reader(path, piece_bytes, max_record);
    std::string header;
    std::vector<Piece> batch(2 * threads);
    for (bool more = true; more;) {
      std::size_t filled = 0;
      while (filled < batch.size() && (more = reader.next(batch[filled].chunk))) {
        if (batch[filled].chunk.index == 0) header = header_of(batch[filled].chunk.text(), options);
        ++filled;
      }
      if (filled == 0) break;
      auto work = [&](unsigned t) {
        for (std::size_t k = t; k < filled; k += threads) {
          renderers[t]->render(batch[k], header, reader.name(), options);
        }
      };
      std::vector<std::thread> helpers;
      for (unsigned t = 1; t < threads && t < filled; ++t) helpers.emplace_back(work, t);
      work(0);
      for (std::thread& helper : helpers) helper.join();
      for (std::size_t k = 0; k < filled; ++k) {
        if (batch[k].failed) std::rethrow_exception(batch[k].failed);
        batch[k].rows.hand_to(rows);
      }
      reader.release(batch[filled - 1].chunk);
    }
    reader.throw_if_cut_short();
  }
  std::vector<std::size_t> counts(listing.size(), 0);
  for (const auto& renderer : renderers) {
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += renderer->counts()[i];
  }
  // A figure that the stream counted once but two pieces both gave: the full loader leaves its
  // second row out, which needs every row at hand.
  for (std::size_t i = 0; i < listing.size(); ++i) {
    if (counts[i] != listing[i].figures) {
      context.data();
      return false;
    }
  }
  format::Writer writer(std::move(columns), -1, write, out);
  rows.write_out(order, writer);
  writer.finish({});
  return true;
}

} // namespace jjstat::commands
