// marginalia-pipeline-bench: the rest of the pipeline over one generated corpus, each figure beside
// its baseline measured in the same run (tests/bench/README.md):
//   import and index (MB/s, peak memory, index size)      vs the bare Xapian TermGenerator loop
//   open a project (snapshot + journal), write a snapshot  vs pugixml parsing / saving project.qde
//   a coding edit acknowledged, and the index updated      vs append + fdatasync of the same bytes
//   frequencies, co-occurrence                             vs SQLite GROUP BY over the codings
// Prints a Markdown table, appends it to --markdown and writes the figures the scaling table
// compares to --figures. --make-project DIR only builds the coded project (for the app's timing).
//
// The bench is not core code: it may include <xapian.h>, <pugixml.hpp> and <sqlite3.h>.
#include <pugixml.hpp>

#include <algorithm>
#include <iostream>
#include <random>
#include <set>

#if MARGINALIA_BENCH_SQLITE
#include <sqlite3.h>
#endif

#include "bench_common.h"
#include "bench_xapian.h"
#include "marginalia/frequencies.h"
// The agreement core is written alongside; measured once it is there.
#if __has_include("marginalia/agreement.h")
#include "marginalia/agreement.h"
#define MARGINALIA_BENCH_AGREEMENT 1
#else
#define MARGINALIA_BENCH_AGREEMENT 0
#endif
#include "marginalia/search.h"

namespace fs = std::filesystem;
using namespace marginalia;
using namespace bench;

namespace {

struct Options : RunOptions {
  fs::path make_project;
  int edits = 200;
  int runs = 5;
  int64_t resamples = 1000;  // agreement's bootstrap
  // The measurements to make; the import (which makes the project) always runs.
  std::set<std::string> steps = {"index", "edit", "open", "analyses", "agreement"};
  uint64_t seed = 20261130;
};

constexpr Usage usage{
    "marginalia-pipeline-bench",
    "marginalia-pipeline-bench --corpus DIR --work DIR [--markdown FILE] [--figures FILE] "
    "[--label TEXT] [--edits 200] [--runs 5] [--codebook FILE] "
    "[--steps index,edit,open,analyses,agreement] [--resamples 1000]\n"
    "       marginalia-pipeline-bench --corpus DIR --work DIR --make-project DIR"};

Options parse(int argc, char** argv) {
  Options o;
  read_options(argc, argv, o, usage, [&](const std::string& a, const auto& value) {
    if (a == "--make-project") {
      o.make_project = value();
    } else if (a == "--edits") {
      o.edits = std::max(1, std::stoi(value()));
    } else if (a == "--runs") {
      o.runs = std::max(1, std::stoi(value()));
    } else if (a == "--resamples") {
      o.resamples = std::max(1, std::stoi(value()));
    } else if (a == "--steps") {
      const std::set<std::string> known = o.steps;
      o.steps.clear();
      std::stringstream list(value());
      std::string step;
      while (std::getline(list, step, ','))
        if (known.contains(step))
          o.steps.insert(step);
        else
          usage("unknown step " + step);
    } else {
      return false;
    }
    return true;
  });
  return o;
}

// ---- a measurement in a child process: its own peak memory -----------------------------------

struct ChildRun {
  double seconds = NAN;  // as the child measured it (the part it times)
  double cpu = NAN;      // the child's CPU seconds, every thread
  double peak_mb = NAN;  // the child's peak resident memory
  std::string error;
};

// Runs `work` in a forked child (before this process has threads), which reports the seconds it
// timed through a pipe; the kernel reports its peak resident set and CPU time. Peak memory is per
// process, so each measurement whose memory matters gets a process of its own.
ChildRun in_child(const std::function<double()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    std::string message;
    int code = 0;
    try {
      message = "ok " + std::to_string(work());
    } catch (const std::exception& e) {
      message = std::string("error ") + e.what();
      code = 1;
    }
    const ssize_t written = ::write(fds[1], message.data(), message.size());
    ::close(fds[1]);
    ::_exit(written < 0 ? 1 : code);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) message.append(buffer, size_t(n));
  ::close(fds[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  ChildRun r;
  r.cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  r.peak_mb = double(usage.ru_maxrss) * 1024 / 1e6;  // ru_maxrss is in KiB on Linux
  if (message.rfind("ok ", 0) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    r.seconds = std::stod(message.substr(3));
  } else {
    r.error = message.rfind("error ", 0) == 0
                  ? message.substr(6)
                  : "the child ended with status " + std::to_string(status);
  }
  return r;
}

// Times `run` `runs` times (after one untimed warm-up when `warm_up`), in milliseconds.
std::vector<double> timed_ms(int runs, const std::function<void()>& run, bool warm_up = true) {
  if (warm_up) run();
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    run();
    ms.push_back(seconds_since(start) * 1000);
  }
  return ms;
}

// ---- the edit: acknowledged, then the index updated --------------------------------------------

// Passes every edit on to the search index and times it: execute() calls the listener after the
// journal entry is durable, so the rest of execute() is the acknowledgement.
class TimedListener : public EditListener {
 public:
  explicit TimedListener(EditListener& inner) : inner_(inner) {}
  void edited(const Project& project, const Command& changed) override {
    const auto start = Clock::now();
    inner_.edited(project, changed);
    last_ms = seconds_since(start) * 1000;
  }
  double last_ms = 0;

