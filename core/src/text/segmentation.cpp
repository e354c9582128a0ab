// Sentences and words by ICU's break iterators, run over the UTF-8 text through UText (no copy to
// UTF-16); boundaries come back as UTF-8 byte offsets and leave here as code points.
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/rbbi.h>
#include <unicode/utext.h>

#include <map>
#include <memory>
#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "text/utf8.h"

namespace marginalia {
namespace {

struct UTextCloser {
  void operator()(UText* text) const { utext_close(text); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

UTextPtr open_utf8(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  UTextPtr text(utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status));
  if (U_FAILURE(status))
    throw Error("ICU cannot read the text: " + std::string(u_errorName(status)));
  return text;
}

void require_utf8(std::string_view utf8, const char* what) {
  const auto scan = text_detail::scan_utf8(utf8);
  if (scan.first_invalid >= 0)
    throw BadInput(std::string(what) + ": invalid UTF-8 at byte " +
                   std::to_string(scan.first_invalid));
}

enum class Kind { Sentence, Word };

bool is_english(const std::string& lang) {
  return lang == "en" || lang.rfind("en_", 0) == 0 || lang.rfind("en-", 0) == 0;
}

// ICU's sentence rules; for English with ICU's abbreviation list (what "@ss=standard" selects:
// "Mr.", "Mrs.", "Prof.", "e.g." ...) plus "Dr." and "Drs.", which that list lacks and which
// transcripts are full of. Other languages get the plain rules: ICU 72's German list, for one,
// also suppresses breaks after ordinary words ("Ich war. Es ging gut." stays one sentence).
icu::BreakIterator* make_sentence_iterator(const std::string& lang, UErrorCode& status) {
  const icu::Locale locale = icu::Locale::createFromName(lang.c_str());
  std::unique_ptr<icu::BreakIterator> plain(
      icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status) || !is_english(lang)) return plain.release();
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
  if (U_FAILURE(status)) {
    status = U_ZERO_ERROR;
    return plain.release();
  }
  builder->suppressBreakAfter(icu::UnicodeString("Dr."), status);
  builder->suppressBreakAfter(icu::UnicodeString("Drs."), status);
  return builder->wrapIteratorWithFilter(plain.release(), status);
}

icu::BreakIterator& iterator_for(Kind kind, std::string_view language) {
  thread_local std::map<std::pair<Kind, std::string>, std::unique_ptr<icu::BreakIterator>> cache;
  const std::string lang = language.empty() ? "en" : std::string(language);
  auto& slot = cache[{kind, lang}];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    if (kind == Kind::Sentence) {
      slot.reset(make_sentence_iterator(lang, status));
    } else {
      slot.reset(icu::BreakIterator::createWordInstance(icu::Locale::createFromName(lang.c_str()),
                                                        status));
    }
    if (U_FAILURE(status) || !slot) {
      slot.reset();
      throw Error("ICU has no break iterator for \"" + lang + "\": " + u_errorName(status));
    }
  }
  return *slot;
}

// Converts ascending byte offsets of `utf8` into code points in one pass.
class ByteToCodePoint {
 public:
  explicit ByteToCodePoint(std::string_view utf8) : utf8_(utf8) {}
  int64_t operator()(int64_t byte) {
    while (byte_ < byte && byte_ < static_cast<int64_t>(utf8_.size())) {
      if ((static_cast<unsigned char>(utf8_[static_cast<size_t>(byte_)]) & 0xC0) != 0x80) ++cp_;
      ++byte_;
    }
    return cp_;  // lead bytes before `byte`: the code point index of `byte`
  }

