#include "jjstat/text.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

using namespace jjstat::text;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(count_byte_counts_every_match) {
  // Lengths around the 16-byte blocks and the 255-block sums, matches at both ends, bytes with
  // the high bit set (signed char), a byte matching in every lane of 300 blocks.
  for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 31U, 4080U, 4081U, 4096U, 5000U}) {
    std::string text(size, 'a');
    std::size_t quotes = 0, high = 0;
    for (std::size_t i = 0; i < size; ++i) {
      if (i % 7 == 0 || i + 1 == size) {
        text[i] = '"';
        ++quotes;
      } else if (i % 11 == 3) {
        text[i] = '\xE5';
        ++high;
      }
    }
    BOOST_TEST(jjstat::text::count_byte(text, '"') == quotes);
    BOOST_TEST(jjstat::text::count_byte(text, '\xE5') == high);
    BOOST_TEST(jjstat::text::count_byte(text, '\n') == 0U);
  }
  const std::string lines(16 * 300 + 5, '\n');
  BOOST_TEST(jjstat::text::count_byte(lines, '\n') == lines.size());
  BOOST_TEST(jjstat::text::count_byte(std::string_view(lines).substr(3), '\n') == lines.size() - 3);
}

BOOST_AUTO_TEST_CASE(ascii_is_one_column_per_character) {
  BOOST_TEST(display_width("") == 0u);
  BOOST_TEST(display_width("Jiangjin 2023") == 13u);
  BOOST_TEST(codepoint_count("Jiangjin 2023") == 13u);
}

BOOST_AUTO_TEST_CASE(chinese_hangul_and_fullwidth_are_two_columns) {
  BOOST_TEST(display_width("江津区") == 6u);
  BOOST_TEST(codepoint_count("江津区") == 3u);
  BOOST_TEST(display_width("한국어") == 6u);
  BOOST_TEST(display_width("ＡＢＣ１２３") == 12u);
  BOOST_TEST(display_width("江津 Jiangjin") == 13u);
  BOOST_TEST(display_width("、。「」") == 8u);   // CJK punctuation
  BOOST_TEST(display_width("\U00020000") == 2u); // CJK extension B
  BOOST_TEST(codepoint_width(0x3000) == 2);      // ideographic space
  BOOST_TEST(codepoint_width(0x303F) == 1);      // just past the wide punctuation block
  BOOST_TEST(codepoint_width(0xFF61) == 1);      // halfwidth katakana punctuation
}

BOOST_AUTO_TEST_CASE(emoji_are_two_columns) {
  BOOST_TEST(display_width("😀") == 2u);
  BOOST_TEST(display_width("🚀") == 2u);
  BOOST_TEST(display_width("🦀") == 2u);
  BOOST_TEST(display_width("🪐") == 2u);
}

BOOST_AUTO_TEST_CASE(combining_marks_and_joiners_are_zero_columns) {
  BOOST_TEST(display_width("e\u0301") == 1u);
  BOOST_TEST(codepoint_count("e\u0301") == 2u);
  BOOST_TEST(display_width("\u05e9\u05c1") == 1u); // Hebrew shin with a point
  BOOST_TEST(codepoint_width(0x200D) == 0);        // zero width joiner
  BOOST_TEST(codepoint_width(0x200B) == 0);        // zero width space
  BOOST_TEST(codepoint_width(0xFEFF) == 0);
  BOOST_TEST(codepoint_width(0xFE0F) == 0);
  BOOST_TEST(codepoint_width(0xE0100) == 0);
  BOOST_TEST(codepoint_width(0x3099) == 0); // combining kana mark inside a wide block
  // A ZWJ sequence is measured code point by code point (no grapheme clusters): the parts are
  // 2 + 0 + 2 + 0 + 2 columns, which is what terminals without ZWJ support show.
  BOOST_TEST(display_width("👨") == 2u);
  BOOST_TEST(display_width("\u200d") == 0u);
  BOOST_TEST(display_width("👨\u200d👩\u200d👧") == 6u);
}

