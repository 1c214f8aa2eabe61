#include "jjstat/engine/stream.hpp"

#include "jjstat/error.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/text.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jjstat::engine {
namespace {

/// No facts left out (ChunkTotaller's `skipped` beside the parser).
const std::vector<std::uint32_t> k_none;

/// One input opened, its first piece read and its header understood.
struct Opened {
  std::unique_ptr<sources::ChunkReader> reader;
  sources::Chunk first;
  bool empty = false;
  std::optional<Layout> layout;
  std::size_t header_end = 0;   ///< where the records start in the first piece
  std::size_t header_lines = 0; ///< physical lines the header takes
  std::exception_ptr failed;    ///< what its reader threw, if it did (it is not read again)
};

/// Thrown by the in-order pass when a piece was cut blindly inside a quoted field: the inputs
/// are read again, every cut following quotes.
struct CutInsideQuotes {};

/// Thrown after a pass over the inputs in which rows repeated the keys of earlier rows whose
/// figures the store had let go of (SeriesStore::defer_repeats()): the inputs are read again,
/// the store keeping the first figure of each of those keys.
struct RepeatsFound {
  RepeatKeys keys;
};

/// What a pass does with a row that repeats an earlier row's key whose figure is gone.
struct RepeatPlan {
  bool rereadable = false; ///< the inputs can be read again: note the keys for a second pass
  RepeatKeys expected;     ///< the keys a first pass noted (then this is the second)
};

/// Reads the header at the start of `text` into `input` (layout, where the records start),
/// the table wide or not.
void read_header(Opened& input, std::string_view text, const std::string& name,
                 const StreamRequest& request, bool wide) {
  csv::Reader reader(text, name, request.csv);
  csv::Record header;
  if (!reader.next(header)) {
    // No record: an empty input, or a first piece of blank lines, after which the header may
    // still come (the full loader's, then: no layout).
    input.empty = text.empty();
    return;
  }
  input.layout = wide ? wide_layout(header) : plain_layout(header);
  if (input.layout) input.layout->csv = request.csv;
  const std::size_t end = header_end(text, header);
  input.header_end = end;
  input.header_lines = jjstat::text::count_byte(text.substr(0, end), '\n');
  if (end == text.size() && (text.empty() || text.back() != '\n')) ++input.header_lines;
}

/// Opens `path` and reads its header (with the reader's checks: BOM, encoding, quotes); with
/// `blind`, the pieces after the first are cut blindly (ChunkReader::cut_blindly).
Opened open(const std::string& path, const StreamRequest& request, bool blind) {
  Opened input;
  input.reader = std::make_unique<sources::ChunkReader>(path, request.chunk_bytes,
                                                        record_bytes_limit(request.csv));
  const bool read = input.reader->next(input.first);
  // The first piece follows quotes whatever `blind` says: it must hold the whole header.
  if (blind) input.reader->cut_blindly();
  if (!read) {
    input.empty = true;
    return input;
  }
  read_header(input, input.first.text(), input.reader->name(), request, request.wide);
  return input;
}

/// How far below the caller's thread the parsers run (nice): the in-order pass, on which the
/// whole stream waits, takes a core when it has work; with as many parsers as cores, a parser
/// would otherwise hold that core for its time slice while every later piece waits. The
/// parsers still take every cycle the pass leaves. Measured on 2 cores at 10M rows: 5 to 10 %
/// off every query (bench/README.md).
constexpr int k_parser_nice = 10;

/// Lowers the calling thread's priority by k_parser_nice (Linux sets nice per thread); a
/// hint: nothing happens where it is refused.
void give_way() {
#if defined(__linux__)
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  if (now == -1 && errno != 0) return;
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), now + k_parser_nice);
#endif
}

