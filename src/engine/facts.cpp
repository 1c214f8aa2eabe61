#include "jjstat/engine/facts.hpp"

#include "jjstat/diagnostic.hpp"

#include "jjstat/dataset.hpp"
#include "jjstat/period.hpp"
#include "jjstat/sources.hpp"
#include "jjstat/text.hpp"

#include <algorithm>
#include <bit>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jjstat::engine {
namespace {

// Which core column each header name is.
constexpr std::array<std::string_view, schema::k_core_columns> k_core_names = {
    "entity", "indicator", "period", "value", "unit", "qualifiers"};

/// The widest row the quick splitter takes: a plain layout has core and metadata columns, each
/// once. Small: split_blocks() makes an array of this many fields for every run it starts.
constexpr std::size_t k_max_quick_width =
    std::size_t{schema::k_core_columns} + std::size_t{schema::k_meta_columns};

/// The cells of a row, in the order of its columns.
using RowCells = std::array<std::string_view, k_max_quick_width>;

/// Fills the fact's value, period and qualifiers from checked core cells.
void set_core(ParsedChunk& parsed, RawFact& fact, const schema::CoreCells& core) {
  fact.period = core.period.code();
  fact.qualifiers = core.qualifiers;
  fact.flags = 0;
  if (!core.value) return;
  fact.flags = RawFact::k_has_value;
  const Decimal& value = *core.value;
  if (value.mantissa() >= INT64_MIN && value.mantissa() <= INT64_MAX) {
    fact.mantissa = static_cast<std::int64_t>(value.mantissa());
    fact.scale = static_cast<std::int8_t>(value.scale());
  } else {
    fact.flags |= RawFact::k_wide;
    fact.mantissa = static_cast<std::int64_t>(parsed.wide.size());
    parsed.wide.push_back(value);
  }
}

/// Moves `error` `lines` lines down: a chunk's reader counts from its own first line.
DataError shifted(const DataError& error, std::size_t lines) {
  Location where = error.where();
  where.line += lines;
  return DataError(where, error.what());
}

/// `field` where it stays while the chunk is read: in `text`, or a copy in `arena` when it does
/// not lie there (a field the reader unescaped lives in its buffer only until the next record).
std::string_view kept_in(std::string_view text, std::deque<std::string>& arena,
                         std::string_view field) {
  if (field.data() >= text.data() && field.data() + field.size() <= text.data() + text.size())
    return field;
  arena.emplace_back(field);
  return arena.back();
}

/// The records from byte `pos` on, read by the full CSV reader (quotes, CRLF, errors).
void parse_generic(ParsedChunk& parsed, const Layout& layout, std::size_t pos, std::size_t line,
                   const std::string& source, std::deque<std::string>& arena) {
  const std::string_view text = parsed.chunk.text();
  try {
    // The reader starts mid-file here: no byte order mark, but the run's quote policy and limits.
    csv::Options options = layout.csv;
    options.file_start = parsed.chunk.index == 0 && pos == 0;
    csv::Reader reader(std::string_view(text).substr(pos), source, options);
    csv::Record record;
    schema::CoreCells core;
    schema::MetaCells meta;
    const bool has_meta = layout.has_meta();
    while (reader.next(record)) {
      schema::read_core(reader, record, layout.width, layout.columns, core);
      // The loader's order: the core cells, then the metadata's numbers (before anything of
      // the row is added).
      if (has_meta) schema::read_meta(reader, record, layout.meta, meta);
      auto keep = [&](std::string_view s) { return kept_in(text, arena, s); };
      RawFact fact;
      if (parsed.facts.empty() || parsed.summaries.back().entity != core.entity ||
          parsed.summaries.back().indicator != core.indicator) {
        parsed.runs.push_back(static_cast<std::uint32_t>(parsed.facts.size()));
        RunSummary& run = parsed.summaries.emplace_back();
        run.entity = keep(core.entity);
        run.indicator = keep(core.indicator);
      }
      fact.unit = keep(core.unit);
      set_core(parsed, fact, core);
      fact.line = static_cast<std::uint32_t>(line + record.line - 1);
      fact.line_start = static_cast<std::uint32_t>(pos + record.offsets[0]);
      if (has_meta) {
        FactMeta& kept = parsed.meta.emplace_back();
        kept.rank_scope = keep(meta.rank_scope);
        kept.category = keep(meta.category);
        kept.name_zh = keep(meta.name_zh);
        kept.name_en = keep(meta.name_en);
        kept.reported_rank = meta.reported_rank.value_or(0);
      }
      parsed.facts.push_back(fact);
    }
  } catch (const DataError& error) {
    parsed.error = shifted(error, line - 1);
  }
}

/// The records of a wide table from byte `pos` on, read by the full CSV reader: each period
/// cell a fact, as the full loader turns it into a long row, each row a run.
void parse_wide(ParsedChunk& parsed, const Layout& layout, std::size_t pos, std::size_t line,
                const std::string& source, std::deque<std::string>& arena) {
  const std::string_view text = parsed.chunk.text();
  // Each period's cells: the core columns with the period's as the value's, and its label.
  std::vector<std::array<int, schema::k_core_columns>> columns;
  std::vector<std::string> labels;
  for (const auto& [at, period] : layout.periods) {
    columns.push_back(layout.columns);
    columns.back()[schema::c_period] = columns.back()[schema::c_value] = at;
    labels.push_back(period.label());
  }
  try {
    csv::Options options = layout.csv;
    options.file_start = parsed.chunk.index == 0 && pos == 0;
    csv::Reader reader(text.substr(pos), source, options);
    csv::Record record;
    schema::CoreCells core;
    schema::MetaCells meta;
    FactMeta row_meta;
    const bool has_meta = layout.has_meta();
    while (reader.next(record)) {
      auto keep = [&](std::string_view s) { return kept_in(text, arena, s); };
      for (std::size_t p = 0; p < layout.periods.size(); ++p) {
        schema::read_core(reader, record, layout.width, columns[p], core, labels[p]);
        if (p == 0) {
          parsed.runs.push_back(static_cast<std::uint32_t>(parsed.facts.size()));
          RunSummary& run = parsed.summaries.emplace_back();
          run.entity = keep(core.entity);
          run.indicator = keep(core.indicator);
        }
        RawFact& fact = parsed.facts.emplace_back();
        fact.unit = keep(core.unit);
        set_core(parsed, fact, core);
        fact.line = static_cast<std::uint32_t>(line + record.line - 1);
        fact.line_start = static_cast<std::uint32_t>(pos + record.offsets[0]);
        if (has_meta) {
          // Each of the row's facts carries its names (their checks name the row's cells).
          if (p == 0) {
            schema::read_meta(reader, record, layout.meta, meta);
            row_meta.category = keep(meta.category);
            row_meta.name_zh = keep(meta.name_zh);
            row_meta.name_en = keep(meta.name_en);
          }
          parsed.meta.push_back(row_meta);
        }
        if (p > 0) fact.flags |= RawFact::k_same_unit;
      }
    }
  } catch (const DataError& error) {
    parsed.error = shifted(error, line - 1);
  }
}

/// Bit masks of one block of 64 bytes: bit i for byte i.
struct BlockMasks {
  std::uint64_t separators = 0; ///< ',' and '\n'
  std::uint64_t newlines = 0;   ///< '\n'
  std::uint64_t quotes = 0;     ///< '"'
  std::uint64_t special = 0;    ///< NUL, and CR not followed by '\n': the full reader's
};

/// The masks of `block` (64 readable bytes); `next` is the byte after it (0 at the end).
BlockMasks scan_block(const unsigned char* block, unsigned char next) {
  std::uint64_t comma = 0, newline = 0, quote = 0, cr = 0, nul = 0;
#if defined(__SSE2__)
  const __m128i v_comma = _mm_set1_epi8(',');
  const __m128i v_newline = _mm_set1_epi8('\n');
  const __m128i v_quote = _mm_set1_epi8('"');
  const __m128i v_cr = _mm_set1_epi8('\r');
  const __m128i v_nul = _mm_setzero_si128();
  for (int i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    auto mask = [&](__m128i c) {
      return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c))))
             << (16 * i);
    };
    comma |= mask(v_comma);
    newline |= mask(v_newline);
    quote |= mask(v_quote);
    cr |= mask(v_cr);
    nul |= mask(v_nul);
  }
