// marginalia-bench-corpus: writes N generated interviews of about 8,000 words each, in
// "Speaker: text" turns, and codings.tsv, two coders' codings of them (about one per 60 words), for
// the benchmarks (tests/bench/README.md). Deterministic: the same seed, size, vocabulary and
// codebook give the same bytes on every machine, because it draws only on std::mt19937_64 (whose
// output the standard fixes) and its own arithmetic, not on the implementation-defined std::
// distributions.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "corpus_themes.h"
#include "marginalia/codebook.h"

namespace fs = std::filesystem;

namespace {

struct Options {
  int interviews = 0;
  fs::path out;
  fs::path vocabulary = MARGINALIA_BENCH_VOCABULARY;
  fs::path codebook = MARGINALIA_BENCH_CODEBOOK;
  uint64_t seed = 20261130;
  int words = 8000;
  int words_per_coding = 60;  // 0: no codings
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "marginalia-bench-corpus: " << problem << "\n"
            << "usage: marginalia-bench-corpus --interviews N --out DIR [--words 8000] "
               "[--words-per-coding 60] [--seed S] [--vocabulary FILE] [--codebook FILE]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--interviews")
      o.interviews = std::stoi(value());
    else if (a == "--out")
      o.out = value();
    else if (a == "--words")
      o.words = std::stoi(value());
    else if (a == "--seed")
      o.seed = std::stoull(value());
    else if (a == "--words-per-coding")
      o.words_per_coding = std::stoi(value());
    else if (a == "--vocabulary")
      o.vocabulary = value();
    else if (a == "--codebook")
      o.codebook = value();
    else
      usage("unknown option " + a);
  }
  if (o.interviews <= 0) usage("--interviews must be a positive number");
  if (o.out.empty()) usage("--out is required");
  if (o.words <= 0) usage("--words must be a positive number");
  if (o.words_per_coding < 0) usage("--words-per-coding must be 0 (no codings) or more");
  return o;
}

// Uniform in [0, 1) from the top 53 bits: the same on every platform.
double uniform(std::mt19937_64& rng) {
  return double(rng() >> 11) * 0x1.0p-53;
}
int between(std::mt19937_64& rng, int lo, int hi) {  // inclusive
  return lo + int(uniform(rng) * double(hi - lo + 1));
}
bool chance(std::mt19937_64& rng, double p) {
  return uniform(rng) < p;
}

// Zipf-Mandelbrot over the vocabulary's ranks: p(r) ~ 1 / (r + 2.7), the shape of English text.
class ZipfWords {
 public:
  explicit ZipfWords(std::vector<std::string> words) : words_(std::move(words)) {
    double sum = 0;
    for (size_t r = 0; r < words_.size(); ++r) {
      sum += 1.0 / (double(r) + 2.7);
      cdf_.push_back(sum);
    }
    for (double& c : cdf_) c /= sum;
  }
  const std::string& draw(std::mt19937_64& rng) const {
    const double u = uniform(rng);
    const size_t r = std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
    return words_[std::min(r, words_.size() - 1)];
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cdf_;
};

std::vector<std::string> load_vocabulary(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "marginalia-bench-corpus: cannot read vocabulary " << file << "\n";
    std::exit(1);
  }
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') words.push_back(line);
  if (words.size() < 100) {
    std::cerr << "marginalia-bench-corpus: vocabulary " << file << " has too few words\n";
    std::exit(1);
  }
  return words;
}

// A word of a participant's turn, [start, end) in bytes (which are code points: the text is ASCII),
// with the indices of its turn's first and last word.
struct Word {
  int64_t start, end;
  size_t turn_first = 0, turn_last = 0;
};

// "i" and its contractions are written as people write them. Records the word's span in `words`
// when given.
void append_word(std::string& out, const std::string& word, bool capital,
                 std::vector<Word>* words) {
  const size_t at = out.size();
  out += word;
  if (word == "i" || word.rfind("i'", 0) == 0 || capital) out[at] = char(std::toupper(out[at]));
  if (words) words->push_back({int64_t(at), int64_t(out.size())});
}

// One sentence: 4 to 18 words, now and then a comma, and about one sentence in seven carrying a
// theme phrase so that phrase and NEAR queries have hits.
void sentence(std::string& out, std::mt19937_64& rng, const ZipfWords& zipf, bool question,
              int& count, std::vector<Word>* words) {
  const int n = between(rng, 4, 18);
  const int theme_at = chance(rng, 0.15) ? between(rng, 0, n - 1) : -1;
  for (int k = 0; k < n; ++k) {
    if (k) out += (chance(rng, 0.06) ? ", " : " ");
    if (k == theme_at) {
      const auto& phrase = kThemePhrases[size_t(uniform(rng) * std::size(kThemePhrases))];
      std::string text = phrase;
      size_t start = 0;
      bool first = (k == 0);
      while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        if (start) out += ' ';
        append_word(out, text.substr(start, end - start), first, words);
        first = false;
        ++count;
        start = end + 1;
      }
      continue;
    }
    append_word(out, zipf.draw(rng), k == 0, words);
    ++count;
  }
  out += question ? '?' : '.';
}

struct Interview {
  std::string text;
  int words = 0;
  std::vector<Word> participant_words;  // the words the codings are placed on
};

