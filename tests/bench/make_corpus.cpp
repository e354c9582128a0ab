// marginalia-bench-corpus: writes N generated interviews of about 8,000 words each, in
// "Speaker: text" turns, for the search benchmark (tests/bench/README.md). Deterministic: the same
// seed, size and vocabulary give the same bytes on every machine, because it draws only on
// std::mt19937_64 (whose output the standard fixes) and its own arithmetic, not on the
// implementation-defined std:: distributions.
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

namespace fs = std::filesystem;

namespace {

struct Options {
  int interviews = 0;
  fs::path out;
  fs::path vocabulary = MARGINALIA_BENCH_VOCABULARY;
  uint64_t seed = 20261130;
  int words = 8000;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "marginalia-bench-corpus: " << problem << "\n"
            << "usage: marginalia-bench-corpus --interviews N --out DIR [--words 8000] "
               "[--seed S] [--vocabulary FILE]\n";
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
    else if (a == "--vocabulary")
      o.vocabulary = value();
    else
      usage("unknown option " + a);
  }
  if (o.interviews <= 0) usage("--interviews must be a positive number");
  if (o.out.empty()) usage("--out is required");
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

// "i" and its contractions are written as people write them.
void append_word(std::string& out, const std::string& word, bool capital) {
  const size_t at = out.size();
  out += word;
  if (word == "i" || word.rfind("i'", 0) == 0 || capital) out[at] = char(std::toupper(out[at]));
}

// One sentence: 4 to 18 words, now and then a comma, and about one sentence in seven carrying a
// theme phrase so that phrase and NEAR queries have hits.
void sentence(std::string& out, std::mt19937_64& rng, const ZipfWords& zipf, bool question,
              int& words) {
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
        append_word(out, text.substr(start, end - start), first);
        first = false;
        ++words;
        start = end + 1;
      }
      continue;
    }
    append_word(out, zipf.draw(rng), k == 0);
    ++words;
  }
  out += question ? '?' : '.';
}

std::string interview(int number, uint64_t seed, const ZipfWords& zipf, int target_words,
                      bool therapist) {
  // One engine per interview: interview k is the same whichever N it is generated with.
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(number)};
  std::mt19937_64 rng(seq);
  const std::string participant = therapist ? "Therapist" : "Client";
  std::string out;
  out.reserve(size_t(target_words) * 8);
  int words = 0;
  while (words < target_words) {
    out += "Interviewer: ";
    const int questions = between(rng, 1, 3);
    for (int s = 0; s < questions; ++s) {
      if (s) out += ' ';
      sentence(out, rng, zipf, s == questions - 1, words);
    }
    out += "\n\n" + participant + ": ";
    const int sentences = between(rng, 2, 16);
    for (int s = 0; s < sentences; ++s) {
      if (s) out += ' ';
      sentence(out, rng, zipf, false, words);
    }
    out += "\n\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const ZipfWords zipf(load_vocabulary(o.vocabulary));
  fs::create_directories(o.out);
  uint64_t bytes = 0;
  for (int i = 1; i <= o.interviews; ++i) {
    const bool therapist = (i % 2 == 0);
    char name[64];
    std::snprintf(name, sizeof name, "interview_%04d_%s.txt", i,
                  therapist ? "therapist" : "client");
    const std::string text = interview(i, o.seed, zipf, o.words, therapist);
    std::ofstream file(o.out / name, std::ios::binary);
    file << text;
    if (!file) {
      std::cerr << "marginalia-bench-corpus: cannot write " << (o.out / name) << "\n";
      return 1;
    }
    bytes += text.size();
  }
  std::cout << "Wrote " << o.interviews << " interviews (" << bytes << " bytes) to "
            << o.out.string() << "\n";
  return 0;
}