/// The bytes of what parse_chunk() made of a piece: its facts, runs and summaries, the
/// metadata of its facts and its wide values (not the few fields unescaped into its arena).
std::size_t parsed_bytes(const ParsedChunk& parsed) {
  return parsed.facts.size() * sizeof(RawFact) + parsed.runs.size() * sizeof(std::uint32_t) +
         parsed.summaries.size() * sizeof(RunSummary) + parsed.meta.size() * sizeof(FactMeta) +
         parsed.wide.size() * sizeof(Decimal);
}

/// A piece waiting to be parsed, or parsed and waiting to be stored.
struct Job {
  std::size_t input = 0;
  ParsedChunk parsed;
  ChunkTotals totals;
  /// Facts of the piece written over by compacting were added to `totals` as the parser went
  /// (ChunkTotaller): the totals cannot be made again from the facts.
  bool retired = false;
  std::size_t start = 0;
  std::size_t first_line = 1;
  bool done = false;
};

/// Reader thread -> parser threads -> the caller, in order, with a bounded number of pieces
/// in flight.
class Pipeline {
public:
  /// The store numbers the inputs from `first_input` (those before are the texts in memory);
  /// `compact`: the parsers compact runs (parse_chunk()).
  Pipeline(std::vector<Opened>& inputs, const StreamRequest& request, SeriesStore& store,
           std::size_t first_input, bool compact)
      : m_inputs(inputs), m_request(request), m_store(store), m_asked(request.retention.asked()),
        m_first_input(first_input), m_compact(compact),
        m_heavy_bytes(std::min(request.chunk_bytes, request.heavy_chunk_bytes)) {}

  void run() {
    unsigned parsers = m_request.threads ? m_request.threads : std::max(1U, std::thread::hardware_concurrency());
    m_limit = parsers + 2;
    std::vector<std::thread> threads;
    threads.emplace_back([this] { read_all(); });
    for (unsigned i = 0; i < parsers; ++i) threads.emplace_back([this] { parse_all(); });
    try {
      consume();
    } catch (...) {
      stop();
      for (std::thread& t : threads) t.join();
      throw;
    }
    stop();
    for (std::thread& t : threads) t.join();
  }

private:
  void stop() {
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_changed.notify_all();
  }