#else
  for (int i = 0; i < 64; ++i) {
    std::uint64_t bit = std::uint64_t{1} << i;
    switch (block[i]) {
    case ',': comma |= bit; break;
    case '\n': newline |= bit; break;
    case '"': quote |= bit; break;
    case '\r': cr |= bit; break;
    case 0: nul |= bit; break;
    default: break;
    }
  }
#endif
  BlockMasks masks;
  masks.separators = comma | newline;
  masks.newlines = newline;
  masks.quotes = quote;
  std::uint64_t newline_after = (newline >> 1) | (std::uint64_t{next == '\n'} << 63);
  masks.special = nul | (cr & ~newline_after);
  return masks;
}

/// Bit i set when an odd number of the bits 0 to i of `bits` are: of a block's quotes, the
/// bytes from an opening quote up to its closing one (not included).
constexpr std::uint64_t prefix_xor(std::uint64_t bits) {
  for (int shift = 1; shift < 64; shift *= 2) bits ^= bits << shift;
  return bits;
}

/// The bits from `low` up to `high` (not included), both at most 64.
constexpr std::uint64_t bits_between(std::size_t low, std::size_t high) {
  auto below = [](std::size_t n) {
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  };
  return below(high) & ~below(low);
}

/// Reads a plain decimal number from `p` on, as far as one goes: an optional '-', digits and
/// at most one point; `p` ends on the first byte past it. False when it has no digit or more
/// than 18 (19 may not fit 64 bits). Inline: repeat_rows() reads every value with it, as the
/// bytes come.
[[gnu::always_inline]] inline bool read_plain_number(const char*& p, const char* end,
                                                     std::int64_t& mantissa, std::int8_t& scale) {
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  std::uint64_t digits = 0;
  int count = 0;
  const char* point = nullptr;
  for (; p != end; ++p) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(*p) - '0');
    if (digit < 10) {
      digits = digits * 10 + digit;
      ++count;
    } else if (*p == '.' && point == nullptr) {
      point = p;
    } else {
      break;
    }
  }
  if (count == 0 || count > 18) return false;
  mantissa = negative ? -static_cast<std::int64_t>(digits) : static_cast<std::int64_t>(digits);
  scale = static_cast<std::int8_t>(point == nullptr ? 0 : p - 1 - point);
  return true;
}

/// A plain decimal number the quick way: read_plain_number() over the whole of `text`, nothing
/// else; false for anything parse_decimal must look at.
bool quick_decimal(std::string_view text, std::int64_t& mantissa, std::int8_t& scale) {
  const char* p = text.data();
  const char* const end = p + text.size();
  return read_plain_number(p, end, mantissa, scale) && p == end;
}

/// The length of the line end at `p` (before `end`): 1 for LF, 2 for CRLF, 0 for anything else.
[[gnu::always_inline]] inline std::size_t line_end_at(const char* p, const char* end) {
  if (p != end && *p == '\n') return 1;
  return end - p >= 2 && p[0] == '\r' && p[1] == '\n' ? 2 : 0;
}

/// A year the quick way ("2020"); false for anything Period::parse must look at.
[[gnu::always_inline]] inline bool quick_year(std::string_view text, std::int32_t& code) {
  if (text.size() != 4) return false;
  // The four bytes in one word, the first lowest (one load where the machine is little-endian):
  // each 0x30 to 0x39 (adding 6 keeps those below 0x40 and carries nothing over), the first
  // not '0'.
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(text[i]));
  };
  std::uint32_t x = byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
  if ((x & 0xF0F0F0F0U) != 0x30303030U || ((x + 0x06060606U) & 0xF0F0F0F0U) != 0x30303030U ||
      (x & 0xFFU) == '0')
    return false;
  x -= 0x30303030U;
  const auto year = static_cast<int>((x & 0xFFU) * 1000 + ((x >> 8) & 0xFFU) * 100 +
                                     ((x >> 16) & 0xFFU) * 10 + (x >> 24));
  code = Period::year(year).code();
  return true;
}

/// A period: a year the quick way, a quarter or a month by Period::parse (the full reader's
/// own rule); false when it is none of them.
bool quick_period(std::string_view text, std::int32_t& code) {
  if (quick_year(text, code)) return true;
  if (text.size() != 6 && text.size() != 7) return false; // 2020Q3, 2020-09
  const std::optional<Period> period = Period::parse(text);
  if (period) code = period->code();
  return period.has_value();
}

#if defined(__SSE2__)
static_assert(std::endian::native == std::endian::little,
              "the SSE2 readers load digits little-endian");

/// The number that the top `count` bytes (1 to 8) of `x` make, digits the first lowest (as an
/// 8-byte load puts them): the bytes below count as leading zeros. The digits are combined in
/// place, pairs first, then pairs of pairs (the SWAR method Daniel Lemire describes for
/// fast_float). The caller has checked that they are digits.
[[gnu::always_inline]] inline std::uint64_t digits_in_word(std::uint64_t x, unsigned count) {
  constexpr std::uint64_t k_zeros = 0x3030303030303030;
  // Little-endian: the first digit is the lowest byte that is kept.
  const std::uint64_t kept = ~std::uint64_t{0} << (8 * (8 - count));
  x = ((x & kept) | (k_zeros & ~kept)) - k_zeros;       // each byte 0 to 9
  x = x * 10 + (x >> 8);                                // bytes 0, 2, 4, 6: two digits each
  constexpr std::uint64_t k_pairs = 0x000000FF000000FF; // bytes 0 and 4
  const std::uint64_t high = (x & k_pairs) * (100 + (std::uint64_t{1000000} << 32));
  const std::uint64_t low = ((x >> 16) & k_pairs) * (1 + (std::uint64_t{10000} << 32));
  return (high + low) >> 32;
}

/// The number that `count` digits (1 to 8) ending before `last` make (digits_in_word()); the
/// caller has checked that they are digits and that the 8 bytes before `last` are readable.
[[gnu::always_inline]] inline std::uint64_t few_digits(const char* last, unsigned count) {
  std::uint64_t x;
  std::memcpy(&x, last - 8, 8);
  return digits_in_word(x, count);
}

/// Where a plain number's parts lie, as quick_value() found them: `length` bytes up to the comma
/// after it, a minus sign first or not, a point at byte `at` or none (`at` is then `length`),
/// `whole` digits before the point and `fraction` after it.
struct ValueShape {
  unsigned length = 0, at = 0, whole = 0, fraction = 0;
  bool minus = false, point = false;
};

/// The number of shape `shape` at `p` (16 bytes from `p` and 8 before it readable): its
/// digits read by few_digits(), or all at once when they fit one word with the point.
[[gnu::always_inline]] inline void read_shaped(const char*& p, const ValueShape& shape,
                                               std::int64_t& mantissa, std::int8_t& scale) {
  static constexpr std::array<std::uint64_t, 9> k_tens = {
      1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  const unsigned whole = shape.whole, fraction = shape.fraction;
  std::uint64_t magnitude = 0;
  if (fraction != 0 && whole != 0 && whole + fraction < 8) {
    // The 8 bytes that end the value hold its digits and point (seven digits at most), the
    // point taken out by moving the bytes before it up one: all its digits in one word.
    std::uint64_t x;
    std::memcpy(&x, p + shape.length - 8, 8);
    const std::uint64_t after = ~std::uint64_t{0} << (8 * (8 - fraction));
    magnitude = digits_in_word((x & after) | ((x << 8) & ~after), whole + fraction);
  } else {
    magnitude = whole ? few_digits(p + shape.at, whole) : 0;
    if (fraction) magnitude = magnitude * k_tens[fraction] + few_digits(p + shape.length, fraction);
  }
  mantissa =
      shape.minus ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
  scale = static_cast<std::int8_t>(fraction);
  p += shape.length;
}

/// Bit k set when byte k of `v` is an ASCII digit.
[[gnu::always_inline]] inline unsigned digit_bits(__m128i v) {
  const __m128i offset = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(9)), offset)));
}

