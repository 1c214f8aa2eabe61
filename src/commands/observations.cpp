// show and export of inputs too big to hold: the stream checks every row, then the files are
// read again piece by piece and their rows written indicator by indicator.
#include "jjstat/commands.hpp"
#include "jjstat/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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
  // piece of each file, rendered into its indicator's rows and counted.
  RowsByIndicator rows(listing.size(), memory_bytes);
  std::vector<std::size_t> counts(listing.size(), 0);
  format::WriteOptions row_options = write;
  row_options.header = false;
  row_options.spill = nullptr;
  std::string rendered;
  format::Writer renderer(columns, -1, row_options, rendered);
  std::vector<Cell> row;
  std::size_t last = SIZE_MAX; // the indicator of the observation before (rows come in runs)
  auto take = [&](const Observation& obs) {
    if (last == SIZE_MAX || listing[last].id != obs.indicator) {
      const auto found = index.find(obs.indicator);
      // (The stream saw every indicator the rows give: this is a file changed since.)
      if (found == index.end()) throw IoError("an input changed while it was read");
      last = found->second;
    }
    ++counts[last];
    if (!selected[last] || !filter.selects_entity(obs.entity) || (obs.computed && !computed))
      return;
    const engine::IndicatorListing& info = listing[last];
    row.clear();
    cells(obs, {info.category, info.name_zh, info.name_en}, row);
    renderer.write_row(row);
    rows.add(last, rendered);
    rendered.clear();
  };
  if (!context.no_embedded) {
    for (const Observation& obs : context.embedded_data().observations()) take(obs);
  }
  LoadOptions options = context.load;
  options.wide = context.wide;
  // (As the stream reads them: a record up to twice the longest field, and a megabyte.)
  const std::size_t max_record = 2 * options.csv.max_field_bytes + (std::size_t{1} << 20);
  std::string header, piece;
  for (const std::string& path : context.data_paths) {
    sources::ChunkReader reader(path, piece_bytes, max_record);
    sources::Chunk chunk;
    while (reader.next(chunk)) {
      std::string_view text = chunk.text();
      if (chunk.index == 0) {
        csv::Reader head(text, reader.name(), options.csv);
        csv::Record record;
        header = head.next(record) ? std::string(text.substr(0, engine::header_end(text, record)))
                                   : std::string();
      } else {
        // A later piece is loaded after the header of the file's first.
        piece.assign(header);
        piece += text;
        text = piece;
      }
      Dataset loaded;
      try {
        loaded.load(text, reader.name(), options);
      } catch (const DataError&) {
        // (The first pass read every row of it without an error.)
        throw IoError(fmt::format("{} changed while it was read", reader.name()));
      }
      reader.release(chunk);
      for (const Observation& obs : loaded.observations()) take(obs);
    }
    reader.throw_if_cut_short();
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
