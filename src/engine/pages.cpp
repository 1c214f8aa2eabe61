#include "jjstat/engine/pages.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include <sys/mman.h>
#include <unistd.h>

namespace jjstat::engine {

namespace {
std::atomic<bool> g_huge_pages{false}; ///< ask_for_huge_pages()

/// The system's page size, asked once.
std::size_t page_bytes() {
  static const auto bytes = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return bytes;
}
} // namespace

void ask_for_huge_pages(bool yes) { g_huge_pages.store(yes, std::memory_order_relaxed); }

bool huge_pages_asked() { return g_huge_pages.load(std::memory_order_relaxed); }

#if defined(JJSTAT_ADDRESS_SANITIZER)
void populate(void*, std::size_t) {}
void* allocate_big(std::size_t bytes) { return ::operator new(bytes); }
void free_big(void* memory, std::size_t) { ::operator delete(memory); }
#else
void populate(void* memory, std::size_t bytes) {
#if defined(MADV_POPULATE_WRITE)
  // Whole pages only: those the memory begins and ends in may hold something else.
  const std::uintptr_t page = page_bytes();
  const auto begin = (reinterpret_cast<std::uintptr_t>(memory) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(memory) + bytes) & ~(page - 1);
  // (Only a hint: the memory is there either way.)
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)memory;
  (void)bytes;
#endif
}

namespace {

/// `bytes` rounded up to whole huge pages; throws std::bad_alloc past what can be mapped.
std::size_t whole_huge_pages(std::size_t bytes) {
  if (bytes > SIZE_MAX / 2) throw std::bad_alloc();
  return (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
}

} // namespace

void* allocate_big(std::size_t bytes) {
  if (bytes < k_huge_page) return ::operator new(bytes);
  const std::size_t size = whole_huge_pages(bytes);
  // A private anonymous mapping a huge page longer, the ends outside its aligned part let go.
  void* raw = ::mmap(nullptr, size + k_huge_page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + k_huge_page - 1) & ~(k_huge_page - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::uintptr_t after = start + k_huge_page - aligned; after > 0)
    ::munmap(reinterpret_cast<void*>(aligned + size), after);
  void* memory = reinterpret_cast<void*>(aligned);
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
  // Small pages unless huge ones are asked for, whatever the system's transparent huge pages
  // setting (`always` would give these aligned mappings huge pages unasked). (A hint: where the
  // kernel gives no huge pages, the memory is there on small ones.)
  ::madvise(memory, size, huge_pages_asked() ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
  return memory;
}

void free_big(void* memory, std::size_t bytes) {
  if (bytes < k_huge_page) {
    ::operator delete(memory);
  } else {
    ::munmap(memory, whole_huge_pages(bytes));
  }
}
#endif

/// What PagesAhead asked for: the pages from the one `begin` is in to the one `end − 1` is in,
/// taken by the helper a few at a time (`claimed` counts the pages it took or take() stopped it
/// at, `done` those it wrote).
struct PagesAhead::Job {
  char* begin = nullptr;
  char* end = nullptr;
  std::uintptr_t first_page = 0; ///< the address of the page `begin` is in
  std::size_t pages = 0;
  std::atomic<std::size_t> claimed{0};
  std::atomic<std::size_t> done{0};
  /// Where the helper writes in page `i`: its first byte, or `begin` in the first page.
  char* byte_of(std::size_t i) const {
    return std::max(begin, reinterpret_cast<char*>(first_page + i * page_bytes()));
  }
};

namespace {

/// What take() sets PagesAhead::Job::claimed to: more than any job's pages, with room for the
/// helper's additions after it.
constexpr std::size_t k_taken = SIZE_MAX / 2;
/// Pages the helper takes at a time: the most take() may wait for.
constexpr std::size_t k_pages_at_once = 16;
/// Set when the helper is gone (the process ending): ask() then asks nothing.
std::atomic<bool> g_writer_gone{false};

/// The thread that writes to the pages asked for, one job after the other in the order asked.
class PageWriter {
public:
  static PageWriter& get() {
    static PageWriter writer;
    return writer;
  }
  void queue(std::shared_ptr<PagesAhead::Job> job) {
    std::lock_guard lock(m_mutex);
    if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
    m_jobs.push_back(std::move(job));
    m_wake.notify_one();
  }
  PageWriter(const PageWriter&) = delete;
  PageWriter& operator=(const PageWriter&) = delete;
  ~PageWriter() {
    g_writer_gone.store(true);
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
  }

private:
  PageWriter() = default;
  void run() {
    for (;;) {
      std::shared_ptr<PagesAhead::Job> job;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_stop || !m_jobs.empty(); });
        if (m_stop) return;
        job = std::move(m_jobs.front());
        m_jobs.pop_front();
      }
      write(*job);
    }
  }
  /// Writes a zero byte to each page of `job` not taken back, a few pages at a time: the
  /// kernel puts them in place at once (populate()), then each write fills in what is left of
  /// the mapping (the virtual machine's own tables: the costly part, bench/README.md).
  static void write(PagesAhead::Job& job) {
    for (;;) {
      const std::size_t first = job.claimed.fetch_add(k_pages_at_once, std::memory_order_acq_rel);
      if (first >= job.pages) return;
      const std::size_t last = std::min(first + k_pages_at_once, job.pages);
      char* const from = job.byte_of(first);
      char* const to = last == job.pages ? job.end : job.byte_of(last);
      populate(from, static_cast<std::size_t>(to - from));
      for (std::size_t i = first; i < last; ++i) *static_cast<volatile char*>(job.byte_of(i)) = 0;
      job.done.fetch_add(last - first, std::memory_order_release);
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::shared_ptr<PagesAhead::Job>> m_jobs;
  bool m_stop = false;
  std::thread m_thread;
};

} // namespace

void PagesAhead::ask(void* memory, std::size_t bytes) noexcept {
  take();
  if (bytes == 0 || g_writer_gone.load()) return;
  // (Only a help: without memory for the job or a thread for the helper, nothing is asked, and
  // take() has nothing to wait for.)
  try {
    auto job = std::make_shared<Job>();
    job->begin = static_cast<char*>(memory);
    job->end = job->begin + bytes;
    const std::size_t page = page_bytes();
    job->first_page = reinterpret_cast<std::uintptr_t>(memory) & ~(page - 1);
    job->pages = (reinterpret_cast<std::uintptr_t>(job->end) - 1 - job->first_page) / page + 1;
    PageWriter::get().queue(job);
    m_job = std::move(job);
  } catch (...) {
    m_job.reset();
  }
}

void PagesAhead::take() noexcept {
  if (!m_job) return;
  Job& job = *m_job;
  // The pages the helper took stay its until written; the others are left to the caller.
  const std::size_t started =
      std::min(job.claimed.exchange(k_taken, std::memory_order_acq_rel), job.pages);
  while (job.done.load(std::memory_order_acquire) < started) std::this_thread::yield();
  if (started < job.pages) {
    char* const from = job.byte_of(started);
    populate(from, static_cast<std::size_t>(job.end - from));
  }
  m_job.reset();
}

void* PagesAhead::memory() const { return m_job ? m_job->begin : nullptr; }

} // namespace jjstat::engine