Interview interview(int number, uint64_t seed, const ZipfWords& zipf, int target_words,
                    bool therapist) {
  // One engine per interview: interview k is the same whichever N it is generated with.
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(number)};
  std::mt19937_64 rng(seq);
  const std::string participant = therapist ? "Therapist" : "Client";
  Interview iv;
  std::string& out = iv.text;
  out.reserve(size_t(target_words) * 8);
  while (iv.words < target_words) {
    out += "Interviewer: ";
    const int questions = between(rng, 1, 3);
    for (int s = 0; s < questions; ++s) {
      if (s) out += ' ';
      sentence(out, rng, zipf, s == questions - 1, iv.words, nullptr);
    }
    out += "\n\n" + participant + ": ";
    const size_t first = iv.participant_words.size();
    const int sentences = between(rng, 2, 16);
    for (int s = 0; s < sentences; ++s) {
      if (s) out += ' ';
      sentence(out, rng, zipf, false, iv.words, &iv.participant_words);
    }
    for (size_t w = first; w < iv.participant_words.size(); ++w) {
      iv.participant_words[w].turn_first = first;
      iv.participant_words[w].turn_last = iv.participant_words.size() - 1;
    }
    out += "\n\n";
  }
  return iv;
}

struct GeneratedCoding {
  int64_t start, end;
  size_t code;  // index into the codable codes
  int coder;    // 0: Coder A, 1: Coder B
};

// Two coders, one coding per `words_per_coding` words of the whole interview between them, on the
// participant's turns: Coder A codes a passage of 3 to 30 words inside one turn; Coder B codes the
// same passage with the same code, its ends moved by up to two words, 7 times in 10, and otherwise
// a passage and code of its own. Agreement is then neither perfect nor chance, as between two real
// coders. Its own engine, so that the texts do not depend on the codings.
std::vector<GeneratedCoding> codings_of(const Interview& iv, int number, uint64_t seed,
                                        size_t codes, int words_per_coding) {
  std::vector<GeneratedCoding> out;
  const auto& words = iv.participant_words;
  if (words_per_coding <= 0 || words.empty() || codes == 0) return out;
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(number), 60u};
  std::mt19937_64 rng(seq);
  auto pick = [&](size_t n) { return size_t(uniform(rng) * double(n)); };
  auto passage = [&](size_t& first, size_t& last) {
    first = pick(words.size());
    last = std::min(first + 2 + pick(28), words[first].turn_last);
  };
  const size_t passages = size_t(iv.words + words_per_coding) / size_t(2 * words_per_coding);
  for (size_t k = 0; k < passages; ++k) {
    size_t first, last;
    passage(first, last);
    const size_t code = pick(codes);
    out.push_back({words[first].start, words[last].end, code, 0});
    if (chance(rng, 0.7)) {
      const auto lo = int64_t(words[first].turn_first), hi = int64_t(words[first].turn_last);
      const int64_t b_first = std::clamp(int64_t(first) + between(rng, -2, 2), lo, hi);
      const int64_t b_last = std::clamp(int64_t(last) + between(rng, -2, 2), b_first, hi);
      out.push_back({words[size_t(b_first)].start, words[size_t(b_last)].end, code, 1});
    } else {
      passage(first, last);
      out.push_back({words[first].start, words[last].end, pick(codes), 1});
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  const ZipfWords zipf(load_vocabulary(o.vocabulary));
  std::vector<marginalia::Code> codable;
  if (o.words_per_coding > 0) {
    for (auto& c : marginalia::load_codebook(o.codebook).codes)
      if (c.codable) codable.push_back(std::move(c));
    if (codable.empty()) {
      std::cerr << "marginalia-bench-corpus: " << o.codebook << " has no codable codes\n";
      return 1;
    }
  }
  fs::create_directories(o.out);
  // One line per coding: the file, [start, end) in code points, the code's guid (the codebook's
  // own, which the benchmark loads) and name, and the coder's name.
  std::ofstream codings(o.out / "codings.tsv", std::ios::binary);
  codings << "# file\tstart\tend\tcode guid\tcode\tcoder (codebook "
          << o.codebook.filename().string() << ")\n";
  uint64_t bytes = 0, coding_count = 0;
  for (int i = 1; i <= o.interviews; ++i) {
    const bool therapist = (i % 2 == 0);
    char name[64];
    std::snprintf(name, sizeof name, "interview_%04d_%s.txt", i,
                  therapist ? "therapist" : "client");
    const Interview iv = interview(i, o.seed, zipf, o.words, therapist);
    std::ofstream file(o.out / name, std::ios::binary);
    file << iv.text;
    if (!file) {
      std::cerr << "marginalia-bench-corpus: cannot write " << (o.out / name) << "\n";
      return 1;
    }
    bytes += iv.text.size();
    for (const auto& c : codings_of(iv, i, o.seed, codable.size(), o.words_per_coding)) {
      codings << name << '\t' << c.start << '\t' << c.end << '\t' << codable[c.code].guid << '\t'
              << codable[c.code].name << '\t' << (c.coder ? "Coder B" : "Coder A") << '\n';
      ++coding_count;
    }
  }
  if (!codings.flush()) {
    std::cerr << "marginalia-bench-corpus: cannot write " << (o.out / "codings.tsv") << "\n";
    return 1;
  }
  std::cout << "Wrote " << o.interviews << " interviews (" << bytes << " bytes) and "
            << coding_count << " codings to " << o.out.string() << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "marginalia-bench-corpus: " << e.what() << "\n";
  return 1;
}