/// A plain number up to the comma after it, when the 16 bytes from `p` hold both, with at most
/// eight digits before its point and eight after: every byte classified at once, the digits
/// read by read_shaped(), its shape left in `shape`. `p` ends on the comma. False for anything
/// else, which read_plain_number() then reads (with the same result whenever this one reads a
/// number). The caller has checked that 16 bytes from `p` and 8 before it are readable.
[[gnu::always_inline]] inline bool quick_value(const char*& p, std::int64_t& mantissa,
                                               std::int8_t& scale, ValueShape& shape) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto where = [&](char c) {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
  };
  const unsigned comma = where(',');
  if (comma == 0) return false;
  const auto length = static_cast<unsigned>(std::countr_zero(comma));
  const unsigned inside = (1U << length) - 1;
  const unsigned digits = digit_bits(v) & inside;
  const unsigned point = where('.') & inside;
  const unsigned minus = where('-') & inside & 1U;
  if ((digits | point | minus) != inside || digits == 0 || (point & (point - 1)) != 0) return false;
  const unsigned at = point ? static_cast<unsigned>(std::countr_zero(point)) : length;
  const unsigned whole = at - minus;
  const unsigned fraction = point ? length - at - 1 : 0;
  if (whole > 8 || fraction > 8) return false;
  shape = {length, at, whole, fraction, minus != 0, point != 0};
  read_shaped(p, shape, mantissa, scale);
  return true;
}

/// A value's shape made into a test of the next value's bytes: a row of a series mostly has a
/// value of the shape of the row before's (as many digits on each side of the point), which
/// then needs no classifying of its bytes one by one.
struct ShapeTest {
  ValueShape shape;
  __m128i fixed_bytes = _mm_setzero_si128(); ///< the minus, the point and the comma in place
  unsigned fixed = 0;                        ///< their bits (none: no shape to test)
  unsigned digits = 0;                       ///< the bits of the digits

  /// The test of `value`'s shape.
  void take(const ValueShape& value) {
    shape = value;
    alignas(16) std::array<char, 16> bytes{};
    fixed = 1U << value.length;
    bytes[value.length] = ',';
    if (value.minus) {
      bytes[0] = '-';
      fixed |= 1U;
    }
    if (value.point) {
      bytes[value.at] = '.';
      fixed |= 1U << value.at;
    }
    digits = ((1U << value.length) - 1) & ~fixed;
    fixed_bytes = _mm_load_si128(reinterpret_cast<const __m128i*>(bytes.data()));
  }

  /// True when the 16 bytes at `p` hold a value of this shape (quick_value() would find it so:
  /// digits where the shape has them, its minus, point and comma where it has them, so that
  /// the comma is the first).
  [[gnu::always_inline]] bool matches(const char* p) const {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned is_digit = digit_bits(v);
    const auto same = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, fixed_bytes)));
    return fixed != 0 && (is_digit & digits) == digits && (same & fixed) == fixed;
  }
};

#endif
} // namespace

std::optional<Layout> plain_layout(const csv::Record& header) {
  Layout layout;
  layout.columns.fill(-1);
  layout.width = header.fields.size();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = header.fields[i];
    auto it = std::find(k_core_names.begin(), k_core_names.end(), name);
    auto meta = std::find(schema::k_meta_names.begin(), schema::k_meta_names.end(), name);
    if (it == k_core_names.end() && meta == schema::k_meta_names.end()) return std::nullopt;
    int& slot = it != k_core_names.end()
                    ? layout.columns[static_cast<std::size_t>(it - k_core_names.begin())]
                    : layout.meta[static_cast<std::size_t>(meta - schema::k_meta_names.begin())];
    if (slot >= 0) return std::nullopt;
    slot = static_cast<int>(i);
  }
  for (int c = 0; c < schema::c_qualifiers; ++c) {
    if (layout.columns[static_cast<std::size_t>(c)] < 0) return std::nullopt;
  }
  return layout;
}

std::optional<Layout> wide_layout(const csv::Record& header) {
  Layout layout;
  layout.columns.fill(-1);
  layout.width = header.fields.size();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = header.fields[i];
    if (std::optional<Period> period = Period::parse(name)) {
      if (!layout.periods.empty() && layout.periods.front().second.kind() != period->kind())
        return std::nullopt;
      // A period named twice makes every row repeat a key within itself: the loader's.
      for (const auto& known : layout.periods) {
        if (known.second == *period) return std::nullopt;
      }
      layout.periods.emplace_back(static_cast<int>(i), *period);
      continue;
    }
    // The names, category and source the loader allows in a wide table (no ranks, no lines).
    auto meta = std::find(schema::k_meta_names.begin(), schema::k_meta_names.end(), name);
    if (const auto m = static_cast<std::size_t>(meta - schema::k_meta_names.begin());
        m == schema::m_category || m == schema::m_name_zh || m == schema::m_name_en ||
        m == schema::m_source) {
      if (layout.meta[m] >= 0) return std::nullopt;
      layout.meta[m] = static_cast<int>(i);
      continue;
    }
    auto it = std::find(k_core_names.begin(), k_core_names.end(), name);
    const auto c = static_cast<std::size_t>(it - k_core_names.begin());
    if (it == k_core_names.end() || c == schema::c_period || c == schema::c_value ||
        layout.columns[c] >= 0)
      return std::nullopt;
    layout.columns[c] = static_cast<int>(i);
  }
  for (int c : {schema::c_entity, schema::c_indicator, schema::c_unit}) {
    if (layout.columns[static_cast<std::size_t>(c)] < 0) return std::nullopt;
  }
  if (layout.periods.empty()) return std::nullopt;
  return layout;
}

std::optional<Decimal> value_of(const ParsedChunk& parsed, const RawFact& fact) {
  if (!(fact.flags & RawFact::k_has_value)) return std::nullopt;
  if (fact.flags & RawFact::k_wide) return parsed.wide[static_cast<std::size_t>(fact.mantissa)];
  return Decimal(fact.mantissa, fact.scale);
}

namespace {

/// The bits of RunSummary::asked_found that period code `period` sets: 1 the start asked for, 2
/// the end, 4 the period.
[[gnu::always_inline]] inline std::uint8_t asked_bits(std::int32_t period,
                                                      const AskedPeriods& asked) {
  return static_cast<std::uint8_t>((period == asked.from ? 1 : 0) | (period == asked.to ? 2 : 0) |
                                   (period == asked.at ? 4 : 0));
}

/// Adds fact `index` to the summary of its run, which its first fact started (RunSummary's
/// constructor: the only way a summary is started); `kind` is the fact's kind of period. Inline:
/// the row reader calls it for every row after a run's first, repeat_rows() with a constant kind
/// for years, which makes their step count a multiplication.
[[gnu::always_inline]] inline void extend_run(RunSummary& run, const RawFact& fact,
                                              std::uint32_t index, const AskedPeriods& asked,
                                              PeriodKind kind) {
  const std::int32_t period = fact.period;
  const std::uint8_t asked_here = asked_bits(period, asked);
  ++run.count;
  // The usual row of a sorted file: one step of its kind after the run's latest, in a simple
  // run, whose latest is its highest step, so that the row's step is the next one up.
  const std::int32_t step_code = 4 * months_per_step(kind);
  if (run.simple && (fact.flags & RawFact::k_same_unit) && period == run.latest + step_code &&
      std::countl_zero(run.periods) > 0) {
    run.latest = period;
    run.periods |= std::uint64_t{1} << (64 - std::countl_zero(run.periods));
    // (A period asked for and found before is below this one: no pick moves off it.)
    if (!(run.asked_found & 2)) run.picks[1] = index;
    if (!(run.asked_found & 4)) run.picks[2] = index;
    if (asked_here & 1) run.picks[0] = index;
    run.asked_found |= asked_here;
    return;
  }
  if (period < run.earliest) {
    run.earliest = period;
    if (!(run.asked_found & 1)) run.picks[0] = index;
  }
  if (period > run.latest) {
    run.latest = period;
    if (!(run.asked_found & 2)) run.picks[1] = index;
    if (!(run.asked_found & 4)) run.picks[2] = index;
  }
  for (int k = 0; k < 3; ++k) {
    if (asked_here & (1 << k)) run.picks[static_cast<std::size_t>(k)] = index;
  }
  run.asked_found |= asked_here;
  if (!run.simple) return;
  const std::int32_t offset = (period >> 2) - run.first_month;
  const bool same_kind = (period & 3) == (run.earliest & 3) && (period & 3) == (run.latest & 3);
  const std::int32_t steps = steps_in(offset, kind);
  if (!same_kind || !(fact.flags & RawFact::k_same_unit) || steps < 0 || steps >= 64 ||
      (run.periods & (std::uint64_t{1} << steps))) {
    run.simple = false;
    return;
  }
  run.periods |= std::uint64_t{1} << steps;
}

/// The rows of a chunk checked and turned into facts, the cells that repeat the row before
/// checked once.
class RowReader {
public:
  /// `compact`: compact the runs it reads quickly (parse_chunk()).
  /// `retired`: takes each fact written over when compacting (parse_chunk()).
  RowReader(ParsedChunk& parsed, const Layout& layout, const AskedPeriods& asked, bool compact,
            RetiredFacts* retired = nullptr)
      : m_parsed(parsed), m_text(parsed.chunk.text()), m_layout(layout), m_asked(asked),
        m_compact(compact), m_retired(retired), m_has_meta(layout.has_meta()) {
    plan_repeats();
  }

