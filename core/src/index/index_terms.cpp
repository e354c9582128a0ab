#include "index/index_terms.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "marginalia/text.h"

namespace marginalia::index {

namespace {

constexpr size_t kMaxTermBytes = 240;  // Xapian's limit is 245 bytes with the prefix
constexpr size_t kMaxWordBytes = 64;   // TermGenerator's default max_word_length

// Decodes the code point at `i` and moves past it; ill-formed bytes read as U+FFFD, one byte each.
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = b(i);
  int len = b0 < 0x80 ? 1 : b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

uint32_t peek_code_point(std::string_view s, size_t i) {
  return i < s.size() ? next_code_point(s, i) : 0;
}

// The ranges Xapian 1.4's CJK n-gram tokenizer treats as CJK.
bool is_cjk(uint32_t p) {
  return (p >= 0x2E80 && p <= 0x2EFF) || (p >= 0x3000 && p <= 0x9FFF) ||
         (p >= 0xA700 && p <= 0xA71F) || (p >= 0xAC00 && p <= 0xD7AF) ||
         (p >= 0xF900 && p <= 0xFAFF) || (p >= 0xFE30 && p <= 0xFE4F) ||
         (p >= 0xFF00 && p <= 0xFFEF) || (p >= 0x20000 && p <= 0x2A6DF) ||
         (p >= 0x2F800 && p <= 0x2FA1F);
}

bool is_ignored(uint32_t ch) {  // zero-width characters TermGenerator drops inside words
  return (ch >= 0x200B && ch <= 0x200D) || ch == 0x2060 || ch == 0xFEFF;
}

// TermGenerator's check_infix: characters that join two word characters.
uint32_t infix(uint32_t ch) {
  if (ch == '\'' || ch == '&' || ch == 0xB7 || ch == 0x5F4 || ch == 0x2027) return ch;
  if (ch == 0x2019 || ch == 0x201B) return '\'';
  return 0;
}

// TermGenerator's check_infix_digit: separators inside numbers ("1,000", "3.14").
bool digit_infix(uint32_t ch) {
  switch (ch) {
    case ',':
    case '.':
    case ';':
    case 0x037E:
    case 0x0589:
    case 0x060D:
    case 0x07F8:
    case 0x2044:
    case 0xFE10:
    case 0xFE13:
    case 0xFE14:
      return true;
    default:
      return false;
  }
}

bool is_digit(uint32_t ch) {
  if (ch < 0x80) return ch >= '0' && ch <= '9';
  return Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

// Xapian's is_wordchar, with ASCII (most transcript text) answered without its Unicode tables:
// letters, digits and the connector '_'. Matched words are split again for every hit shown.
bool is_word_char(uint32_t ch) {
  if (ch < 0x80)
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
  return Xapian::Unicode::is_wordchar(ch);
}

// Base letters of U+0100..U+017F (Latin Extended-A); '?' marks the ligatures handled apart.
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSs"
    "SsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kLatinExtendedA.size() == 0x80);

// The folded form of one code point, or nullptr when it stays as it is.
const char* fold(uint32_t cp) {
  static const char* const latin1[64] = {
      "A", "A", "A", "A", "A", "A", "AE", "C",     "E", "E", "E", "E", "I", "I", "I",  "I",
      "D", "N", "O", "O", "O", "O", "O",  nullptr, "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  static const char* const letters[] = {"A", "a", "C", "c", "D", "d", "E", "e", "G", "g",
                                        "H", "h", "I", "i", "J", "j", "K", "k", "L", "l",
                                        "N", "n", "O", "o", "R", "r", "S", "s", "T", "t",
                                        "U", "u", "W", "w", "Y", "y", "Z", "z"};
  if (cp >= 0xC0 && cp <= 0xFF) return latin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    switch (cp) {
      case 0x132:
        return "IJ";
      case 0x133:
        return "ij";
      case 0x152:
        return "OE";
      case 0x153:
        return "oe";
    }
    const char c = kLatinExtendedA[cp - 0x100];
    for (const char* l : letters)
      if (l[0] == c) return l;
  }
  return nullptr;
}

bool is_combining_mark(uint32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

std::string cut_utf8(std::string term, size_t max) {
  if (term.size() <= max) return term;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  return term;
}

std::string lowercase(std::string_view utf8) {
  return Xapian::Unicode::tolower(std::string(utf8));
}

std::string serialise_index(int64_t v) {
  return Xapian::sortable_serialise(static_cast<double>(v));
}

// FNV-1a, 64 bits: stable across runs and builds, unlike std::hash.
struct Digest {
  uint64_t h = 14695981039346656037ull;
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // field separator
  }
  void add(int64_t v) { add(std::to_string(v)); }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }
};

bool overlaps(const Coding& c, const Utterance& u) {
  return c.start < u.end && u.start < c.end;
}

}  // namespace