  /// Reads every piece of every input in order and queues it for parsing.
  void read_all() {
    std::size_t i = 0;
    try {
      for (; i < m_inputs.size(); ++i) {
        Opened& input = m_inputs[i];
        if (input.empty) continue;
        for (bool first = true;; first = false) {
          // Wait for room first, then read into a recycled job: the pieces in flight bound
          // the memory.
          {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stopped || m_in_flight < m_limit; });
            if (m_stopped) return;
          }
          std::unique_ptr<Job> job = recycled();
          if (first) {
            job->parsed.chunk = std::move(input.first);
          } else {
            // Small pieces while the parsed pieces are heavy (StreamRequest::heavy_chunk_bytes).
            input.reader->set_chunk_bytes(
                m_heavy.load(std::memory_order_relaxed) ? m_heavy_bytes : m_request.chunk_bytes);
            if (!input.reader->next(job->parsed.chunk)) {
              std::lock_guard lock(m_mutex);
              m_free.push_back(std::move(job));
              break;
            }
          }
          job->input = i;
          job->start = first ? input.header_end : 0;
          job->first_line = first ? input.header_lines + 1 : 1;
          std::lock_guard lock(m_mutex);
          ++m_in_flight;
          m_order.push_back(job.get());
          m_todo.push_back(std::move(job));
          m_changed.notify_all();
        }
      }
    } catch (...) {
      std::lock_guard lock(m_mutex);
      m_read_error = std::current_exception();
      if (i < m_inputs.size()) m_inputs[i].failed = m_read_error;
    }
    std::lock_guard lock(m_mutex);
    m_read_done = true;
    m_changed.notify_all();
  }

  /// A job to fill: one that was used before (its buffers keep their capacity, so memory stays
  /// what the pieces in flight need, whichever thread frees what), or a new one.
  /// The pages of the piece it held (stored, or already let go: release() lets go of pages
  /// below a mark that only rises) are let go here, on the reader thread, which has the time
  /// (the in-order thread has not).
  std::unique_ptr<Job> recycled() {
    std::unique_ptr<Job> job;
    {
      std::lock_guard lock(m_mutex);
      if (m_free.empty()) return std::make_unique<Job>();
      job = std::move(m_free.back());
      m_free.pop_back();
    }
    m_inputs[job->input].reader->release(job->parsed.chunk);
    // A job whose last piece was large (before the pieces became small: rows apart in a later
    // input, or after the first pieces were light) is let go with its buffers, which may have
    // grown to several times that piece: small pieces fill new ones.
    if (m_heavy.load(std::memory_order_relaxed) &&
        job->parsed.chunk.text().size() > 2 * m_heavy_bytes)
      job = std::make_unique<Job>();
    return job;
  }

  /// Parses queued pieces until there are none left, giving way to the in-order pass.
  void parse_all() {
    give_way();
    for (;;) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stopped || !m_todo.empty() || m_read_done; });
        if (m_stopped || (m_todo.empty() && m_read_done)) return;
        job = std::move(m_todo.front());
        m_todo.pop_front();
      }
      try {
        const Opened& input = m_inputs[job->input];
        // describe's totals are made beside the parser, of the rows as it reads them when it
        // compacts them.
        std::optional<ChunkTotaller> totaller;
        if (m_request.retention.describe) totaller.emplace(m_request.filter, job->totals, k_none);
        parse_chunk(job->parsed, *input.layout, job->start, job->first_line, input.reader->name(),
                    m_asked, m_compact.load(std::memory_order_relaxed),
                    totaller ? &*totaller : nullptr);
        // A piece parsed twice: the files' runs need their facts, so the parsers stop
        // compacting (a file of series of more than 64 years would parse every piece twice).
        if (job->parsed.parsed_again) m_compact.store(false, std::memory_order_relaxed);
        // Heavy: what the parser made of the piece takes more than twice its text.
        m_heavy.store(parsed_bytes(job->parsed) > 2 * job->parsed.chunk.text().size(),
                      std::memory_order_relaxed);
        if (totaller) {
          totaller->finish(job->parsed);
          job->retired = totaller->retired() != 0;
        }
      } catch (...) {
        std::lock_guard lock(m_mutex);
        if (!m_parse_error) m_parse_error = std::current_exception();
      }
      std::lock_guard lock(m_mutex);
      job->done = true;
      m_finished.push_back(std::move(job));
      m_changed.notify_all();
    }
  }

  /// Stores parsed pieces in their order, the first lines of each input counted as they pass.
  void consume() {
    std::vector<std::size_t> lines(m_inputs.size(), 0);
    for (;;) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] {
          return m_parse_error || (!m_order.empty() && m_order.front()->done) ||
                 (m_order.empty() && m_read_done);
        });
        if (m_parse_error) std::rethrow_exception(m_parse_error);
        if (m_order.empty()) {
          if (m_read_error) std::rethrow_exception(m_read_error);
          return;
        }
        Job* next = m_order.front();
        m_order.pop_front();
        auto it = std::find_if(m_finished.begin(), m_finished.end(),
                               [&](const auto& j) { return j.get() == next; });
        job = std::move(*it);
        m_finished.erase(it);
        --m_in_flight;
        m_changed.notify_all();
      }
      const Opened& input = m_inputs[job->input];
      // Nothing of a piece cut inside a quoted field counts (nor of any piece after it).
      if (job->parsed.quotes_open) throw CutInsideQuotes{};
      // Lines are counted from the start of the piece; the piece's place in its input is
      // known only now, in order.
      std::size_t first_line = lines[job->input] + 1;
      lines[job->input] += job->parsed.lines + (job->start > 0 ? input.header_lines : 0);
      m_store.add(job->parsed, *input.layout, first_line,
                  static_cast<std::uint8_t>(m_first_input + job->input), input.reader->name());
      if (m_request.retention.describe) {
        if (m_store.skipped().empty()) {
          m_store.add_totals(job->totals);
        } else {
          // Repeated rows count once, as the full loader counts them: total this piece again,
          // which takes every fact (rows apart from their series' run are not compacted, but
          // the piece's other runs may be: then every input is read again, not compacted).
          if (job->retired) throw FactsLeftOut{};
          ChunkTotals totals;
          add_totals(job->parsed, m_request.filter, totals, m_store.skipped());
          m_store.add_totals(totals);
        }
      }
      // Nothing reads the piece's text after this: the reader thread lets it go (recycled()).
      job->parsed.facts.clear();
      job->parsed.runs.clear();
      job->parsed.summaries.clear();
      job->parsed.wide.clear();
      job->parsed.meta.clear();
      job->parsed.arena.clear();
      job->parsed.error.reset();
      job->parsed.lines = 0;
      job->totals.clear();
      job->retired = false;
      job->done = false;
      std::lock_guard lock(m_mutex);
      m_free.push_back(std::move(job));
    }
  }

  std::vector<Opened>& m_inputs;
  const StreamRequest& m_request;
  SeriesStore& m_store;
  AskedPeriods m_asked;
  std::size_t m_first_input = 0;
  std::atomic<bool> m_compact{false};
  /// The last piece parsed was heavy (and at first): the next pieces are cut at m_heavy_bytes.
  std::atomic<bool> m_heavy{true};
  std::size_t m_heavy_bytes;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::unique_ptr<Job>> m_todo;
  std::deque<Job*> m_order;
  std::vector<std::unique_ptr<Job>> m_finished;
  std::vector<std::unique_ptr<Job>> m_free;
  std::size_t m_in_flight = 0;
  std::size_t m_limit = 4;
  bool m_read_done = false;
  bool m_stopped = false;
  std::exception_ptr m_read_error;
  std::exception_ptr m_parse_error;
};

} // namespace

