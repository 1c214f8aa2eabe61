#pragma once
/// RFC 4180 CSV: a reader over text (never a file) that knows lines and columns, and a field
/// writer.

#include "jjstat/error.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jjstat::csv {

/// What to do with a `"` inside an unquoted field (`ab"c`).
enum class QuotePolicy {
  strict,  ///< an error (RFC 4180 section 2.5)
  lenient, ///< kept as a literal character, as Python's csv module does
};

/// Reader settings; the defaults are the documented ones.
struct Options {
  char delimiter = ',';
  QuotePolicy quotes = QuotePolicy::strict;
  std::size_t max_field_bytes = std::size_t{1} << 20; ///< a longer field is an error
  std::size_t max_columns = 10000;                    ///< a record with more fields is an error
  bool file_start = true; ///< the text starts a file (a byte order mark is looked for there)
};

/// One record: its fields (unquoted, `""` undoubled) and where each field starts.
struct Record {
  std::vector<std::string_view> fields; ///< valid until the next call of Reader::next
  std::vector<std::size_t> offsets;     ///< byte offset in the text of each field's first byte
  std::size_t line = 0;                 ///< physical line (1-based) where the record starts
};

/// Reads records one at a time from UTF-8 text; every error is a DataError with a location.
class Reader {
public:
  /// A reader of `text`, named `source` in errors; skips one leading UTF-8 BOM, throws a
  /// DataError on a UTF-16 or UTF-32 one and a UsageError on a delimiter that cannot be one.
  Reader(std::string_view text, std::string source, Options options = {});
  /// Reads the next record into `record`; false at the end of the text.
  bool next(Record& record);
  /// The location (line, column, line text) of a byte offset of the text.
  Location locate(std::size_t offset) const;
  /// The name used in errors.
  const std::string& source() const { return m_source; }
  /// The text being read.
  std::string_view text() const { return m_text; }

private:
  /// A field of the current record that had doubled quotes, unescaped into m_buffer.
  struct Unescaped {
    std::size_t field;  ///< its index in the record
    std::size_t offset; ///< where it starts in m_buffer
  };

  /// Throws a DataError at byte `offset` of the text.
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const;
  /// Throws the DataError for the invalid UTF-8 byte at `offset`.
  [[noreturn]] void fail_invalid_utf8(std::size_t offset) const;
  /// Reads the unquoted field starting at m_pos; returns the offset of the byte that ends it.
  std::size_t scan_unquoted();
  /// Reads the quoted field whose opening quote is at m_pos into `record`; returns the offset
  /// of the byte after its closing quote.
  std::size_t scan_quoted(Record& record);
  /// Fails unless the byte at `offset`, after a closing quote, may follow one.
  void check_after_closing_quote(std::size_t offset) const;

  std::string_view m_text;
  std::string m_source;
  Options m_options;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::size_t m_first_line_start = 0; ///< 3 after a UTF-8 byte order mark, else 0
  std::string m_buffer;               ///< unescaped fields of the current record
  std::vector<Unescaped> m_unescaped; ///< which fields of the current record are in m_buffer
  std::array<unsigned char, 256> m_unquoted_class{}; ///< what each byte means in an unquoted field
};

/// Every record of `text` as strings (convenience for tests and small files).
std::vector<std::vector<std::string>> parse(std::string_view text, const std::string& source,
                                            Options options = {});

/// Appends `field` to `out`, quoted per RFC 4180 when it holds the delimiter, a quote, CR or LF
/// (or starts with a byte order mark).
void append_field(std::string& out, std::string_view field, char delimiter = ',');
/// True when append_field writes `field` as it is, unquoted.
bool plain_field(std::string_view field, char delimiter = ',');

/// Appends `field` to `out` as a TSV field: tab, LF, CR and backslash escaped as \t \n \r \\.
void append_tsv_field(std::string& out, std::string_view field);
/// True when append_tsv_field writes `field` as it is, nothing escaped.
bool plain_tsv_field(std::string_view field);

} // namespace jjstat::csv