 private:
  EditListener& inner_;
};

// A new coding of 3 to 30 words' worth of characters in a participant's turn, as a person makes
// one: inside one utterance, a code and coder drawn at random.
Coding random_coding(const Project& project, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return size_t(double(rng() >> 11) * 0x1.0p-53 * double(n)); };
  std::vector<const Code*> codable;
  for (const auto& c : project.codes)
    if (c.codable) codable.push_back(&c);
  for (;;) {
    const Source& s = project.sources[pick(project.sources.size())];
    if (s.utterances.empty()) continue;
    const Utterance& u = s.utterances[pick(s.utterances.size())];
    if (u.end - u.start < 20) continue;
    Coding c;
    c.guid = new_guid();
    c.source = s.guid;
    c.start = u.start + int64_t(pick(size_t(u.end - u.start - 10)));
    c.end = std::min(u.end, c.start + 15 + int64_t(pick(160)));
    c.code = codable[pick(codable.size())]->guid;
    c.coder = project.coders[pick(project.coders.size())].guid;
    c.created = "2026-11-30T00:00:00Z";
    return c;
  }
}

struct EditTimes {
  std::vector<double> total_ms, ack_ms, index_ms, floor_ms;
  uint64_t journal_bytes = 0;
};

EditTimes time_edits(const Options& o, const fs::path& project_dir) {
  EditTimes t;
  auto store = ProjectStore::open(project_dir, OpenMode::Write);
  auto index = SearchIndex::open(project_dir, *store);
  TimedListener listener(*index);
  store->set_listener(&listener);
  const fs::path journal = project_dir / ".marginalia" / "journal";
  std::mt19937_64 rng(o.seed);
  const uint64_t journal_before = fs::exists(journal) ? fs::file_size(journal) : 0;
  for (int i = 0; i < o.edits; ++i) {
    Coding c = random_coding(store->project(), rng);
    listener.last_ms = 0;
    const auto start = Clock::now();
    store->execute(Command{AddCodings{{std::move(c)}}, "Code passage"});
    const double ms = seconds_since(start) * 1000;
    t.total_ms.push_back(ms);
    t.index_ms.push_back(listener.last_ms);
    t.ack_ms.push_back(ms - listener.last_ms);
  }
  store->set_listener(nullptr);
  t.journal_bytes = (fs::file_size(journal) - journal_before) / uint64_t(o.edits);

  // The floor: the same number of bytes appended to a file and fdatasynced, as often, on the same
  // disk.
  const fs::path floor_file = o.work / "append-floor";
  const int fd =
      ::open(floor_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + floor_file.string());
  const std::string bytes(t.journal_bytes, 'x');
  for (int i = 0; i < o.edits; ++i) {
    const auto start = Clock::now();
    if (::write(fd, bytes.data(), bytes.size()) != ssize_t(bytes.size()) || ::fdatasync(fd) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot append to " + floor_file.string());
    }
    t.floor_ms.push_back(seconds_since(start) * 1000);
  }
  ::close(fd);
  fs::remove(floor_file);
  return t;
}