  /// Reads the rows from byte `pos` (line `line`) on that repeat the row before in every cell
  /// but the period (a year, quarter or month) and the value, a plain number (the rows of one
  /// series in a sorted file): each compared byte for byte with the row before, without
  /// splitting it. Returns where the first row that must be split and read by add() starts
  /// (`pos` when it is the first), `line` its line.
  std::size_t repeat_rows(std::size_t pos, std::size_t& line) {
    if (!m_valid || m_step_count == 0) return pos;
    std::size_t at_line = line;
    const std::size_t stop =
        m_standard ? repeat_rows_from<true>(pos, at_line) : repeat_rows_from<false>(pos, at_line);
    line = at_line;
    return stop;
  }

private:
  /// repeat_rows() past its first test, `line` a local of the caller's (not aliased by the facts);
  /// `k_standard`: the plan is that of the usual column order (entity, indicator, period,
  /// value, unit), known here, so that its steps unroll.
  template <bool k_standard> std::size_t repeat_rows_from(std::size_t pos, std::size_t& line) {
    const char* const begin = m_text.data();
    const char* const end = begin + m_text.size();
    const char* row = begin + pos;
    RunSummary* run = &m_parsed.summaries.back();
    const std::size_t steps = k_standard ? k_standard_plan.size() : m_step_count;
    RowCells repeat = m_repeat;
    const bool with_meta = m_has_meta;
#if defined(__SSE2__)
    // The usual order: the names with the comma after them, a year, a value, the unit with the
    // comma before it, compared and read without going step by step (the steps below read any
    // row this does not). Other plans have no such cells.
    std::string_view names, unit;
    std::size_t room = SIZE_MAX;
    auto plan_quick = [&] {
      names = std::string_view(repeat[0].data(), repeat[0].size() + 1);
      unit = std::string_view(repeat[3].data() - 1, repeat[3].size() + 1);
      room = names.size() + 5 + 16 + unit.size() + 2;
    };
    if constexpr (k_standard) plan_quick();
    // The text of the year after the last one the quick path read, and its code: a row of the
    // usual sorted file has that year, found by one compare instead of quick_year(). Bit 32 set
    // when there is none (no 4-byte load equals it): at first, and after a year ending in 9.
    std::uint64_t next_year = std::uint64_t{1} << 32;
    std::int32_t next_year_code = 0;
    // The shape of the last value the quick path read, tested first on the next (whether or
    // not the row of that value went on to be read the quick way: a shape is bytes only).
    ShapeTest value_shape;
    auto read_value = [&](const char*& at, std::int64_t& mantissa, std::int8_t& scale) {
      if (value_shape.matches(at)) {
        read_shaped(at, value_shape.shape, mantissa, scale);
        return true;
      }
      ValueShape shape;
      if (!quick_value(at, mantissa, scale, shape)) return false;
      value_shape.take(shape);
      return true;
    };
#endif
    while (row != end) {
      // The text two kilobytes on asked for now: the hardware's own prefetch stops at each
      // 4 KiB page, and every new page would otherwise stall the row that first reads it (a
      // prefetch never faults, past the text's end included).
      __builtin_prefetch(row + 2048);
      const char* p = row;
      std::int32_t period = 0;
      std::int64_t mantissa = 0;
      std::int8_t scale = 0;
#if defined(__SSE2__)
      if constexpr (k_standard) {
        const auto left = static_cast<std::size_t>(end - row);
        if (left >= names.size() && same_text(std::string_view(p, names.size()), names)) {
          std::uint32_t year_text = 0;
          if (left >= room) std::memcpy(&year_text, p + names.size(), 4);
          if (left >= room &&
              (year_text == next_year
                   ? (period = next_year_code, true)
                   : quick_year(std::string_view(p + names.size(), 4), period)) &&
              p[names.size() + 4] == ',') {
            // (The last digit one up, the first kept: the next year, 48 codes on, while the
            // last digit is not 9. Kept even when the row goes on to the slow path below: it
            // is a year read, whichever row it was.)
            next_year = (year_text >> 24) == '9' ? std::uint64_t{1} << 32
                                                 : std::uint64_t{year_text + (1U << 24)};
            next_year_code = period + 4 * 12;
            p += names.size() + 5;
            if (read_value(p, mantissa, scale) &&
                same_text(std::string_view(p, unit.size()), unit)) {
              p += unit.size();
              // (`room` leaves the two bytes a line end takes: no bounds to check.)
              if (const std::size_t ending = line_end_at(p, p + 2); ending != 0) {
                add_repeat(row, period, mantissa, scale, line, *run);
                // (Metadata columns after the unit: the row before's.)
                if (with_meta) m_parsed.meta.push_back(m_parsed.meta.back());
                ++line;
                row = p + ending;
                continue;
              }
            }
            p = row;
          }
        } else if (m_quick_heads) {
          // Another series (the steps below would stop at its names): its first row read here
          // when it is plain, the next rows compared with it.
          const char* next = quick_head(row, end, line, repeat);
          if (next == nullptr) return static_cast<std::size_t>(row - begin);
          plan_quick();
          run = &m_parsed.summaries.back();
          ++line;
          row = next;
          continue;
        }
      }
#endif
      for (std::size_t s = 0; s < steps; ++s) {
        switch (k_standard ? k_standard_plan[s] : m_steps[s]) {
        case Step::repeat: {
          const std::string_view before = repeat[s];
          if (static_cast<std::size_t>(end - p) <= before.size() ||
              !same_text(std::string_view(p, before.size()), before))
            return static_cast<std::size_t>(row - begin);
          p += before.size();
          break;
        }
        case Step::period: {
          // (Quoted or not: the cell's value ends at the closing quote, checked below.)
          const bool quoted = p != end && *p == '"';
          p += quoted ? 1 : 0;
          if (end - p < 5) return static_cast<std::size_t>(row - begin);
          if (quoted ? p[4] == '"' : p[4] == ',' || p[4] == '\n' || p[4] == '\r') {
            if (!quick_year(std::string_view(p, 4), period))
              return static_cast<std::size_t>(row - begin);
            p += 4;
          } else {
            // A quarter or a month: the cell up to its end (a separator or a quote).
            const char* stop = p + 4;
            while (stop != end && stop - p < 8 && *stop != ',' && *stop != '\n' && *stop != '\r' &&
                   *stop != '"')
              ++stop;
            if (!quick_period(std::string_view(p, static_cast<std::size_t>(stop - p)), period))
              return static_cast<std::size_t>(row - begin);
            p = stop;
          }
          if (quoted && (p == end || *p++ != '"')) return static_cast<std::size_t>(row - begin);
          break;
        }
        case Step::value: {
          const bool quoted = p != end && *p == '"';
          p += quoted ? 1 : 0;
          if (!read_plain_number(p, end, mantissa, scale) || (quoted && (p == end || *p++ != '"')))
            return static_cast<std::size_t>(row - begin);
          break;
        }
        case Step::line: {
          // Empty, or up to nine digits without a leading zero (parse_positive()).
          const char* digit = p;
          while (digit != end && digit - p < 10 && *digit >= '0' && *digit <= '9') ++digit;
          if (digit != p && (*p == '0' || digit - p > 9))
            return static_cast<std::size_t>(row - begin);
          p = digit;
          break;
        }
        }
        // The separator after the cell: a comma, or the line's end after the last cell.
        if (s + 1 < steps) {
          if (p == end || *p != ',') return static_cast<std::size_t>(row - begin);
          ++p;
        } else if (const std::size_t ending = line_end_at(p, end); ending != 0) {
          p += ending;
        } else {
          return static_cast<std::size_t>(row - begin);
        }
      }
      add_repeat(row, period, mantissa, scale, line, *run);
      // (Its metadata is the row before's: every cell of it but the line repeats.)
      if (with_meta) m_parsed.meta.push_back(m_parsed.meta.back());
      ++line;
      row = p;
    }
    return static_cast<std::size_t>(row - begin);
  }