std::size_t chunk_bytes_for(bool describe) {
  // Mapped: describe totals each piece on its parser's core right after parsing it, while its
  // facts (40 bytes a row) mostly stay in that core's cache (10M-row describe about 10 % faster
  // with 2 MiB pieces than with 4 MiB; 1 MiB pieces, which let go of a mapped file's 2 MiB
  // pages every other piece, 4-14 % slower). Read, 1 MiB for every command (describe 0.97x the
  // time of 2 MiB; StreamRequest::chunk_bytes).
  if (!sources::files_mapped()) return StreamRequest().chunk_bytes;
  return describe ? std::size_t{2} << 20 : std::size_t{4} << 20;
}

std::size_t record_bytes_limit(const csv::Options& csv) {
  // (4 MiB more: with pieces of 1 MiB, a record is looked for as far as it was with the 4 MiB
  // pieces and the one megabyte more of before.)
  return 2 * csv.max_field_bytes + (std::size_t{4} << 20);
}

std::size_t furthest_record_end(const StreamRequest& request) {
  return 2 * request.chunk_bytes + record_bytes_limit(request.csv);
}

void render_in_parallel(
    const SeriesStore& store,
    const std::function<void(std::string& text, std::span<const RenderBlock> ranges)>& render,
    const std::function<void(std::string&)>& append) {
  // Series per block, at least (but the last): a file of a thousand indicators of a few series
  // each makes blocks of many indicators, not a block (and two threads handing it over) for each.
  constexpr std::size_t k_block = k_render_block;
  std::vector<std::vector<RenderBlock>> blocks(1); // each block's ranges
  std::size_t in_last = 0;                         // series in the last block
  std::vector<std::size_t> counts = store.series_counts();
  for (std::uint32_t i = 0; i < counts.size(); ++i) {
    for (std::size_t b = 0; b < counts[i];) {
      if (in_last == k_block) {
        blocks.emplace_back();
        in_last = 0;
      }
      const std::size_t end = std::min(counts[i], b + (k_block - in_last));
      blocks.back().push_back({i, b, end});
      in_last += end - b;
      b = end;
    }
  }
  if (blocks.back().empty()) blocks.pop_back();
  const std::size_t rows = blocks.size() > 1 ? k_block : in_last;
  render_blocks_in_order(
      blocks.size(), [&](std::string& text, std::size_t b) { render(text, blocks[b]); }, append,
      rows * k_first_row_room);
}