// ---- opening and the snapshot, against pugixml -------------------------------------------------

// The floor of opening: pugixml parsing project.qde into its DOM, nothing built from it.
void pugixml_parse(const fs::path& qde) {
  pugi::xml_document doc;
  const auto result = doc.load_file(qde.c_str());
  if (!result) throw std::runtime_error(qde.string() + ": " + result.description());
}

// The floor of a snapshot: pugixml writing the same document, flushed and fsynced.
void pugixml_save(const pugi::xml_document& doc, const fs::path& file) {
  FILE* out = std::fopen(file.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + file.string());
  pugi::xml_writer_file writer(out);
  doc.save(writer, "  ");
  const bool ok = std::fflush(out) == 0 && ::fsync(::fileno(out)) == 0;
  std::fclose(out);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

// ---- SQLite, the baseline of the analyses ------------------------------------------------------

#if MARGINALIA_BENCH_SQLITE
class Analyses {
 public:
  // One row per coding, and one per (utterance, code, coder) that a coding overlaps: what a
  // researcher with the codings in SQL would query. Built outside the timing.
  explicit Analyses(const Project& project) {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) throw std::runtime_error("SQLite: open");
    exec("CREATE TABLE coding(code TEXT, coder TEXT, source TEXT, start INT, end INT)");
    exec("CREATE TABLE unit_code(unit INT, code TEXT, coder TEXT)");
    exec("BEGIN");
    sqlite3_stmt* coding = prepare("INSERT INTO coding VALUES (?1, ?2, ?3, ?4, ?5)");
    sqlite3_stmt* unit = prepare("INSERT INTO unit_code VALUES (?1, ?2, ?3)");
    std::map<std::string, std::vector<const Coding*>> by_source;
    for (const auto& c : project.codings) {
      by_source[c.source].push_back(&c);
      sqlite3_bind_text(coding, 1, c.code.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(coding, 2, c.coder.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(coding, 3, c.source.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(coding, 4, c.start);
      sqlite3_bind_int64(coding, 5, c.end);
      step(coding);
    }
    int64_t id = 0;
    for (const auto& s : project.sources) {
      for (const auto& u : s.utterances) {
        std::set<std::pair<std::string, std::string>> seen;
        for (const Coding* c : by_source[s.guid])
          if (c->start < u.end && c->end > u.start && seen.insert({c->code, c->coder}).second) {
            sqlite3_bind_int64(unit, 1, id);
            sqlite3_bind_text(unit, 2, c->code.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(unit, 3, c->coder.c_str(), -1, SQLITE_STATIC);
            step(unit);
          }
        ++id;
      }
    }
    sqlite3_finalize(coding);
    sqlite3_finalize(unit);
    exec("COMMIT");
    frequencies_ = prepare(
        "SELECT code, count(*), count(DISTINCT source), sum(end - start) FROM coding GROUP BY "
        "code");
    cooccurrence_ = prepare(
        "SELECT a.code, b.code, count(*) FROM unit_code a JOIN unit_code b ON a.unit = b.unit AND "
        "a.coder = b.coder AND a.code < b.code GROUP BY a.code, b.code");
  }
  ~Analyses() {
    sqlite3_finalize(frequencies_);
    sqlite3_finalize(cooccurrence_);
    sqlite3_close(db_);
  }
  size_t frequencies() { return rows(frequencies_); }
  size_t cooccurrence() { return rows(cooccurrence_); }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    return s;
  }
  void step(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }
  size_t rows(sqlite3_stmt* s) {
    size_t n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) ++n;
    sqlite3_reset(s);
    return n;
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* frequencies_ = nullptr;
  sqlite3_stmt* cooccurrence_ = nullptr;
};
#endif

// ---- agreement ---------------------------------------------------------------------------------

#if MARGINALIA_BENCH_AGREEMENT
// What `marginalia-cli agree` computes for every code and all codes pooled, utterance units: the
// coefficients, with `resamples` bootstrap resamples each (0: none).
void agreement(const Project& project, int64_t resamples) {
  AgreementOptions options;
  options.unit = AgreementUnit::Utterance;
  const ProjectReliability reliability = project_reliability(project, options);
  auto run = [&](const ReliabilityData& data) {
    Coefficients c = compute_coefficients(data);
    if (resamples > 0) bootstrap(data, c, BootstrapOptions{resamples, 1});
  };
  for (const auto& code : reliability.codes) run(code.data);
  run(pooled(reliability));
}
#endif

// ---- the report --------------------------------------------------------------------------------

struct Row {
  std::string what;
  std::string figure;    // formatted, with its unit
  std::string baseline;  // what it is compared with, and its figure
  std::string ratio;     // figure ÷ baseline
  std::string target;    // the target and whether it is met, or ""
};

std::string ms_pair(const std::vector<double>& ms) {
  return figure(percentile(ms, 0.5)) + " / " + figure(percentile(ms, 0.95)) + " ms";
}

std::string verdict(bool met) {
  return met ? "met" : "**not met**";
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  const Corpus corpus = list_corpus(o.corpus);
  if (corpus.files.empty()) usage("no .txt files in " + o.corpus.string());
  fs::create_directories(o.work);
  const fs::path imported = o.work / "imported", project_dir = o.work / "project";

  if (!o.make_project.empty()) {
    import_corpus(corpus, imported);
    const size_t n =
        write_coded_project(imported, o.codebook, o.corpus / "codings.tsv", o.make_project);
    fs::remove_all(imported);
    std::cout << "Wrote " << o.make_project.string() << " (" << corpus.files.size() << " sources, "
              << n << " codings)\n";
    return 0;
  }

  const std::string load_at_start = load_average();
  const std::string label =
      o.label.empty() ? std::to_string(corpus.files.size()) + " interviews" : o.label;
  std::vector<Row> rows;
  std::vector<std::pair<std::string, double>> figures;  // for the scaling table
  bool failed = false;
  auto failure = [&](const std::string& what, const std::string& why) {
    rows.push_back({what, "failed: " + why, "", "", ""});
    std::cerr << what << " failed: " << why << "\n";
    failed = true;
  };

  // Import, then (untimed) the codebook and codings, in one child; the index rebuild in another;
  // the bare Xapian loop over the same utterances in a third. Forked before any thread exists.
  std::cerr << "== " << label << ": import...\n";
  const ChildRun import = in_child([&] {
    const double seconds = import_corpus(corpus, imported).seconds;
    write_coded_project(imported, o.codebook, o.corpus / "codings.tsv", project_dir);
    fs::remove_all(imported);
    return seconds;
  });
  if (!import.error.empty()) throw std::runtime_error("import: " + import.error);
  const bool indexing = o.steps.contains("index");
  std::cerr << "index...\n";
  const ChildRun index = !indexing ? ChildRun{} : in_child([&] {
    auto store = ProjectStore::open(project_dir, OpenMode::ReadOnly);
    const auto start = Clock::now();
    auto search = SearchIndex::open(project_dir, *store);
    return seconds_since(start);
  });
  std::cerr << "bare Xapian...\n";
  const fs::path bare_db = o.work / "xapian";
  const ChildRun bare = !indexing ? ChildRun{} : in_child([&] {
    auto store = ProjectStore::open(project_dir, OpenMode::ReadOnly);
    const auto units = units_of(store->project());
    return bare_xapian_per_utterance(units, bare_db, Xapian::TermGenerator::STEM_SOME);
  });
  const uint64_t index_bytes = tree_bytes(project_dir / ".marginalia" / "index");
  const uint64_t bare_bytes = tree_bytes(bare_db);
  fs::remove_all(bare_db);

  const double text_mb = mb(corpus.bytes);
  if (!indexing) {
  } else if (bare.error.empty()) {
    rows.push_back({"bare Xapian loop (baseline): 1 thread, per utterance",
                    figure(text_mb / bare.seconds) + " MB/s, peak " + figure(bare.peak_mb) +
                        " MB, index " + figure(mb(bare_bytes)) + " MB",
                    "", "", ""});
    figures.push_back({"bare Xapian index, s", bare.seconds});
  } else {
    failure("bare Xapian loop", bare.error);
  }
  rows.push_back(
      {"import: decode, parse turns, AddSource, snapshot",
       figure(text_mb / import.seconds) + " MB/s, peak " + figure(import.peak_mb) + " MB",
       "bare Xapian indexing " + figure(text_mb / bare.seconds) + " MB/s",
       ratio(bare.seconds, import.seconds), ""});
  figures.push_back({"import, s", import.seconds});
  figures.push_back({"import peak memory, MB", import.peak_mb});
  if (!indexing) {
  } else if (index.error.empty()) {
    const double speed = bare.seconds / index.seconds;
    rows.push_back({"index: SearchIndex rebuild (all cores)",
                    figure(text_mb / index.seconds) + " MB/s, peak " + figure(index.peak_mb) +
                        " MB, index " + figure(mb(index_bytes)) + " MB",
                    "bare Xapian loop " + figure(text_mb / bare.seconds) + " MB/s, peak " +
                        figure(bare.peak_mb) + " MB, index " + figure(mb(bare_bytes)) + " MB",
                    ratio(speed, 1) + " speed, " + ratio(index.peak_mb, bare.peak_mb) + " memory",
                    "≥ 1.5× speed: " + verdict(speed >= 1.5) + "; peak < 2 GB: " +
                        verdict(std::max(index.peak_mb, import.peak_mb) < 2000)});
    figures.push_back({"index rebuild, s", index.seconds});
    figures.push_back({"index peak memory, MB", index.peak_mb});
    figures.push_back({"index size, MB", mb(index_bytes)});
  } else {
    failure("index", index.error);
  }

  // Edits: the journal is left holding them, so that opening replays a journal.
  if (o.steps.contains("edit")) try {
      std::cerr << "edits...\n";
      const EditTimes e = time_edits(o, project_dir);
      const double p95 = percentile(e.total_ms, 0.95), floor95 = percentile(e.floor_ms, 0.95);
      // The target is the acknowledgement: the edit is durable once the journal is flushed; the
      // index update that follows is shown beside it.
      const double ack95 = percentile(e.ack_ms, 0.95);
      rows.push_back({"coding edit: acknowledged (journal fdatasync) + index updated, p50 / p95",
                      ms_pair(e.total_ms),
                      "append + fdatasync of the same " + std::to_string(e.journal_bytes) +
                          " bytes " + ms_pair(e.floor_ms),
                      ratio(p95, floor95) + " (p95)", ""});
      rows.push_back({"… of which acknowledged (execute() before the index)", ms_pair(e.ack_ms),
                      "the same floor", ratio(ack95, floor95) + " (p95)",
                      "p95 ≤ 5×: " + verdict(ack95 <= 5 * floor95)});
      rows.push_back(
          {"… of which the index update (EditListener)", ms_pair(e.index_ms), "", "", ""});
      figures.push_back({"edit p95, ms", p95});
      figures.push_back({"edit ack p95, ms", percentile(e.ack_ms, 0.95)});
      figures.push_back({"edit index update p95, ms", percentile(e.index_ms, 0.95)});
      figures.push_back({"append+fdatasync p95, ms", floor95});
    } catch (const std::exception& e) {
      failure("coding edit", e.what());
    }

  // Opening (snapshot + the journal of the edits) and the snapshot, against pugixml.
  if (o.steps.contains("open")) {
    std::cerr << "open and snapshot...\n";
    const fs::path qde = project_dir / "project.qde";
    const double qde_mb = mb(fs::file_size(qde));
    const auto journal_entries = [&] {
      std::ifstream in(project_dir / ".marginalia" / "journal");
      return std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
    }();
    try {
      const auto open_ms =
          timed_ms(o.runs, [&] { ProjectStore::open(project_dir, OpenMode::ReadOnly); });
      const auto parse_ms = timed_ms(o.runs, [&] { pugixml_parse(qde); });
      const double open = percentile(open_ms, 0.5), parse = percentile(parse_ms, 0.5);
      rows.push_back({"open: project.qde + model.json + journal of " +
                          std::to_string(journal_entries) + " entries, p50",
                      figure(open) + " ms, " + figure(qde_mb / (open / 1000)) + " MB/s of " +
                          figure(qde_mb) + " MB project.qde",
                      "pugixml parse of project.qde, no model " + figure(parse) + " ms, " +
                          figure(qde_mb / (parse / 1000)) + " MB/s",
                      ratio(open, parse), "≤ 3×: " + verdict(open <= 3 * parse)});
      figures.push_back({"open, ms", open});
      figures.push_back({"pugixml parse, ms", parse});

      auto store = ProjectStore::open(project_dir, OpenMode::Write);
      const auto snapshot_ms = timed_ms(o.runs, [&] { store->snapshot(); });
      store.reset();
      pugi::xml_document doc;
      doc.load_file(qde.c_str());
      const fs::path copy = o.work / "pugixml-save.qde";
      const auto save_ms = timed_ms(o.runs, [&] { pugixml_save(doc, copy); });
      fs::remove(copy);
      const double snap = percentile(snapshot_ms, 0.5), save = percentile(save_ms, 0.5);
      rows.push_back(
          {"snapshot: project.qde + model.json written and synced, p50",
           figure(snap) + " ms, " + figure(qde_mb / (snap / 1000)) + " MB/s of project.qde",
           "pugixml save of the same document + fsync " + figure(save) + " ms, " +
               figure(qde_mb / (save / 1000)) + " MB/s",
           ratio(snap, save), ""});
      figures.push_back({"snapshot, ms", snap});
      figures.push_back({"pugixml save, ms", save});
    } catch (const std::exception& e) {
      failure("open and snapshot", e.what());
    }
  }

  // Analyses on the opened project.
  if (o.steps.contains("analyses")) try {
      std::cerr << "analyses...\n";
      auto store = ProjectStore::open(project_dir, OpenMode::ReadOnly);
      const Project& project = store->project();
      const auto freq_ms = timed_ms(o.runs, [&] { code_frequencies(project); });
      const auto passage_ms = timed_ms(o.runs, [&] { code_cooccurrence(project); });
      const auto utterance_ms = timed_ms(o.runs, [&] {
        CooccurrenceOptions options;
        options.unit = CooccurrenceUnit::Utterance;
        code_cooccurrence(project, options);
      });
      std::vector<double> sql_freq_ms, sql_cooc_ms;
      std::string baseline_note = "SQLite not built in";
#if MARGINALIA_BENCH_SQLITE
      Analyses sql(project);
      sql_freq_ms = timed_ms(o.runs, [&] { sql.frequencies(); });
      sql_cooc_ms = timed_ms(o.runs, [&] { sql.cooccurrence(); });
#endif
      const double f = percentile(freq_ms, 0.5), p = percentile(passage_ms, 0.5),
                   u = percentile(utterance_ms, 0.5);
      const double sf = percentile(sql_freq_ms, 0.5), sc = percentile(sql_cooc_ms, 0.5);
      rows.push_back(
          {"frequencies (all codes: codings, sources, cases, characters, words, roles), p50",
           figure(f) + " ms",
           sql_freq_ms.empty()
               ? baseline_note
               : "SQLite GROUP BY code (count, sources, characters) " + figure(sf) + " ms",
           ratio(f, sf), ""});
      rows.push_back({"co-occurrence matrix, utterance unit, p50", figure(u) + " ms",
                      sql_cooc_ms.empty() ? baseline_note
                                          : "SQLite self-join of (utterance, code, coder) rows " +
                                                figure(sc) + " ms",
                      ratio(u, sc), ""});
      rows.push_back({"co-occurrence matrix, passage unit (the default), p50", figure(p) + " ms",
                      "the same SQLite join", ratio(p, sc), ""});
      figures.push_back({"frequencies, ms", f});
      figures.push_back({"co-occurrence utterance, ms", u});
      figures.push_back({"co-occurrence passage, ms", p});
      if (!sql_freq_ms.empty()) {
        figures.push_back({"SQLite frequencies, ms", sf});
        figures.push_back({"SQLite co-occurrence, ms", sc});
      }
    } catch (const std::exception& e) {
      failure("analyses", e.what());
    }

#if MARGINALIA_BENCH_AGREEMENT
  if (o.steps.contains("agreement")) try {
      std::cerr << "agreement...\n";
      auto store = ProjectStore::open(project_dir, OpenMode::ReadOnly);
      const Project& project = store->project();
      // The bootstrap's run is long: fewer runs, no warm-up.
      const int runs = std::min(o.runs, 3);
      const auto with_ms = timed_ms(
          runs, [&] { agreement(project, o.resamples); }, false);
      const auto without_ms = timed_ms(
          runs, [&] { agreement(project, 0); }, false);
      const double with = percentile(with_ms, 0.5), without = percentile(without_ms, 0.5);
      // The bootstrap's cost is linear in the resamples: with fewer, the 1,000's is estimated.
      const double per_resample = (with - without) / double(o.resamples);
      const double thousand = without + 1000 * per_resample;
      std::string target = "< 10 s at 1,000 interviews: ";
      target += corpus.files.size() >= 1000 ? verdict(thousand < 10000)
                                            : "this size " + figure(thousand / 1000) + " s";
      if (o.resamples != 1000)
        target += " (1,000 resamples estimated from " + thousands(uint64_t(o.resamples)) + ")";
      rows.push_back({"agreement: utterance unit, every code and pooled, " +
                          thousands(uint64_t(o.resamples)) + " bootstrap resamples, p50",
                      figure(with) + " ms",
                      "the same coefficients without the bootstrap " + figure(without) + " ms",
                      ratio(with, without), target});
      figures.push_back({"agreement, bootstrap per resample, ms", per_resample});
      figures.push_back({"agreement without bootstrap, ms", without});
    } catch (const std::exception& e) {
      failure("agreement", e.what());
    }
#else
  rows.push_back({"agreement",
                  "not measured: the agreement core (marginalia/agreement.h) is not "
                  "in this build",
                  "", "", ""});
#endif

  size_t codings = 0, units = 0;
  {
    auto store = ProjectStore::open(project_dir, OpenMode::ReadOnly);
    codings = store->project().codings.size();
    for (const auto& s : store->project().sources) units += s.utterances.size();
  }

  std::ostringstream md;
  md << "### Pipeline, " << label << "\n\n"
     << corpus.files.size() << " interviews, " << figure(text_mb) << " MB of text, "
     << thousands(units) << " utterances, " << thousands(codings)
     << " codings by 2 coders. Load average at the start " << load_at_start << ", at the end "
     << load_average() << ". Peak memory is each step's own process's peak resident set.\n\n"
     << "| what | Marginalia | baseline (same run) | ratio | target |\n|---|--:|--:|--:|---|\n";
  for (const auto& r : rows)
    md << "| " << r.what << " | " << r.figure << " | " << r.baseline << " | " << r.ratio << " | "
       << r.target << " |\n";
  md << "\n";
  std::cout << md.str();
  if (!o.markdown.empty()) {
    std::ofstream out(o.markdown, std::ios::app);
    out << md.str();
  }
  if (!o.figures.empty()) {
    std::ofstream out(o.figures, std::ios::app);
    for (const auto& [name, value] : figures) out << name << '\t' << value << '\n';
  }
  fs::remove_all(project_dir);
  return failed ? 1 : 0;
} catch (const std::exception& e) {
  std::cerr << "marginalia-pipeline-bench: error: " << e.what() << "\n";
  return 1;
}