  /// Appends the fact of a row read in place, from byte `row` of the text (line `line`), whose
  /// value is a plain number.
  [[gnu::always_inline]] RawFact& push_fact(const char* row, std::string_view unit,
                                            std::int32_t period, std::int64_t mantissa,
                                            std::int8_t scale, std::size_t line, std::uint8_t flags,
                                            Qualifiers qualifiers) {
    RawFact& fact = m_parsed.facts.emplace_back();
    fill_fact(fact, row, unit, period, mantissa, scale, line, flags, qualifiers);
    return fact;
  }

  /// Writes into `fact`, field by field, the fact of a row read in place (push_fact()).
  [[gnu::always_inline]] void fill_fact(RawFact& fact, const char* row, std::string_view unit,
                                        std::int32_t period, std::int64_t mantissa,
                                        std::int8_t scale, std::size_t line, std::uint8_t flags,
                                        Qualifiers qualifiers) {
    fact.unit = unit;
    fact.mantissa = mantissa;
    fact.period = period;
    fact.line = static_cast<std::uint32_t>(line);
    fact.line_start = static_cast<std::uint32_t>(row - m_text.data());
    fact.scale = scale;
    fact.flags = flags;
    fact.qualifiers = qualifiers;
  }

  /// Adds the fact of a row repeat_rows() read, from byte `row` of the text, to the run.
  [[gnu::always_inline]] void add_repeat(const char* row, std::int32_t period,
                                         std::int64_t mantissa, std::int8_t scale, std::size_t line,
                                         RunSummary& run) {
    if (m_compact && compact_into_last(row, period, mantissa, scale, line, run)) return;
    // The fact add() makes of such a row: same series, same unit, the qualifiers before.
    const RawFact& fact = push_fact(row, m_unit, period, mantissa, scale, line,
                                    RawFact::k_has_value | RawFact::k_same_unit, m_qualifiers);
    const auto index = static_cast<std::uint32_t>(m_parsed.facts.size() - 1);
    const auto kind = static_cast<PeriodKind>(period & 3);
    if (kind == PeriodKind::year) {
      extend_run(run, fact, index, m_asked, PeriodKind::year); // a constant: no division
    } else {
      extend_run(run, fact, index, m_asked, kind);
    }
  }