void render_blocks_in_order(std::size_t count,
                            const std::function<void(std::string& text, std::size_t block)>& render,
                            const std::function<void(std::string&)>& append,
                            std::size_t first_room) {
  if (count <= 1) {
    // One block (a small result: the embedded data's, say) is rendered here: threads started
    // and joined for it took longer than the block itself.
    if (count == 0) return;
    std::string text;
    text.reserve(first_room);
    render(text, 0);
    append(text);
    return;
  }
  struct Block {
    std::string text;
    bool done = false;
  };
  std::vector<Block> blocks(count);
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::size_t window = 4 * threads; // blocks rendered ahead of the one being appended
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0, appended = 0;
  std::vector<std::string> spare; // buffers of appended blocks, for the next ones
  std::size_t largest = first_room; // the largest block rendered so far, in bytes, or more
  std::exception_ptr failure;
  auto work = [&] {
    for (;;) {
      std::size_t mine;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return failure || next >= blocks.size() || next < appended + window; });
        if (failure || next >= blocks.size()) return;
        mine = next++;
      }
      // Rendered into a string of this thread's own: the blocks' strings lie side by side, and
      // two threads appending to neighbours would share their cache lines. Its buffer is one an
      // appended block left (growing a megabyte buffer maps fresh pages each time).
      std::string text;
      std::size_t room = 0;
      {
        std::lock_guard lock(mutex);
        if (!spare.empty()) {
          text = std::move(spare.back());
          spare.pop_back();
        }
        room = largest;
      }
      text.clear();
      // A new buffer made as large as the largest block at once (or, for the first blocks, as
      // `first_room`): grown from nothing, it would be copied at each doubling, each time into
      // fresh pages.
      text.reserve(room);
      try {
        render(text, mine);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      largest = std::max(largest, text.size());
      blocks[mine].text = std::move(text);
      blocks[mine].done = true;
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  try {
    while (appended < blocks.size()) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return failure || blocks[appended].done; });
        if (failure) std::rethrow_exception(failure);
      }
      append(blocks[appended].text);
      std::lock_guard lock(mutex);
      spare.push_back(std::move(blocks[appended].text));
      ++appended;
      changed.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      changed.notify_all();
    }
    for (std::thread& t : pool) t.join();
    throw;
  }
  for (std::thread& t : pool) t.join();
}

namespace {

/// Throws what the whole-file path (sources::load()) would throw first, if anything: it reads
/// every input to its end, in order, before it reads a row, so that an input that cannot be
/// read (a gzip file cut short, say) is reported before any bad row. `inputs` are those opened
/// so far (in order), read on from where they are; an input whose reader failed throws that.
void throw_first_unreadable(const std::vector<std::string>& paths, std::vector<Opened>& inputs,
                            const std::exception_ptr& open_failure) {
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i == inputs.size() && open_failure) std::rethrow_exception(open_failure);
    // (Past the input whose opening failed otherwise, each is opened again: for standard
    // input, whose start is gone, that reads the rest.)
    std::unique_ptr<sources::ChunkReader> fresh;
    sources::ChunkReader* reader = nullptr;
    if (i < inputs.size()) {
      if (inputs[i].failed) std::rethrow_exception(inputs[i].failed);
      reader = inputs[i].reader.get();
    } else {
      fresh = std::make_unique<sources::ChunkReader>(paths[i], sources::k_whole_read_bytes,
                                                     sources::k_whole_read_bytes);
      reader = fresh.get();
    }
    // (A device may never end: it is not read on.)
    if (reader->is_device()) continue;
    sources::Chunk chunk;
    while (reader->next(chunk)) {
      reader->release(chunk);
      // Nor is a pipe of plain text, which may never end either (`yes`), and which past its
      // first piece holds no error of reading to find; gzip data is read to its end, where its
      // check lies.
      if (reader->is_pipe() && !reader->is_gzip()) break;
    }
  }
}