std::string boolean_term(std::string_view prefix, std::string_view value) {
  return cut_utf8(std::string(prefix) + std::string(value), kMaxTermBytes);
}

std::string unique_term(std::string_view source_guid, size_t utterance) {
  return boolean_term("Q", std::string(source_guid) + ":" + std::to_string(utterance));
}

std::string attribute_term(std::string_view name, std::string_view value) {
  return boolean_term("XA", fold_case(name) + ":" + fold_case(value));
}

std::string speaker_term(std::string_view speaker) {
  return boolean_term("P", fold_case(speaker));
}

Xapian::Stem stemmer_for(std::string_view language) {
  std::string code = lowercase(language.substr(0, language.find_first_of("-_")));
  if (code.empty()) return Xapian::Stem("none");
  try {
    return Xapian::Stem(code);
  } catch (const Xapian::InvalidArgumentError&) {
    return Xapian::Stem("none");
  }
}

std::string fold_accents(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const size_t at = i;
    const uint32_t cp = next_code_point(utf8, i);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (is_combining_mark(cp)) {
      continue;
    } else if (const char* f = fold(cp)) {
      out += f;
    } else {
      out.append(utf8.substr(at, i - at));
    }
  }
  return out;
}

std::vector<Word> split_words(std::string_view s) {
  std::vector<Word> words;
  words.reserve(s.size() / 5 + 1);  // about one word in five bytes of English: one allocation
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    uint32_t ch = next_code_point(s, i);
    if (!is_word_char(ch)) continue;
    if (is_cjk(ch)) {
      std::string term;
      append_utf8(term, ch);
      words.push_back({start, i, std::move(term), true});
      continue;
    }
    std::string word;
    bool ascii = ch < 0x80;
    size_t end = i;
    uint32_t prev = ch;
    append_utf8(word, ch);
    while (i < s.size()) {
      size_t j = i;
      ch = next_code_point(s, j);
      if (is_word_char(ch)) {
        if (!is_ignored(ch)) append_utf8(word, ch);
        ascii = ascii && ch < 0x80;
        prev = ch;
        i = end = j;
        continue;
      }
      const uint32_t joined = infix(ch);
      const uint32_t after = peek_code_point(s, j);
      if (joined && is_word_char(after)) {
        append_utf8(word, joined);
        ascii = ascii && joined < 0x80;
        i = j;
        continue;
      }
      if (is_digit(prev) && digit_infix(ch) && is_digit(after)) {
        append_utf8(word, ch);
        ascii = ascii && ch < 0x80;
        i = j;
        continue;
      }
      if (is_ignored(ch)) {
        i = j;
        continue;
      }
      break;
    }
    i = end;
    // "C++", "C#": up to three '+' or '#' after a word, when a non-word character follows.
    size_t k = i, suffix = 0;
    while (k < s.size() && suffix < 3 && (s[k] == '+' || s[k] == '#')) ++k, ++suffix;
    if (suffix && !is_word_char(peek_code_point(s, k))) {
      word.append(s.substr(i, k - i));
      i = end = k;
    }
    std::string term;
    if (ascii) {
      term = std::move(word);
      for (char& c : term)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    } else {
      term = lowercase(fold_accents(word));
    }
    if (!term.empty() && term.size() <= kMaxWordBytes)
      words.push_back({start, end, std::move(term), false});
  }
  return words;
}

std::vector<SourceContext> source_contexts(const Project& project) {
  std::map<std::string, size_t, std::less<>> at;
  std::vector<SourceContext> contexts;
  contexts.reserve(project.sources.size());
  for (const Source& source : project.sources) {
    at.emplace(source.guid, contexts.size());
    contexts.push_back({&source, {}, {}});
  }
  for (const Coding& coding : project.codings)
    if (auto it = at.find(coding.source); it != at.end())
      contexts[it->second].codings.push_back(&coding);
  for (const Case& c : project.cases)
    for (const std::string& guid : c.sources)
      if (auto it = at.find(guid); it != at.end()) contexts[it->second].cases.push_back(&c);
  return contexts;
}

