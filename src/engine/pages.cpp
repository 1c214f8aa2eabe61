#include "jjstat/engine/pages.hpp"

#include <cstdint>

#include <sys/mman.h>

namespace jjstat::engine {

// Under AddressSanitizer (g++ says so with __SANITIZE_ADDRESS__, clang with __has_feature) the
// memory comes from operator new, whose bounds it checks (it does not watch mappings); the
// mappings are what the Release build measures and tests.
#if defined(__SANITIZE_ADDRESS__)
#define JJSTAT_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JJSTAT_ADDRESS_SANITIZER 1
#endif
#endif

#if defined(JJSTAT_ADDRESS_SANITIZER)
void* allocate_big(std::size_t bytes) { return ::operator new(bytes); }
void free_big(void* memory, std::size_t) { ::operator delete(memory); }
#else
namespace {

/// `bytes` rounded up to whole huge pages.
std::size_t whole_huge_pages(std::size_t bytes) {
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
#if defined(MADV_HUGEPAGE)
  // (A hint: where the kernel gives no huge pages, the memory is there on small ones.)
  ::madvise(memory, size, MADV_HUGEPAGE);
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

} // namespace jjstat::engine