/// Adds a text in memory (StreamRequest::texts) to the store at once, on this thread, as input
/// `input`: it is small. A text that is not an observations table is left out.
void add_text(SeriesStore& store, const std::string& name, std::string_view text,
              const StreamRequest& request, std::uint8_t input) {
  Opened opened;
  read_header(opened, text, name, request, false);
  if (opened.empty || !opened.layout) return;
  ParsedChunk parsed;
  parsed.chunk.mapped = text;
  parse_chunk(parsed, *opened.layout, opened.header_end, opened.header_lines + 1, name,
              request.retention.asked());
  store.add(parsed, *opened.layout, 1, input, name);
  if (request.retention.describe) {
    ChunkTotals totals;
    add_totals(parsed, request.filter, totals, store.skipped());
    store.add_totals(totals);
  }
}

/// stream(), its files' pieces cut blindly or not, its runs compacted or not.
StreamResult stream_inputs_in_order(const StreamRequest& request, bool blind, bool compact,
                                    const RepeatPlan& repeats, std::vector<Opened>& inputs) {
  for (const std::string& path : request.paths) {
    inputs.push_back(open(path, request, blind));
  }
  StreamResult result;
  bool plain = std::all_of(inputs.begin(), inputs.end(),
                           [](const Opened& input) { return input.empty || input.layout; });
  if (!plain) {
    // Some input needs the full loader: hand over every text whole.
    for (Opened& input : inputs) {
      std::string text(input.first.text());
      input.reader->release(input.first);
      try {
        // (As the whole-file path reads it: sources::load().)
        if (!input.empty) sources::read_rest(*input.reader, text, request.refused);
        input.reader->throw_if_cut_short();
      } catch (...) {
        input.failed = std::current_exception();
        throw;
      }
      result.texts.emplace_back(input.reader->name(), std::move(text));
    }
    return result;
  }
  if (inputs.size() + request.texts.size() > 255)
    throw UsageError("at most 255 files can be streamed at once");
  result.store = std::make_unique<SeriesStore>(request.retention, request.filter);
  result.store->order_categories(request.category_table);
  // Series that keep nothing are left untracked while the runs are compacted (a series coming
  // back reads the inputs again, FactsLeftOut), and never beside texts in memory (the embedded
  // data), whose derived figures count each entity's figures (StreamRequest::complete).
  if (compact && request.texts.empty() && !request.complete) result.store->leave_untracked();
  if (request.category) result.store->select_category(*request.category);
  if (!repeats.expected.empty()) {
    result.store->expect_repeats(repeats.expected);
  } else if (repeats.rereadable) {
    result.store->defer_repeats();
  }
  for (std::size_t i = 0; i < request.texts.size(); ++i) {
    add_text(*result.store, request.texts[i].first, request.texts[i].second, request,
             static_cast<std::uint8_t>(i));
  }
  Pipeline pipeline(inputs, request, *result.store, request.texts.size(), compact);
  try {
    pipeline.run();
  } catch (const CutInsideQuotes&) {
    throw;
  } catch (const FactsLeftOut&) {
    throw;
  } catch (...) {
    // Whatever stopped this pass, the second one finds it again, unless a repeat noted here
    // differs from its earlier row first.
    if (!result.store->found_repeats()) throw;
  }
  if (result.store->found_repeats()) {
    // The keys name series by number, which series left untracked change: first a pass with
    // every series recorded (and runs not compacted), which finds them again.
    if (result.store->left_untracked()) throw FactsLeftOut{};
    throw RepeatsFound{result.store->repeats_found()};
  }
  if (request.complete && !request.complete(*result.store)) {
    result.store.reset();
    result.declined = true;
    return result;
  }
  result.store->finish();
  return result;
}