 private:
  std::string_view utf8_;
  int64_t byte_ = 0;
  int64_t cp_ = 0;
};

bool is_space_byte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of U+00A0 (C2 A0), U+2028/2029 (E2 80 A8/A9) or U+3000 (E3 80 80) at `pos`, else 0.
size_t unicode_space_at(std::string_view s, size_t pos) {
  const auto at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (pos + 1 < s.size() && at(pos) == 0xC2 && at(pos + 1) == 0xA0) return 2;
  if (pos + 2 < s.size() && at(pos) == 0xE2 && at(pos + 1) == 0x80 &&
      (at(pos + 2) == 0xA8 || at(pos + 2) == 0xA9))
    return 3;
  if (pos + 2 < s.size() && at(pos) == 0xE3 && at(pos + 1) == 0x80 && at(pos + 2) == 0x80) return 3;
  return 0;
}

std::string fold(std::string_view word) {
  std::string out;
  bool ascii = true;
  for (char c : word) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    out.assign(word);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out);
  icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT,
                         icu::StringPiece(word.data(), static_cast<int32_t>(word.size())), sink,
                         nullptr, status);
  if (U_FAILURE(status)) out.assign(word);
  // "I’ll" and "I'll" are one word to a reader.
  static const std::string kRightQuote = "\xE2\x80\x99";
  for (size_t at; (at = out.find(kRightQuote)) != std::string::npos;) out.replace(at, 3, "'");
  return out;
}

}  // namespace

std::vector<TextRange> sentence_ranges(std::string_view utf8, std::string_view language) {
  require_utf8(utf8, "sentence_ranges");
  std::vector<TextRange> out;
  if (utf8.empty()) return out;
  icu::BreakIterator& it = iterator_for(Kind::Sentence, language);
  UTextPtr text = open_utf8(utf8);
  UErrorCode status = U_ZERO_ERROR;
  it.setText(text.get(), status);
  if (U_FAILURE(status))
    throw Error("ICU sentence segmentation failed: " + std::string(u_errorName(status)));

  // Byte boundaries first, trimmed; then one pass turns them into code points.
  std::vector<std::pair<size_t, size_t>> bytes;
  for (int32_t from = it.first(), to = it.next(); to != icu::BreakIterator::DONE;
       from = to, to = it.next()) {
    size_t b = static_cast<size_t>(from), e = static_cast<size_t>(to);
    while (b < e) {
      if (is_space_byte(utf8[b])) {
        ++b;
      } else if (const size_t n = unicode_space_at(utf8, b); n && b + n <= e) {
        b += n;
      } else {
        break;
      }
    }
    while (e > b) {
      if (is_space_byte(utf8[e - 1])) {
        --e;
      } else if (e >= b + 2 && unicode_space_at(utf8, e - 2) == 2) {
        e -= 2;
      } else if (e >= b + 3 && unicode_space_at(utf8, e - 3) == 3) {
        e -= 3;
      } else {
        break;
      }
    }
    if (b < e) bytes.emplace_back(b, e);
  }
  it.setText("");  // the UText dies here; leave the cached iterator pointing at nothing of ours
  ByteToCodePoint to_cp(utf8);
  for (const auto& [b, e] : bytes) {
    const int64_t start = to_cp(static_cast<int64_t>(b));
    out.push_back({start, to_cp(static_cast<int64_t>(e))});
  }
  return out;
}

std::vector<WordToken> word_tokens(std::string_view utf8, std::string_view language) {
  require_utf8(utf8, "word_tokens");
  std::vector<WordToken> out;
  if (utf8.empty()) return out;
  icu::BreakIterator& it = iterator_for(Kind::Word, language);
  UTextPtr text = open_utf8(utf8);
  UErrorCode status = U_ZERO_ERROR;
  it.setText(text.get(), status);
  if (U_FAILURE(status))
    throw Error("ICU word segmentation failed: " + std::string(u_errorName(status)));

  std::vector<std::pair<int32_t, int32_t>> words;
  for (int32_t from = it.first(), to = it.next(); to != icu::BreakIterator::DONE;
       from = to, to = it.next()) {
    // Letters, kana and ideographs; UBRK_WORD_NONE (space, punctuation) and numbers are out.
    if (it.getRuleStatus() < UBRK_WORD_LETTER) continue;
    const std::string_view word =
        utf8.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
    if (word.find_first_of("0123456789") != std::string_view::npos) continue;  // "3rd", "mp3"
    words.emplace_back(from, to);
  }
  it.setText("");
  ByteToCodePoint to_cp(utf8);
  out.reserve(words.size());
  for (const auto& [b, e] : words) {
    WordToken token;
    token.range.start = to_cp(b);
    token.range.end = to_cp(e);
    token.folded = fold(utf8.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
    out.push_back(std::move(token));
  }
  return out;
}

}  // namespace marginalia