BOOST_AUTO_TEST_CASE(controls_are_zero_columns) {
  BOOST_TEST(codepoint_width(0x1B) == 0);
  BOOST_TEST(codepoint_width(0x7F) == 0);
  BOOST_TEST(codepoint_width(0x85) == 0);
  BOOST_TEST(codepoint_width(0xA0) == 1);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_are_one_column_each) {
  BOOST_TEST(display_width("\xff") == 1u);
  BOOST_TEST(display_width("\xc3") == 1u);         // truncated two-byte sequence
  BOOST_TEST(display_width("\xc0\xaf") == 2u);     // overlong '/'
  BOOST_TEST(display_width("a\xe6\xb1") == 3u);    // truncated 江
  BOOST_TEST(display_width("\xe6\xb1!") == 3u);    // decoding resumes at the next byte
  BOOST_TEST(display_width("\xed\xa0\x80") == 3u); // surrogate
  BOOST_TEST(codepoint_count("\xff江") == 2u);
  BOOST_TEST(codepoint_count("\xc0\xaf") == 2u);
}

BOOST_AUTO_TEST_CASE(strict_utf8_validation) {
  BOOST_TEST(is_valid_utf8(""));
  BOOST_TEST(is_valid_utf8("江津 ʤ 😀"));
  BOOST_TEST(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  BOOST_TEST(is_valid_utf8("\xee\x80\x80"));      // U+E000, just past the surrogates
  BOOST_TEST(!is_valid_utf8("\xc0\xaf"));         // overlong
  BOOST_TEST(!is_valid_utf8("\xc1\xbf"));         // overlong
  BOOST_TEST(!is_valid_utf8("\xe0\x80\xaf"));     // overlong
  BOOST_TEST(!is_valid_utf8("\xf0\x80\x80\xaf")); // overlong
  BOOST_TEST(!is_valid_utf8("\xed\xa0\x80"));     // surrogate U+D800
  BOOST_TEST(!is_valid_utf8("\xf4\x90\x80\x80")); // U+110000
  BOOST_TEST(!is_valid_utf8("\xf5\x80\x80\x80"));
  BOOST_TEST(!is_valid_utf8("\xc3"));     // truncated
  BOOST_TEST(!is_valid_utf8("\xe6\xb1")); // truncated
  BOOST_TEST(!is_valid_utf8("a\x80"));    // stray continuation byte
  BOOST_TEST(!is_valid_utf8("\xe6\xb1!"));
}

BOOST_AUTO_TEST_CASE(utf8_char_length_of_the_first_character) {
  BOOST_TEST(utf8_char_length("") == 0u);
  BOOST_TEST(utf8_char_length("a") == 1u);
  BOOST_TEST(utf8_char_length("ʤx") == 2u);
  BOOST_TEST(utf8_char_length("江津") == 3u);
  BOOST_TEST(utf8_char_length("😀") == 4u);
  BOOST_TEST(utf8_char_length("\xc0\xac") == 0u);
  BOOST_TEST(utf8_char_length("\x80") == 0u);
}

BOOST_AUTO_TEST_CASE(escapes_for_the_terminal) {
  BOOST_TEST(escape_for_terminal("\x1b[31mred") == "\\x1b[31mred");
  BOOST_TEST(escape_for_terminal("\a") == "\\x07");
  BOOST_TEST(escape_for_terminal("\x7f") == "\\x7f");
  BOOST_TEST(escape_for_terminal(std::string(1, '\0')) == "\\x00");
  BOOST_TEST(escape_for_terminal("a\tb\nc\rd") == "a\\tb\\nc\\rd");
  BOOST_TEST(escape_for_terminal("\xc2\x85") == "\\x85"); // C1 control NEL
  BOOST_TEST(escape_for_terminal("abc\u202edef") == "abc\\u{202e}def");
  BOOST_TEST(escape_for_terminal("\u2066\u200f\u061c") == "\\u{2066}\\u{200f}\\u{61c}");
  // Invisible spaces: a byte-order mark inside a header, a zero-width space, a word joiner; not
  // the zero-width joiner of an emoji sequence.
  BOOST_TEST(escape_for_terminal("\ufeffentity") == "\\u{feff}entity");
  BOOST_TEST(escape_for_terminal("a\u200bb\u2060c") == "a\\u{200b}b\\u{2060}c");
  BOOST_TEST(escape_for_terminal("👩\u200d💻") == "👩\u200d💻");
  BOOST_TEST(escape_for_terminal("\xff") == "\\xff");
  BOOST_TEST(escape_for_terminal("\xc0\xaf") == "\\xc0\\xaf");
  BOOST_TEST(escape_for_terminal("x\xe6\xb1") == "x\\xe6\\xb1");
  BOOST_TEST(escape_for_terminal("江津 e\u0301 😀") == "江津 e\u0301 😀");
  // A backslash is not doubled, so "\x1b" typed literally looks like an escaped ESC.
  BOOST_TEST(escape_for_terminal("C:\\data\\x1b") == "C:\\data\\x1b");
}

BOOST_AUTO_TEST_CASE(truncation_never_splits_a_character) {
  BOOST_TEST(truncate_to_width("江津区团结湖", 12) == "江津区团结湖");
  BOOST_TEST(truncate_to_width("江津区团结湖", 11) == "江津区团结…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 10) == "江津区团…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 8) == "江津区…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 7) == "江津区…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 2) == "…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 1) == "…");
  BOOST_TEST(truncate_to_width("江津区团结湖", 0) == "");
  BOOST_TEST(truncate_to_width("abcdef", 4) == "abc…");
  BOOST_TEST(truncate_to_width("abcdef", 6) == "abcdef");
  BOOST_TEST(truncate_to_width("", 0) == "");
  const std::string mixed = "a江\xffz😀e\u0301b";
  for (std::size_t width = 0; width <= 10; ++width) {
    const std::string cut = truncate_to_width(mixed, width);
    BOOST_TEST_CONTEXT("width " << width) {
      BOOST_TEST(display_width(cut) <= width);
      BOOST_TEST(mixed.starts_with(cut.substr(0, cut.size() - (cut.ends_with("…") ? 3 : 0))));
    }
  }
}