  /// Writes the fact of a row repeat_rows() read over the run's last fact and extends the run
  /// (what add_repeat() does, in the last fact's place), when that fact is not the run's first
  /// and no pick stays on it: the row is a year, the year after the run's latest, and the run
  /// is simple (extend_run()'s usual case, which moves the picks of the latest to the row).
  /// False, having changed nothing, otherwise.
  [[gnu::always_inline]] bool compact_into_last(const char* row, std::int32_t period,
                                                std::int64_t mantissa, std::int8_t scale,
                                                std::size_t line, RunSummary& run) {
    const auto last = static_cast<std::uint32_t>(m_parsed.facts.size() - 1);
    if (last == m_parsed.runs.back() || static_cast<PeriodKind>(period & 3) != PeriodKind::year ||
        !run.simple || period != run.latest + 4 * months_per_step(PeriodKind::year) ||
        std::countl_zero(run.periods) == 0)
      return false;
    const bool start_here = period == m_asked.from;
    if ((run.picks[0] == last && !start_here) || (run.picks[1] == last && (run.asked_found & 2)) ||
        (run.picks[2] == last && (run.asked_found & 4)))
      return false;
    RawFact& fact = m_parsed.facts[last];
    if (m_retired) m_retired->retire(m_parsed, m_parsed.runs.size() - 1, fact);
    fill_fact(fact, row, m_unit, period, mantissa, scale, line,
              RawFact::k_has_value | RawFact::k_same_unit, m_qualifiers);
    extend_run(run, fact, last, m_asked, PeriodKind::year);
    return true;
  }

#if defined(__SSE2__)
  /// Reads the first row of a series the quick way when the columns are exactly entity,
  /// indicator, period, value, unit: the entity of the row before or new text (UTF-8 up to the
  /// first comma, no byte the full reader must see), an indicator found good before, a year,
  /// a value quick_value() reads and a unit found good before, then LF or CRLF. Adds its fact and
  /// run as add() would and returns where the next row starts; nullptr (having changed
  /// nothing) for any other row, which split_blocks() and add() read. The caller has found
  /// that its entity and indicator are not the row before's as they lie in the text; when they
  /// are the same names (quoted in one row and not in the other), add() reads the row too. No
  /// byte past `end` is read.
  const char* quick_head(const char* row, const char* end, std::size_t line, RowCells& repeat) {
    const char* p = row;
    std::string_view entity;
    bool same_entity = false;
    // The names of rows add() or this read, followed by a comma in this row (a name read from a
    // quoted cell is followed by its closing quote where it lies).
    if (static_cast<std::size_t>(end - p) > m_entity.size() &&
        same_text(std::string_view(p, m_entity.size()), m_entity) && p[m_entity.size()] == ',') {
      entity = std::string_view(p, m_entity.size());
      same_entity = true;
    } else {
      const char* const stop = end - p > 64 ? p + 64 : end;
      const char* q = p;
      while (q != stop && *q != ',' && *q != '\n' && *q != '"' && *q != '\r' && *q != '\0') ++q;
      if (q == stop || *q != ',' || q == p) return nullptr;
      entity = std::string_view(p, static_cast<std::size_t>(q - p));
      same_entity = same_text(entity, m_entity);
      if (entity.size() > m_layout.csv.max_field_bytes || !text::is_valid_utf8(entity) ||
          schema::has_edge_space(entity))
        return nullptr;
    }
    p += entity.size() + 1;
    // The indicator: the one after the last found first, as known_indicator() tries them.
    auto indicator_at = [&](std::size_t k) {
      const std::string_view known = m_checked[k];
      return !known.empty() && static_cast<std::size_t>(end - p) > known.size() &&
             same_text(std::string_view(p, known.size()), known) && p[known.size()] == ',';
    };
    std::size_t slot = (m_last_known + 1) % m_checked.size();
    if (!indicator_at(slot)) {
      for (slot = 0; slot < m_checked.size() && !indicator_at(slot); ++slot) {
      }
      if (slot == m_checked.size()) return nullptr;
    }
    const std::string_view indicator(p, m_checked[slot].size());
    if (same_entity && same_text(indicator, m_indicator)) return nullptr; // the same series
    p += indicator.size() + 1;
    // The year and the value (16 bytes readable from the value on, 8 before it).
    std::int32_t period = 0;
    std::int64_t mantissa = 0;
    std::int8_t scale = 0;
    if (end - p < 5 + 16 || !quick_year(std::string_view(p, 4), period) || p[4] != ',')
      return nullptr;
    p += 5;
    ValueShape shape;
    if (!quick_value(p, mantissa, scale, shape)) return nullptr;
    ++p;
    // The unit last found with this indicator, or the row before's, then the line's end (LF or
    // CRLF: its length).
    std::size_t ending = 0;
    // (A unit read from a quoted cell may hold a comma: the same bytes unquoted are two cells.)
    auto unit_at = [&](std::string_view known) {
      if (known.empty() || static_cast<std::size_t>(end - p) <= known.size() ||
          !same_text(std::string_view(p, known.size()), known) ||
          known.find(',') != std::string_view::npos)
        return false;
      ending = line_end_at(p + known.size(), end);
      return ending != 0;
    };
    std::string_view known_unit = m_checked_unit[slot];
    if (!unit_at(known_unit)) {
      known_unit = m_unit;
      if (!unit_at(known_unit)) return nullptr;
    }
    const std::string_view unit(p, known_unit.size());
    p += unit.size() + ending;
    // What add() does with such a row: a new run (the row before was of another series), its
    // fact with no qualifiers.
    push_fact(row, unit, period, mantissa, scale, line, RawFact::k_has_value, Qualifiers());
    const auto index = static_cast<std::uint32_t>(m_parsed.facts.size() - 1);
    m_parsed.runs.push_back(index);
    // (Made whole in place: see RunSummary's constructor.)
    m_parsed.summaries.emplace_back(entity, indicator, same_entity ? 0 : entity_hash(entity),
                                    period, index, asked_bits(period, m_asked));
    m_entity = entity;
    m_indicator = indicator;
    m_unit = unit;
    m_qualifiers = Qualifiers();
    m_last_known = slot;
    m_checked_unit[slot] = unit;
    // The caller's copy of m_repeat too (set here, not copied back: that would read what was
    // just written, which stalls). Each from the value itself: `a = b = x` reads b back, 16
    // bytes where two stores of 8 wrote them, which the processor cannot forward either.
    const std::string_view names(entity.data(), entity.size() + 1 + indicator.size());
    m_repeat[0] = names;
    repeat[0] = names;
    m_repeat[3] = unit;
    repeat[3] = unit;
    return p;
  }
#endif

public:
  /// Adds the row of `fields` (line `line`, starting at byte `line_begin`); false when the full
  /// reader must read it (an error, or something the quick checks do not cover). `raw` are the
  /// cells as they lie in the text, quotes included (`fields` are their values): what
  /// repeat_rows() compares the next rows with.
  bool add(const RowCells& fields, const RowCells& raw, std::size_t line, std::size_t line_begin) {
    const std::size_t width = m_layout.width;
    for (std::size_t f = 0; f < width; ++f) {
      if (fields[f].size() > m_layout.csv.max_field_bytes) return false; // the reader's to report
    }
    auto cell = [&](int column) { return cell_of(fields, column); };
    std::string_view entity = cell(schema::c_entity);
    std::string_view indicator = cell(schema::c_indicator);
    std::string_view period_text = cell(schema::c_period);
    std::string_view value_text = cell(schema::c_value);
    std::string_view unit = cell(schema::c_unit);
    std::string_view qualifier_text = cell(schema::c_qualifiers);
    FactMeta meta;
    if (m_has_meta && !quick_meta(fields, meta)) return false;
    const bool same_entity = m_valid && same_text(entity, m_entity);
    const bool same_indicator = m_valid && same_text(indicator, m_indicator);
    const bool same_unit = m_valid && same_text(unit, m_unit);
    // Filled in place: a fact built aside and copied in costs more than reading the row.
    RawFact& fact = m_parsed.facts.emplace_back();
    // The quick way: the row repeats the qualifiers of the row before and has a checked
    // indicator, its period is a year, quarter or month and its value a plain number; new
    // entity or unit text is checked.
    bool quick =
        (qualifier_text.empty() || (m_valid && same_text(qualifier_text, m_qualifier_text))) &&
        quick_period(period_text, fact.period);
    if (quick && !same_indicator && !known_indicator(indicator)) {
      quick = is_snake_case_id(indicator);
      if (quick) remember_indicator(indicator);
    }
    if (quick && !value_text.empty()) {
      quick = quick_decimal(value_text, fact.mantissa, fact.scale);
      fact.flags = RawFact::k_has_value;
    }
    if (quick && !same_entity)
      quick = !entity.empty() && text::is_valid_utf8(entity) && !schema::has_edge_space(entity);
    if (quick && !same_unit)
      quick = !unit.empty() && text::is_valid_utf8(unit) && !schema::has_edge_space(unit);
    if (quick) {
      fact.qualifiers = qualifier_text.empty() ? Qualifiers() : m_qualifiers;
    } else if (!check_fully(fields, line_begin, fact)) {
      m_parsed.facts.pop_back();
      return false;
    }
    if (m_has_meta) m_parsed.meta.push_back(meta);
    // Rows of one series usually come together: mark where each run starts, so that the
    // series is looked up once per run.
    const bool same_series = same_entity && same_indicator;
    const auto index = static_cast<std::uint32_t>(m_parsed.facts.size() - 1);
    if (same_series && same_unit) fact.flags |= RawFact::k_same_unit;
    fact.unit = unit;
    fact.line = static_cast<std::uint32_t>(line);
    fact.line_start = static_cast<std::uint32_t>(line_begin);
    if (same_series) {
      extend_run(m_parsed.summaries.back(), fact, index, m_asked,
                 static_cast<PeriodKind>(fact.period & 3));
    } else {
      m_parsed.runs.push_back(index);
      m_parsed.summaries.emplace_back(entity, indicator, same_entity ? 0 : entity_hash(entity),
                                      fact.period, index, asked_bits(fact.period, m_asked));
    }
    m_entity = entity;
    m_indicator = indicator;
    m_unit = unit;
    m_qualifier_text = qualifier_text;
    m_qualifiers = fact.qualifiers;
    m_valid = true;
    // The unit quick_head() tries first with this indicator.
    if (same_text(m_checked[m_last_known], indicator)) m_checked_unit[m_last_known] = unit;
    for (std::size_t s = 0; s < m_step_count; ++s) {
      if (m_steps[s] != Step::repeat) continue;
      const std::string_view first = raw[m_step_first[s]], last = raw[m_step_last[s]];
      m_repeat[s] = std::string_view(
          first.data(), static_cast<std::size_t>(last.data() + last.size() - first.data()));
    }
    return true;
  }

private:
  /// The cell of core column `column` in a row's `fields`; empty when the file lacks the column.
  std::string_view cell_of(const RowCells& fields, int column) const {
    const int at = m_layout.columns[static_cast<std::size_t>(column)];
    return at < 0 ? std::string_view{} : fields[static_cast<std::size_t>(at)];
  }

  /// The metadata cells of a row the quick way (read_meta()'s checks): its reported_rank and
  /// source_line empty or positive whole numbers, its other cells UTF-8 (a cell equal to the
  /// row before's was found so then). False for anything the full reader must report.
  bool quick_meta(const RowCells& fields, FactMeta& meta) {
    auto cell = [&](int column) {
      const int at = m_layout.meta[static_cast<std::size_t>(column)];
      return at < 0 ? std::string_view{} : fields[static_cast<std::size_t>(at)];
    };
    std::int32_t rank = 0;
    for (const int column : {schema::m_reported_rank, schema::m_source_line}) {
      const std::string_view text = cell(column);
      if (text.empty()) continue;
      const std::optional<int> number = schema::parse_positive(text);
      if (!number) return false;
      if (column == schema::m_reported_rank) rank = *number;
    }
    for (std::size_t k = 0; k < k_meta_texts.size(); ++k) {
      const std::string_view text = cell(k_meta_texts[k]);
      if (!same_text(text, m_meta_before[k]) && !text::is_valid_utf8(text)) return false;
      m_meta_before[k] = text;
    }
    meta.rank_scope = m_meta_before[0];
    meta.category = m_meta_before[1];
    meta.name_zh = m_meta_before[2];
    meta.name_en = m_meta_before[3];
    meta.reported_rank = rank;
    return true;
  }

  /// The full checks of a row the quick way does not cover: its bytes are UTF-8 (the reader's
  /// rule), then every cell; fills `fact`, or returns false. Kept out of add() (rarely called,
  /// it would only weigh on the quick way's registers and stack).
  [[gnu::noinline]] bool check_fully(const RowCells& fields, std::size_t line_begin,
                                     RawFact& fact) {
    const std::string_view& last = fields[m_layout.width - 1];
    std::string_view row(
        m_text.data() + line_begin,
        static_cast<std::size_t>(last.data() + last.size() - (m_text.data() + line_begin)));
    std::array<std::string_view, schema::k_core_columns> cells;
    for (int c = 0; c < schema::k_core_columns; ++c)
      cells[static_cast<std::size_t>(c)] = cell_of(fields, c);
    schema::CoreCells core;
    schema::CellError bad;
    if (!text::is_valid_utf8(row) || !schema::parse_core(cells, core, bad)) return false;
    remember_indicator(cells[schema::c_indicator]);
    set_core(m_parsed, fact, core);
    return true;
  }