SourceContext source_context(const Project& project, const Source& source,
                             const std::vector<Coding>& codings) {
  SourceContext context{&source, {}, {}};
  for (const Coding& coding : codings) context.codings.push_back(&coding);
  for (const Case& c : project.cases)
    if (std::find(c.sources.begin(), c.sources.end(), source.guid) != c.sources.end())
      context.cases.push_back(&c);
  return context;
}

Xapian::TermGenerator make_generator(const Xapian::Stem& stem) {
  Xapian::TermGenerator generator;
  generator.set_stemmer(stem);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  return generator;
}

Xapian::Document utterance_document(Xapian::TermGenerator& generator, const SourceContext& context,
                                    const OffsetMap& map, size_t n) {
  const Source& source = *context.source;
  const Utterance& u = source.utterances.at(n);
  const int64_t begin = map.byte_of(std::clamp<int64_t>(u.start, 0, map.code_points()));
  const int64_t end = map.byte_of(std::clamp<int64_t>(u.end, 0, map.code_points()));
  const std::string_view text =
      std::string_view(source.text).substr(begin, std::max<int64_t>(0, end - begin));

  Xapian::Document doc;
  generator.set_document(doc);
  generator.set_termpos(0);
  generator.index_text(fold_accents(text));

  doc.add_boolean_term(unique_term(source.guid, n));
  doc.add_boolean_term(boolean_term("S", source.guid));
  doc.add_boolean_term(speaker_term(u.speaker));
  doc.add_boolean_term(boolean_term("R", role_name(u.role)));
  for (const Case* c : context.cases) {
    doc.add_boolean_term(boolean_term("C", c->guid));
    for (const auto& [name, value] : c->attributes)
      doc.add_boolean_term(attribute_term(name, value));
  }
  set_coding_terms(doc, context, n, /*fresh=*/true);

  doc.add_value(kSlotStart, serialise_index(u.start));
  doc.add_value(kSlotEnd, serialise_index(u.end));
  if (u.timestamp_ms) doc.add_value(kSlotTimestamp, serialise_index(*u.timestamp_ms));
  doc.add_value(kSlotSource, source.guid);
  doc.add_value(kSlotUtterance, serialise_index(static_cast<int64_t>(n)));
  doc.set_data(source.guid + "\n" + std::to_string(n));
  return doc;
}

void set_coding_terms(Xapian::Document& doc, const SourceContext& context, size_t n, bool fresh) {
  const Utterance& u = context.source->utterances.at(n);
  std::set<std::string> codes, coders;
  for (const Coding* c : context.codings)
    if (overlaps(*c, u)) {
      codes.insert(c->code);
      coders.insert(c->coder);
    }
  std::vector<std::string> stale;
  for (auto t = fresh ? doc.termlist_end() : doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    if (!term.empty() && (term[0] == 'K' || term[0] == 'U')) stale.push_back(term);
  }
  std::string codes_value;
  for (const std::string& code : codes) {
    const std::string term = boolean_term("K", code);
    if (auto it = std::find(stale.begin(), stale.end(), term); it != stale.end())
      stale.erase(it);
    else
      doc.add_boolean_term(term);
    codes_value += (codes_value.empty() ? "" : " ") + code;
  }
  for (const std::string& coder : coders) {
    const std::string term = boolean_term("U", coder);
    if (auto it = std::find(stale.begin(), stale.end(), term); it != stale.end())
      stale.erase(it);
    else
      doc.add_boolean_term(term);
  }
  for (const std::string& term : stale) doc.remove_term(term);
  if (codes_value.empty()) {
    if (!doc.get_value(kSlotCodes).empty()) doc.remove_value(kSlotCodes);
  } else {
    doc.add_value(kSlotCodes, codes_value);
  }
}

std::string source_fingerprint(const SourceContext& context, std::string_view language) {
  const Source& source = *context.source;
  Digest d;
  d.add(std::string(kSchemaVersion));
  d.add(language);
  d.add(source.text);
  for (const Utterance& u : source.utterances) {
    d.add(u.speaker);
    d.add(role_name(u.role));
    d.add(u.start);
    d.add(u.end);
    d.add(u.timestamp_ms.value_or(-1));
  }
  std::vector<std::string> codings;
  for (const Coding* c : context.codings)
    codings.push_back(std::to_string(c->start) + ":" + std::to_string(c->end) + ":" + c->code +
                      ":" + c->coder);
  std::sort(codings.begin(), codings.end());
  for (const std::string& c : codings) d.add(c);
  for (const Case* c : context.cases) {
    d.add(c->guid);
    for (const auto& [name, value] : c->attributes) {
      d.add(name);
      d.add(value);
    }
  }
  return d.hex();
}

}  // namespace marginalia::index