BOOST_AUTO_TEST_CASE(truncation_keeps_combining_marks_with_their_base) {
  BOOST_TEST(truncate_to_width("ab\u0301cd", 3) == "ab\u0301…");
  BOOST_TEST(truncate_to_width("e\u0301e\u0301e\u0301", 2) == "e\u0301…");
  // The mark of a character that is cut goes with it.
  BOOST_TEST(truncate_to_width("a江\u0301b", 3) == "a…");
}

BOOST_AUTO_TEST_CASE(padding_by_display_width) {
  BOOST_TEST(pad_right("江津", 6) == "江津  ");
  BOOST_TEST(pad_left("江津", 6) == "  江津");
  BOOST_TEST(pad_right("e\u0301", 3) == "e\u0301  ");
  BOOST_TEST(pad_left("ab", 2) == "ab");
  BOOST_TEST(pad_right("江津区", 4) == "江津区");
  BOOST_TEST(pad_left("", 3) == "   ");
  BOOST_TEST(display_width(pad_right("한국어", 9)) == 9u);
}

BOOST_AUTO_TEST_CASE(copy_short_copies_every_size_and_nothing_past_it) {
  std::string source;
  for (int i = 0; i < 64; ++i) source += static_cast<char>('A' + i % 26);
  for (std::size_t size = 0; size <= 40; ++size) {
    BOOST_TEST_CONTEXT("size " << size) {
      std::string target(48, '.');
      const char* end =
          jjstat::text::copy_short(target.data() + 2, std::string_view(source).substr(3, size));
      BOOST_TEST(end == target.data() + 2 + size);
      BOOST_TEST(target == ".." + source.substr(3, size) + std::string(46 - size, '.'));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