  /// True when `indicator` is one of the last few found good. The one after the last found is
  /// tried first: files sorted by entity go through their indicators in turn.
  bool known_indicator(std::string_view indicator) {
    if (indicator.empty()) return false;
    const std::size_t next = (m_last_known + 1) % m_checked.size();
    if (same_text(m_checked[next], indicator)) {
      m_last_known = next;
      return true;
    }
    for (std::size_t k = 0; k < m_checked.size(); ++k) {
      if (same_text(m_checked[k], indicator)) {
        m_last_known = k;
        return true;
      }
    }
    return false;
  }
  /// Remembers a good indicator, forgetting the oldest.
  void remember_indicator(std::string_view indicator) {
    m_last_known = m_next_checked;
    m_checked[m_next_checked] = indicator;
    m_next_checked = (m_next_checked + 1) % m_checked.size();
  }

  /// What repeat_rows() reads, cell after cell: bytes equal to the row before's (neighbouring
  /// cells that repeat taken together, with the commas between them), a period, a value, or a
  /// source_line (empty or a positive whole number, which read_meta() checks alike).
  enum class Step : std::uint8_t { repeat, period, value, line };

  /// The plan of the usual column order: entity and indicator, period, value, unit.
  static constexpr std::array<Step, 4> k_standard_plan = {Step::repeat, Step::period, Step::value,
                                                          Step::repeat};

  /// Plans repeat_rows() for the layout: none when a cell may be longer than the limit allows.
  /// A row with metadata repeats the row before's metadata but for its source_line.
  void plan_repeats() {
    if (m_layout.width > k_max_quick_width || m_layout.csv.max_field_bytes < 24) return;
    std::array<Step, k_max_quick_width> role;
    role.fill(Step::repeat);
    role[static_cast<std::size_t>(m_layout.columns[schema::c_period])] = Step::period;
    role[static_cast<std::size_t>(m_layout.columns[schema::c_value])] = Step::value;
    if (const int at = m_layout.meta[schema::m_source_line]; at >= 0)
      role[static_cast<std::size_t>(at)] = Step::line;
    for (std::size_t f = 0; f < m_layout.width; ++f) {
      const Step step = role[f];
      if (step == Step::repeat && m_step_count > 0 && m_steps[m_step_count - 1] == Step::repeat) {
        m_step_last[m_step_count - 1] = f;
        continue;
      }
      m_steps[m_step_count] = step;
      m_step_first[m_step_count] = m_step_last[m_step_count] = f;
      ++m_step_count;
    }
    m_standard = m_step_count == k_standard_plan.size() &&
                 std::equal(k_standard_plan.begin(), k_standard_plan.end(), m_steps.begin());
    // quick_head(): exactly these five columns in this order.
    m_quick_heads = m_standard && m_layout.width == 5;
    for (int c = 0; c < schema::c_qualifiers; ++c) {
      if (m_layout.columns[static_cast<std::size_t>(c)] != c) m_quick_heads = false;
    }
  }

  ParsedChunk& m_parsed;
  std::string_view m_text; ///< the chunk's text
  const Layout& m_layout;
  const AskedPeriods& m_asked;
  bool m_compact = false;
  RetiredFacts* m_retired = nullptr;            ///< takes each fact compact_into_last() writes over
  std::array<std::string_view, 16> m_checked{}; ///< indicators found good (in the chunk's text)
  std::array<std::string_view, 16> m_checked_unit{}; ///< a unit found good with each (or none)
  std::size_t m_next_checked = 0;
  std::size_t m_last_known = 0; ///< where known_indicator() found the last
  // The row before, when it was read here.
  bool m_valid = false;
  std::string_view m_entity, m_indicator, m_unit, m_qualifier_text;
  Qualifiers m_qualifiers;
  // repeat_rows()'s plan, and the bytes of the row before that each repeat step compares.
  std::array<Step, k_max_quick_width> m_steps{};
  std::array<std::size_t, k_max_quick_width> m_step_first{}, m_step_last{};
  std::size_t m_step_count = 0;
  bool m_standard = false; ///< the plan is k_standard_plan
  bool m_quick_heads = false; ///< the columns are entity, indicator, period, value, unit
  RowCells m_repeat{};
  /// The metadata columns whose cells quick_meta() checks as text, FactMeta's first.
  static constexpr std::array<int, 5> k_meta_texts = {schema::m_rank_scope, schema::m_category,
                                                      schema::m_name_zh, schema::m_name_en,
                                                      schema::m_source};
  bool m_has_meta = false; ///< the layout has metadata columns: every fact has its FactMeta
  std::array<std::string_view, k_meta_texts.size()> m_meta_before{}; ///< the row before's
};

/// How split_blocks() stopped.
enum class Stop { end, full_reader, repeat };

/// Splits the records of a chunk from byte `pos` at commas and newlines, 64 bytes at a time,
/// and reads them with `rows`, until the end (Stop::end), a line the full reader must take over
/// (a quote other than two around a whole cell on one line, a lone CR, a NUL, a wrong field
/// count or a bad cell: Stop::full_reader, `pos` its start), or rows that repeat the one before
/// (Stop::repeat, read by repeat_rows(), `pos` after them). `line` ends as the number of the
/// line after the last one read.
Stop split_blocks(std::string_view text, std::size_t& pos, std::size_t width, RowReader& rows,
                  std::size_t& line) {
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  RowCells fields, raw;
  std::size_t count = 0, line_begin = pos, field_begin = pos;
  std::size_t limit = SIZE_MAX; // the first special byte
  // A cell quoted whole ("...", with no quote and no line break inside) is read here, its value
  // what lies between its quotes; the commas inside do not split it.
  bool in_quotes = false;  // the blocks so far end inside a quoted cell
  std::size_t quotes = 0;  // quotes of the current cell in the blocks before this one
  bool row_quoted = false; // a cell of the row was quoted: `raw` holds its cells as they lie
  auto field = [&](std::size_t begin, std::size_t end) {
    return std::string_view(text.data() + begin, end - begin);
  };
  auto full_reader = [&] {
    pos = line_begin;
    return Stop::full_reader;
  };
  // Takes the cell from `begin` to `end`, which holds `quoted` quotes; false when they are not
  // two around it.
  auto take = [&](std::size_t begin, std::size_t end, std::size_t quoted) {
    const std::string_view cell = field(begin, end);
    if (quoted == 0) {
      fields[count] = cell;
      if (row_quoted) raw[count] = cell;
    } else {
      if (quoted != 2 || cell.size() < 2 || cell.front() != '"' || cell.back() != '"') return false;
      if (!row_quoted) std::copy_n(fields.begin(), count, raw.begin());
      row_quoted = true;
      fields[count] = cell.substr(1, cell.size() - 2);
      raw[count] = cell;
    }
    ++count;
    return true;
  };
  for (std::size_t base = pos; base < size; base += 64) {
    BlockMasks masks;
    if (size - base > 64) {
      masks = scan_block(data + base, data[base + 64]);
    } else {
      // The last block: padded with NULs that are masked out again.
      std::array<unsigned char, 64> tail{};
      std::memcpy(tail.data(), data + base, size - base);
      masks = scan_block(tail.data(), 0);
      std::uint64_t inside = size - base == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (size - base)) - 1;
      masks.separators &= inside;
      masks.newlines &= inside;
      masks.special &= inside;
    }
    if (masks.quotes != 0 || in_quotes) {
      // What lies inside quotes separates nothing, and a line break there is the full reader's.
      const std::uint64_t inside = prefix_xor(masks.quotes) ^ (in_quotes ? ~std::uint64_t{0} : 0);
      in_quotes = (inside >> 63) != 0;
      masks.special |= masks.newlines & inside;
      masks.separators &= ~inside;
      masks.newlines &= ~inside;
    }
    if (masks.special && limit == SIZE_MAX) limit = base + static_cast<std::size_t>(std::countr_zero(masks.special));
    for (std::uint64_t bits = masks.separators; bits; bits &= bits - 1) {
      const int bit = std::countr_zero(bits);
      const std::size_t at = base + static_cast<std::size_t>(bit);
      if (at > limit) return full_reader();
      std::size_t quoted = 0;
      if (masks.quotes != 0 || quotes != 0) {
        const std::size_t from = field_begin > base ? field_begin - base : 0;
        quoted = quotes + static_cast<std::size_t>(std::popcount(
                              masks.quotes & bits_between(from, static_cast<std::size_t>(bit))));
        quotes = 0;
      }
      if (!((masks.newlines >> bit) & 1)) {
        if (count + 1 >= width || !take(field_begin, at, quoted)) return full_reader();
        field_begin = at + 1;
        continue;
      }
      // CRLF: the CR is part of the line ending.
      const std::size_t end = at > field_begin && data[at - 1] == '\r' ? at - 1 : at;
      const bool blank = count == 0 && end == line_begin; // skipped, as the reader does
      if (!blank) {
        if (!take(field_begin, end, quoted) || count != width ||
            !rows.add(fields, row_quoted ? raw : fields, line, line_begin))
          return full_reader();
      }
      count = 0;
      row_quoted = false;
      ++line;
      line_begin = field_begin = at + 1;
      if (!blank) {
        // The rows of a series that follow are read without splitting them.
        const std::size_t next = rows.repeat_rows(line_begin, line);
        if (next != line_begin) {
          pos = next;
          return Stop::repeat;
        }
      }
    }
    // The quotes of the cell that goes on into the next block.
    if (masks.quotes != 0 && field_begin < base + 64) {
      const std::size_t from = field_begin > base ? field_begin - base : 0;
      quotes += static_cast<std::size_t>(std::popcount(masks.quotes & bits_between(from, 64)));
    }
  }
  if (line_begin < size) { // the last line has no newline
    // (A quote still open here is in the last cell, which take() turns down.)
    if (limit != SIZE_MAX) return full_reader();
    if (!take(field_begin, size, quotes) || count != width ||
        !rows.add(fields, row_quoted ? raw : fields, line, line_begin))
      return full_reader();
    ++line;
  }
  return Stop::end;
}