/// stream_inputs_in_order(), whose errors give way to an input that cannot be read (as in the
/// whole-file path).
StreamResult stream_inputs(const StreamRequest& request, bool blind, bool compact,
                           const RepeatPlan& repeats) {
  std::vector<Opened> inputs;
  try {
    return stream_inputs_in_order(request, blind, compact, repeats, inputs);
  } catch (const CutInsideQuotes&) {
    throw;
  } catch (const FactsLeftOut&) {
    throw;
  } catch (const RepeatsFound&) {
    throw;
  } catch (const TooManyUnits&) {
    throw;
  } catch (const IoError&) {
    // (An input that could not be opened is the one after those opened.)
    throw_first_unreadable(request.paths, inputs,
                           inputs.size() < request.paths.size() ? std::current_exception()
                                                                : nullptr);
    throw;
  } catch (...) {
    // A file cut short while it was read may read as NUL bytes past its new end: that, not the
    // error they make, is what went wrong.
    for (const Opened& input : inputs) {
      if (input.reader) input.reader->throw_if_cut_short();
    }
    throw_first_unreadable(request.paths, inputs, nullptr);
    throw;
  }
}

} // namespace

std::size_t header_end(std::string_view text, const csv::Record& header) {
  // The first newline outside quotes from where the header starts (blank lines may come before
  // it: the reader skips them).
  bool quoted = false;
  for (std::size_t i = header.offsets.front(); i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n' && !quoted) return i + 1;
  }
  return text.size();
}

StreamResult stream(const StreamRequest& request) {
  // A pipe given twice: once, before any pass opens an input (and outside the passes' search
  // for an unreadable input), as in the whole-file path.
  sources::check_pipes_once(request.paths);
  // Two things need every input read again, which only a regular file can be, or standard input
  // or a named pipe that sources::copy_stdin() or copy_named_pipe() copies (a pipe itself cannot):
  // - Files (read or mapped) are cut at their last newline without reading every byte for
  //   quotes first (the parsers read every byte anyway): when a cut falls inside a quoted
  //   field, every input is read again, following quotes.
  // - A row that repeats the key of an earlier row whose figure the store no longer holds: the
  //   first pass notes such keys, and a second one keeps their first figures to compare.
  RepeatPlan repeats;
  repeats.rereadable = std::all_of(request.paths.begin(), request.paths.end(), sources::rereadable);
  bool blind = repeats.rereadable;
  // - The parsers compact the runs they read quickly (parse_chunk()), which only a command
  //   that reads no run fact by fact can take (Keep::all keeps them; describe totals the
  //   facts written over as the parser goes, ChunkTotaller): when the store must go through a
  //   compacted run fact by fact (a row repeating an earlier key, a run out of order), every input
  //   is read again without compacting.
  bool compact = repeats.rereadable && request.retention.keep != Retention::Keep::all;
  for (;;) {
    // (Each exception comes once: the first makes `blind` false, the second is only thrown
    // while `expected` is empty, and fills it, the third makes `compact` false.)
    try {
      return stream_inputs(request, blind, compact, repeats);
    } catch (const CutInsideQuotes&) {
      blind = false;
    } catch (const FactsLeftOut&) {
      compact = false;
    } catch (RepeatsFound& found) {
      repeats.expected = std::move(found.keys);
    } catch (const TooManyUnits&) {
      // The whole-file path numbers units without that limit; standard input cannot be read
      // again for it.
      if (!repeats.rereadable) {
        throw UsageError("the inputs give more than 65536 distinct units, more than a stream "
                         "tells apart; name the files instead of standard input or a pipe, and "
                         "they are read whole");
      }
      StreamResult result;
      result.declined = true;
      return result;
    }
  }
}

} // namespace jjstat::engine
