// Word frequencies over what people said: the words of utterance spans (never labels or
// timestamps), optionally only one role's turns, one source, or the text inside one code.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "marginalia/concordance.h"
#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {

const std::vector<std::string>& english_stopwords() {
  // The common English function words (the NLTK list, with the contractions people say) and the
  // fillers of spoken transcripts.
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w{
        "a",       "about",   "above",      "after",    "again",     "against",  "ain't",
        "all",     "also",    "am",         "an",       "and",       "any",      "are",
        "aren't",  "as",      "at",         "be",       "because",   "been",     "before",
        "being",   "below",   "between",    "both",     "but",       "by",       "can",
        "can't",   "cannot",  "could",      "couldn't", "did",       "didn't",   "do",
        "does",    "doesn't", "doing",      "don't",    "down",      "during",   "each",
        "er",      "erm",     "few",        "for",      "from",      "further",  "had",
        "hadn't",  "has",     "hasn't",     "have",     "haven't",   "having",   "he",
        "he'd",    "he'll",   "he's",       "her",      "here",      "here's",   "hers",
        "herself", "him",     "himself",    "his",      "hmm",       "how",      "i",
        "i'd",     "i'll",    "i'm",        "i've",     "if",        "in",       "into",
        "is",      "isn't",   "it",         "it'd",     "it'll",     "it's",     "its",
        "itself",  "just",    "let's",      "me",       "might",     "mm",       "mhm",
        "more",    "most",    "must",       "mustn't",  "my",        "myself",   "no",
        "nor",     "not",     "now",        "of",       "off",       "on",       "once",
        "only",    "or",      "other",      "ought",    "our",       "ours",     "ourselves",
        "out",     "over",    "own",        "same",     "shall",     "shan't",   "she",
        "she'd",   "she'll",  "she's",      "should",   "shouldn't", "so",       "some",
        "such",    "than",    "that",       "that'll",  "that's",    "the",      "their",
        "theirs",  "them",    "themselves", "then",     "there",     "there's",  "these",
        "they",    "they'd",  "they'll",    "they're",  "they've",   "this",     "those",
        "through", "to",      "too",        "uh",       "um",        "under",    "until",
        "up",      "very",    "was",        "wasn't",   "we",        "we'd",     "we'll",
        "we're",   "we've",   "were",       "weren't",  "what",      "what's",   "when",
        "where",   "which",   "while",      "who",      "who's",     "whom",     "why",
        "will",    "with",    "won't",      "would",    "wouldn't",  "you",      "you'd",
        "you'll",  "you're",  "you've",     "your",     "yours",     "yourself", "yourselves"};
    std::sort(w.begin(), w.end());
    return w;
  }();
  return words;
}

namespace {

// Sorted, not overlapping, adjacent ranges joined.
std::vector<TextRange> normalized(std::vector<TextRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const TextRange& a, const TextRange& b) { return a.start < b.start; });
  std::vector<TextRange> out;
  for (const TextRange& r : ranges) {
    if (r.start >= r.end) continue;
    if (!out.empty() && r.start <= out.back().end)
      out.back().end = std::max(out.back().end, r.end);
    else
      out.push_back(r);
  }
  return out;
}

// Both normalized.
std::vector<TextRange> intersected(const std::vector<TextRange>& a,
                                   const std::vector<TextRange>& b) {
  std::vector<TextRange> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int64_t start = std::max(a[i].start, b[j].start), end = std::min(a[i].end, b[j].end);
    if (start < end) out.push_back({start, end});
    (a[i].end < b[j].end ? i : j)++;
  }
  return out;
}

bool inside(const std::vector<TextRange>& ranges, const TextRange& r) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), r.start,
                             [](int64_t at, const TextRange& x) { return at < x.start; });
  if (it == ranges.begin()) return false;
  --it;
  return it->start <= r.start && r.end <= it->end;
}

// Transcriber notes on one line: "[laughs]", "[pause]", "[inaudible 00:12]".
std::vector<TextRange> bracketed(const std::string& text) {
  std::vector<TextRange> out;
  int64_t cp = 0, open = -1;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;
    if (c == '[') {
      open = cp;
    } else if (c == ']' && open >= 0) {
      out.push_back({open, cp + 1});
      open = -1;
    } else if (c == '\n') {
      open = -1;
    }
    ++cp;
  }
  return out;
}

}  // namespace

WordFrequencies word_frequencies(const Project& project, const WordFilter& filter, size_t top) {
  if (filter.code && !project.code(*filter.code))
    throw BadInput("no code with GUID " + *filter.code);
  if (filter.source && !project.source(*filter.source))
    throw BadInput("no source with GUID " + *filter.source);
  const auto& stop = english_stopwords();
  const bool english = project.language.empty() || project.language.rfind("en", 0) == 0;

  std::unordered_map<std::string, size_t> counts;
  WordFrequencies result;
  for (const Source& source : project.sources) {
    if (filter.source && source.guid != *filter.source) continue;
    std::vector<TextRange> spoken;
    for (const Utterance& u : source.utterances)
      if (!filter.role || u.role == *filter.role) spoken.push_back({u.start, u.end});
    std::vector<TextRange> allowed = normalized(std::move(spoken));
    if (filter.code) {
      std::vector<TextRange> coded;
      for (const Coding& c : project.codings)
        if (c.source == source.guid && c.code == *filter.code) coded.push_back({c.start, c.end});
      allowed = intersected(allowed, normalized(std::move(coded)));
    }
    if (allowed.empty()) continue;
    const std::vector<TextRange> notes = bracketed(source.text);
    for (const WordToken& token : word_tokens(source.text, project.language)) {
      if (!inside(allowed, token.range) || inside(notes, token.range)) continue;
      ++result.total_words;
      if (english && std::binary_search(stop.begin(), stop.end(), token.folded)) continue;
      ++counts[token.folded];
    }
  }

  result.distinct = counts.size();
  result.words.reserve(counts.size());
  for (auto& [word, count] : counts) {
    WordCount wc;
    wc.word = word;
    wc.count = count;
    wc.per_thousand = 1000.0 * static_cast<double>(count) / static_cast<double>(result.total_words);
    result.words.push_back(std::move(wc));
  }
  std::sort(result.words.begin(), result.words.end(), [](const WordCount& a, const WordCount& b) {
    return a.count != b.count ? a.count > b.count : a.word < b.word;
  });
  if (top && result.words.size() > top) result.words.resize(top);
  return result;
}

Table word_frequency_table(const WordFrequencies& frequencies) {
  Table table;
  table.title = "Word frequencies";
  table.label = "tab:words";
  table.columns = {"word", "count", "per_1000"};
  for (const WordCount& w : frequencies.words)
    table.rows.push_back({TableCell::of(w.word), TableCell::number(static_cast<int64_t>(w.count)),
                          TableCell::number(w.per_thousand, 2)});
  table.notes = {std::to_string(frequencies.total_words) +
                 " words counted in what the speakers said (labels, numbers and [notes] left out); "
                 "per_1000 is per 1,000 of them. " +
                 std::to_string(frequencies.distinct) + " distinct words without stopwords."};
  return table;
}

}  // namespace marginalia