/// Reads the records of a chunk from byte `start`: rows that repeat the row before with
/// repeat_rows(), the others split by split_blocks(). Returns where the full reader must take
/// over, or nullopt at the end; `line` ends as the number of the line after the last one read.
std::optional<std::size_t> split_rows(std::string_view text, std::size_t start, std::size_t width,
                                      RowReader& rows, std::size_t& line) {
  if (width > k_max_quick_width) return start;
  std::size_t pos = rows.repeat_rows(start, line);
  for (;;) {
    if (pos >= text.size()) return std::nullopt;
    // (After Stop::repeat, `pos` is a row repeat_rows() has just turned down, and would again.)
    switch (split_blocks(text, pos, width, rows, line)) {
    case Stop::end: return std::nullopt;
    case Stop::full_reader: return pos;
    case Stop::repeat: break;
    }
  }
}

} // namespace

void parse_chunk(ParsedChunk& parsed, const Layout& layout, std::size_t start,
                 std::size_t first_line, const std::string& source, const AskedPeriods& asked,
                 bool compact, RetiredFacts* retired) {
  const std::string_view text = parsed.chunk.text();
  parsed.quotes_open = false;
  parsed.parsed_again = false;
  std::optional<std::size_t> rest;
  std::size_t line = first_line;
  if (layout.periods.empty()) {
    // A fact per 40 bytes, rounded up to 4096 facts: pieces a few bytes apart in size ask
    // for the same room, and a recycled job's buffer serves again instead of a new one being
    // mapped (and every page of it faulted in) for a piece one fact longer than the last.
    constexpr std::size_t k_facts_step = 4096;
    parsed.facts.reserve((text.size() / 40 + k_facts_step - 1) / k_facts_step * k_facts_step);
    // A run per 8 such rows (a sorted file of yearly series has one per 5 to 20), the summaries
    // given at least one huge page: grown from nothing, in the first pieces (before the jobs
    // are recycled), they faulted in a 4 KiB page every 46 runs, three quarters of the page
    // faults of `rank` on a 1M-row file (bench/README.md, "Page faults of the first pieces").
    const std::size_t runs =
        std::max((text.size() / 320 + k_facts_step - 1) / k_facts_step * k_facts_step,
                 (k_huge_page + sizeof(RunSummary) - 1) / sizeof(RunSummary));
    parsed.summaries.reserve(runs);
    parsed.runs.reserve(runs);
    // (Rows with metadata are not compacted: the store reads them fact by fact.)
    if (layout.has_meta()) compact = false;
    RowReader rows(parsed, layout, asked, compact, compact ? retired : nullptr);
    rest = split_rows(text, start, layout.width, rows, line);
    // The quick part is read again, not compacted, when a compacted run needs all its facts:
    // - the full reader goes on from here, and the last quick run is summed up again from its
    //   facts below;
    // - a run compacted and then no longer simple (a year going back or repeated, a unit that
    //   changes, more than 64 years), which any store goes through fact by fact: read again
    //   here, on the parser's core, rather than every input again (FactsLeftOut).
    bool again = false;
    for (std::size_t r = 0; compact && !again && r < parsed.runs.size(); ++r) {
      again = compacted(parsed, r) &&
              (!parsed.summaries[r].simple || (rest && r + 1 == parsed.runs.size()));
    }
    if (again) {
      if (retired) retired->restart();
      parsed.parsed_again = true;
      parsed.facts.clear();
      parsed.runs.clear();
      parsed.summaries.clear();
      parsed.wide.clear();
      parsed.meta.clear();
      line = first_line;
      RowReader whole(parsed, layout, asked, false);
      rest = split_rows(text, start, layout.width, whole, line);
    }
    if (!rest) {
      parsed.lines = line - first_line; // (read quickly: no line break inside quotes)
      return;
    }
  } else {
    rest = start; // a wide table: the full reader's, every row
  }
  // The quick reader reads no quotes but pairs around whole cells of one line: it stops at the
  // start of a record, outside quotes (as `start` is, after the header), so the quotes from there,
  // followed as the full reader follows them, say whether the piece was cut inside a quoted field.
  if (parsed.chunk.cut_blindly)
    parsed.quotes_open = sources::ends_inside_quotes(text.substr(*rest));
  const std::size_t quick_runs = parsed.summaries.size();
  if (layout.periods.empty()) {
    parse_generic(parsed, layout, *rest, line, source, parsed.arena);
  } else {
    parse_wide(parsed, layout, *rest, line, source, parsed.arena);
  }
  // Sum up the runs the full reader added, and the last quick one again: it may have gone on.
  for (std::size_t r = quick_runs == 0 ? 0 : quick_runs - 1; r < parsed.runs.size(); ++r) {
    const std::uint32_t begin = parsed.runs[r];
    const auto end = static_cast<std::uint32_t>(r + 1 < parsed.runs.size() ? parsed.runs[r + 1] : parsed.facts.size());
    // (A run holds at least its first fact: runs get an index as a fact is added.)
    RunSummary& run = parsed.summaries[r];
    const std::int32_t first = parsed.facts[begin].period;
    run = RunSummary(run.entity, run.indicator, run.entity_hash, first, begin,
                     asked_bits(first, asked));
    for (std::uint32_t i = begin + 1; i < end; ++i) {
      const RawFact& fact = parsed.facts[i];
      extend_run(run, fact, i, asked, static_cast<PeriodKind>(fact.period & 3));
    }
  }
  parsed.lines = line - first_line + jjstat::text::count_byte(text.substr(*rest), '\n');
}

Location locate_in_chunk(const ParsedChunk& parsed, std::size_t line, std::size_t line_start,
                         std::size_t offset, const std::string& source) {
  std::string_view text = parsed.chunk.text();
  std::size_t end = text.find('\n', line_start);
  std::string_view line_text = text.substr(line_start, end == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
  Location where;
  where.source = source;
  where.line = line;
  where.column = 1 + text::codepoint_count(line_text.substr(0, offset - line_start));
  set_line_text(where, line_text);
  return where;
}

} // namespace jjstat::engine
