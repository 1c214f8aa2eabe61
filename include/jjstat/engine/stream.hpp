#pragma once
/// The streaming loader: plain observation files (entity, indicator, period, value, unit and
/// optionally qualifiers) read in pieces, parsed on every core, and passed in order through a
/// SeriesStore, so that memory grows with the number of series, not of rows.

#include "jjstat/csv.hpp"
#include "jjstat/engine/series.hpp"
#include "jjstat/sources.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace jjstat::engine {

/// What to stream and what to keep.
struct StreamRequest {
  std::vector<std::string> paths; ///< files, "-" for stdin; gzip is detected
  csv::Options csv;
  bool wide = false; ///< the files are wide tables (--wide): one column per period
  Retention retention;
  Filter filter;
  unsigned threads = 0;           ///< parser threads; 0: one per core
  /// The pieces' size: 1 MiB, whose buffer the reader fills while its bytes stay in the cache
  /// for the parser (Q1 to Q4 0.82-0.96x the time of 4 MiB pieces mapped, bench/README.md,
  /// "On 2026-12-06, late morning"); commands ask for larger ones when files are mapped.
  std::size_t chunk_bytes = std::size_t{1} << 20;
  /// The pieces' size while what the parsers make of a piece takes more than twice its text
  /// (rows of a series apart, each its own run: each row's summary is about twice the row), and
  /// for the pieces read before the first is parsed (each input's first piece is read when it
  /// is opened, at chunk_bytes); chunk_bytes while it takes less, and whenever it is the
  /// smaller of the two.
  std::size_t heavy_chunk_bytes = std::size_t{1} << 20;
  /// Texts in memory streamed before the files, each (name, text): the embedded data. Those
  /// that are not observation tables (the tables of entities, categories, derived figures...)
  /// are left to the caller; they are long tables whatever `wide` says.
  std::vector<std::pair<std::string, std::string_view>> texts;
  /// The categories of a categories table, in order (SeriesStore::order_categories()).
  std::vector<std::string> category_table;
  /// Only the indicators of this category (--category; SeriesStore::select_category()).
  std::optional<std::string> category;
  /// Called once every input is in the store, before the store puts its indicators in order
  /// (SeriesStore::finish()): adds what the caller adds (computed figures); false when the
  /// store cannot serve, and then stream() returns none (StreamResult::declined).
  std::function<bool(SeriesStore&)> complete;
  /// What the loader makes of an input's start (Dataset::refuses_header()): an input the stream
  /// hands over whole to the full loader is read only up to a first record it refuses.
  sources::RefusedStart refused;
};

/// The outcome: the store of everything streamed, or, when some input is not a plain
/// observations file, the whole texts of the inputs for the full loader.
struct StreamResult {
  std::unique_ptr<SeriesStore> store;
  std::vector<std::pair<std::string, std::string>> texts; ///< (name, text) when not streamed
  /// StreamRequest::complete returned false, or the inputs give more distinct units than the
  /// store numbers (TooManyUnits): no store, no texts; the caller reads the inputs whole.
  bool declined = false;
};

/// Where the records of `text`, an input's start, begin: one past the line end of its header
/// `header` (the first record a csv::Reader read of it), the BOM and blank lines before it
/// included; the text's end when the header has no line end.
std::size_t header_end(std::string_view text, const csv::Record& header);

/// The pieces' size a command streams its files in (StreamRequest::chunk_bytes): 1 MiB when
/// files are read; mapped (sources::files_mapped()), 4 MiB, and 2 MiB for `describe`.
std::size_t chunk_bytes_for(bool describe);

/// Streams the inputs; throws DataError or IoError as the full loader would.
StreamResult stream(const StreamRequest& request);

/// The longest record the stream reads past a piece's size, under `csv`'s limits: twice the
/// longest field and 4 MiB more (sources::ChunkReader's max_record_bytes). Longer, the
/// reader hands the piece over as it is, for the parser to report.
std::size_t record_bytes_limit(const csv::Options& csv);
/// How far from a piece's start the stream of `request` may look for a record's end: it looks
/// in steps of its piece size (sources::ChunkReader::next()) until past the piece size and
/// record_bytes_limit(), so one piece more than those two. A reader that must find whole every
/// record the stream read (the second pass of `show` and `export`) looks as far.
std::size_t furthest_record_end(const StreamRequest& request);

/// A range of series to render: those of one indicator from `begin` to `end`, in its order.
struct RenderBlock {
  std::uint32_t indicator = 0;
  std::size_t begin = 0, end = 0;
};

/// Rows (or series) a block of a result rendered on every core holds, at least (but the last).
constexpr std::size_t k_render_block = 8192;

/// Renders the selected series of `store` in blocks on every core: `render(text, ranges)` fills
/// `text` for one block, the series of `ranges` one range after the other (a block holds a few
/// thousand series: part of an indicator's, or the series of several indicators); `append`
/// receives the texts in the series' order (and may empty them: their buffers serve later
/// blocks). Memory holds a few blocks at a time.
void render_in_parallel(
    const SeriesStore& store,
    const std::function<void(std::string& text, std::span<const RenderBlock> ranges)>& render,
    const std::function<void(std::string&)>& append);

/// Bytes a block's text is given room for per row before any block has been rendered (then
/// for the largest block so far, when that is more): the rows of a block, rendered into a text
/// grown from nothing, were copied at each doubling, each time into fresh pages; room not written
/// costs nothing.
constexpr std::size_t k_first_row_room = 128;

/// Renders `blocks` blocks on every core: `render(text, b)` fills `text` for block `b` (on any
/// thread, several at once); `append` receives the texts in the blocks' order, on the calling
/// thread (and may empty them: their buffers serve later blocks). A few blocks are rendered
/// ahead of the one appended; the first exception thrown by either is thrown once every thread
/// has stopped. `first_room`: the bytes a text is given room for before any block has been
/// rendered (rows per block × k_first_row_room, say). A single block is rendered on the calling
/// thread, no thread started (a small result: starting and joining them took 0.4 ms of a 4 ms
/// query on the embedded data).
void render_blocks_in_order(std::size_t blocks,
                            const std::function<void(std::string& text, std::size_t block)>& render,
                            const std::function<void(std::string&)>& append,
                            std::size_t first_room);

} // namespace jjstat::engine
