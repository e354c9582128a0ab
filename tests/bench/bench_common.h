// Shared by the benchmarks of tests/bench/ (README.md there): timing, peak memory, formatting, the
// generated corpus and the coded project every measurement starts from. Not core code.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/codebook.h"
#include "marginalia/commands.h"
#include "marginalia/model.h"
#include "marginalia/project_store.h"
#include "marginalia/transcript.h"

extern char** environ;

namespace bench {

namespace fs = std::filesystem;

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) of this process's threads and of its waited-for children: on a
// machine busy with other work, wall time measures the machine as much as the code.
inline double process_cpu() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    ::getrusage(who, &u);
    total += double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
             double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  return total;
}
// The calling thread's CPU seconds plus the children's (grep runs as a child).
inline double thread_cpu() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9 +
         double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one.empty() ? "?" : one + " (1 min), " + five + " (5 min)";
}

// ---- small helpers ---------------------------------------------------------------------------

inline uint64_t tree_bytes(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  uint64_t total = 0;
  if (!fs::is_directory(path, ec)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(path, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

// Byte offset of every code point of `text`, plus its size at the end.
inline std::vector<size_t> code_point_bytes(std::string_view text) {
  std::vector<size_t> at;
  at.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) at.push_back(i);
  at.push_back(text.size());
  return at;
}

inline std::optional<fs::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

// Runs a program with stdout and stderr sent to `log` (or /dev/null); returns its exit status, or
// -1 when it could not be started.
inline int run_program(const std::vector<std::string>& args, const std::string& log = "/dev/null") {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p of the values at or below it.
  size_t rank = size_t(std::ceil(p * double(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

inline std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}
// Two significant digits for small values, so ratios and milliseconds read alike.
inline std::string figure(double value) {
  if (std::isnan(value)) return "–";
  const double a = std::fabs(value);
  return fixed(value, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}
inline std::string ratio(double a, double b) {
  if (std::isnan(a) || std::isnan(b) || b <= 0) return "–";
  return figure(a / b) + "×";
}
inline double mb(uint64_t bytes) {
  return double(bytes) / 1e6;
}

inline std::string thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

// ---- the generated corpus --------------------------------------------------------------------

struct Corpus {
  std::vector<fs::path> files;
  uint64_t bytes = 0;
};

inline Corpus list_corpus(const fs::path& dir) {
  Corpus c;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".txt") c.files.push_back(e.path());
  std::sort(c.files.begin(), c.files.end());
  for (const auto& f : c.files) c.bytes += fs::file_size(f);
  return c;
}

// One utterance: its text (the words after the speaker label), a unique id, and the codes any
// coder applied to a span overlapping it.
struct Unit {
  std::string id;  // "<source guid>:<utterance n>"
  size_t source = 0;
  std::string text;
  std::vector<std::string> codes;  // code guids
};

// The utterances as the core parsed them, with the codes on each: what every baseline indexes.
inline std::vector<Unit> units_of(const marginalia::Project& project) {
  std::map<std::string, std::vector<const marginalia::Coding*>> by_source;
  for (const auto& c : project.codings) by_source[c.source].push_back(&c);
  std::vector<Unit> units;
  for (size_t s = 0; s < project.sources.size(); ++s) {
    const marginalia::Source& source = project.sources[s];
    const auto bytes = code_point_bytes(source.text);
    const auto& codings = by_source[source.guid];
    for (size_t n = 0; n < source.utterances.size(); ++n) {
      const marginalia::Utterance& u = source.utterances[n];
      Unit unit;
      unit.id = source.guid + ":" + std::to_string(n);
      unit.source = s;
      unit.text = source.text.substr(bytes[u.start], bytes[u.end] - bytes[u.start]);
      std::set<std::string> codes;
      for (const marginalia::Coding* c : codings)
        if (c->start < u.end && c->end > u.start) codes.insert(c->code);
      unit.codes.assign(codes.begin(), codes.end());
      units.push_back(std::move(unit));
    }
  }
  return units;
}

// ---- the project every measurement starts from ---------------------------------------------

struct Imported {
  double seconds = NAN, cpu = NAN;
  uint64_t project_bytes = 0;
};

// What `marginalia-cli import` does: a new project, then for every file import_transcript (decode,
// NFC, parse turns) and ProjectStore::execute(AddSource) (text written, journal entry fdatasynced),
// then snapshot().
inline Imported import_corpus(const Corpus& corpus, const fs::path& folder) {
  using namespace marginalia;
  fs::remove_all(folder);
  Imported r;
  const double cpu = process_cpu();
  const auto start = Clock::now();
  ProjectStore::create(folder, "Benchmark", "en");
  auto store = ProjectStore::open(folder, OpenMode::Write);
  const RoleMap roles = RoleMap::defaults();
  for (const auto& file : corpus.files) {
    auto t = import_transcript(file, roles);
    store->execute(Command{AddSource{std::move(t.source)}, "Import " + file.filename().string()});
  }
  store->snapshot();
  r.seconds = seconds_since(start);
  r.cpu = process_cpu() - cpu;
  r.project_bytes = tree_bytes(folder);
  return r;
}

// The codings of the corpus's codings.tsv (written by marginalia-bench-corpus) on `project`, whose
// sources were imported from the corpus's files and whose codes come from the same codebook.
// Coders are added to the project by name. Throws naming the line of a coding that does not fit.
inline std::vector<marginalia::Coding> corpus_codings(const fs::path& tsv,
                                                      marginalia::Project& project) {
  using namespace marginalia;
  std::ifstream in(tsv);
  if (!in) throw std::runtime_error("cannot read " + tsv.string() + " (generate the corpus again)");
  std::map<std::string, const Source*> by_file;
  std::map<const Source*, int64_t> length;
  for (const auto& s : project.sources) {
    by_file[s.origin_file] = &s;
    length[&s] = int64_t(code_point_bytes(s.text).size() - 1);
  }
  std::map<std::string, bool> codes;
  for (const auto& c : project.codes) codes[c.guid] = c.codable;
  std::map<std::string, std::string> coders;
  std::vector<Coding> codings;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string file, start, end, code, code_name, coder;
    std::getline(fields, file, '\t');
    std::getline(fields, start, '\t');
    std::getline(fields, end, '\t');
    std::getline(fields, code, '\t');
    std::getline(fields, code_name, '\t');
    std::getline(fields, coder, '\t');
    const auto where = tsv.string() + " line " + std::to_string(number);
    const auto source = by_file.find(file);
    if (source == by_file.end()) continue;  // a file not imported (a corpus cut short)
    if (!codes.count(code)) throw std::runtime_error(where + ": code " + code + " not in codebook");
    Coding c;
    c.start = std::stoll(start);
    c.end = std::stoll(end);
    if (c.start < 0 || c.end <= c.start || c.end > length[source->second])
      throw std::runtime_error(where + ": span outside " + file);
    c.guid = new_guid();
    c.source = source->second->guid;
    c.code = code;
    auto& guid = coders[coder];
    if (guid.empty()) {
      if (const Coder* known = project.coder_named(coder)) {
        guid = known->guid;
      } else {
        guid = new_guid();
        project.coders.push_back(Coder{guid, coder});
      }
    }
    c.coder = guid;
    c.created = "2026-11-30T00:00:00Z";
    codings.push_back(std::move(c));
  }
  return codings;
}

// The imported project with the codebook and the corpus's codings, written as a new project folder
// `coded`. Codings go in through create_from rather than AddCodings: prepare() and apply() look
// every new coding's GUID up in a linear scan of the project's codings, quadratic in the 130,000
// codings of 1,000 interviews. Returns the number of codings.
inline size_t write_coded_project(const fs::path& imported, const fs::path& codebook,
                                  const fs::path& codings_tsv, const fs::path& coded) {
  using namespace marginalia;
  auto store = ProjectStore::open(imported, OpenMode::ReadOnly);
  Project project = store->project();
  store.reset();
  for (auto& c : load_codebook(codebook).codes) project.codes.push_back(std::move(c));
  project.codings = corpus_codings(codings_tsv, project);
  fs::remove_all(coded);
  ProjectStore::create_from(coded, project);
  return project.codings.size();
}

// ---- the benchmarks' command lines ----------------------------------------------------------

// What the search and pipeline benchmarks both take: the corpus, their work folder, where the
// report goes and how it is labelled, the codebook.
struct RunOptions {
  fs::path corpus, work, markdown, figures;
  fs::path codebook = MARGINALIA_BENCH_CODEBOOK;
  std::string label;
};

// A tool's name and usage text, called with a problem: prints both and ends the program.
struct Usage {
  const char* tool;
  const char* text;
  [[noreturn]] void operator()(const std::string& problem) const {
    std::cerr << tool << ": " << problem << "\nusage: " << text << "\n";
    std::exit(2);
  }
};

// Reads `--name VALUE` options and `--flag`s in turn: the shared ones into `shared`, the others
// through `take(option, value)`, which calls value() for an argument and says whether it knew the
// option. A missing value or an unknown option ends the program through `usage`; so does a missing
// --corpus or --work.
template <typename Take>
void read_options(int argc, char** argv, RunOptions& shared, const Usage& usage, Take take) {
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(option + " needs a value");
      return argv[++i];
    };
    if (option == "--corpus")
      shared.corpus = value();
    else if (option == "--work")
      shared.work = value();
    else if (option == "--markdown")
      shared.markdown = value();
    else if (option == "--figures")
      shared.figures = value();
    else if (option == "--label")
      shared.label = value();
    else if (option == "--codebook")
      shared.codebook = value();
    else if (!take(option, value))
      usage("unknown option " + option);
  }
  if (shared.corpus.empty() || shared.work.empty()) usage("--corpus and --work are required");
}

}  // namespace bench
