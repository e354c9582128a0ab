// marginalia-search-bench: import-and-index throughput, index size and query latency of
// Marginalia's search over one generated corpus, beside its baselines on the same data in the same
// run: a bare single-threaded Xapian TermGenerator loop, recollindex, SQLite FTS5 and grep -c.
// Prints a Markdown table and appends it to --markdown. See tests/bench/README.md.
//
// The bench is not core code: it may include <xapian.h> and <sqlite3.h> for the baselines.
#include <xapian.h>

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
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#if MARGINALIA_BENCH_FTS5
#include <sqlite3.h>
#endif

#include "bench_common.h"
#include "bench_xapian.h"
#include "corpus_themes.h"
#include "marginalia/codebook.h"
#include "marginalia/commands.h"
#include "marginalia/error.h"
#include "marginalia/model.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/transcript.h"

namespace fs = std::filesystem;
using namespace marginalia;
using namespace bench;

namespace {

struct Options : RunOptions {
  fs::path vocabulary = MARGINALIA_BENCH_VOCABULARY;
  int runs = 50;
  int grep_runs = 10;
  bool recoll = true;
  bool variants = true;
};

constexpr Usage usage{"marginalia-search-bench",
                      "marginalia-search-bench --corpus DIR --work DIR [--markdown FILE] "
                      "[--figures FILE] [--label TEXT] [--runs 50] [--grep-runs 10] [--no-recoll] "
                      "[--no-variants] [--codebook FILE] [--vocabulary FILE]"};

Options parse(int argc, char** argv) {
  Options o;
  read_options(argc, argv, o, usage, [&](const std::string& a, const auto& value) {
    if (a == "--runs")
      o.runs = std::max(1, std::stoi(value()));
    else if (a == "--grep-runs")
      o.grep_runs = std::max(0, std::stoi(value()));
    else if (a == "--no-recoll")
      o.recoll = false;
    else if (a == "--no-variants")
      o.variants = false;
    else if (a == "--vocabulary")
      o.vocabulary = value();
    else
      return false;
    return true;
  });
  return o;
}

// ---- the data every engine indexes ---------------------------------------------------------

// ---- results -------------------------------------------------------------------------------

struct IndexRow {
  IndexRow() = default;
  explicit IndexRow(std::string what) : what(std::move(what)) {}
  std::string what;
  double seconds = NAN;
  double cpu = NAN;    // CPU seconds of every thread (and child process) it used
  uint64_t bytes = 0;  // transcript bytes processed
  std::optional<uint64_t> index_bytes;
  std::string skipped;  // why it did not run
  bool target = false;  // the row the ≥ 1.5× target applies to
};

struct Latencies {
  std::vector<double> ms;
  std::vector<double> cpu_ms;
  std::vector<double> hits;     // hits returned (at most the limit)
  std::vector<double> matches;  // all matching utterances, where the engine says
  std::string skipped;
};

struct QueryKind {
  std::string name;
  std::vector<std::string> marginalia, xapian, fts5;
  std::vector<std::vector<std::string>> grep;  // patterns and grep flags, files appended
  Latencies m, x, f, g;
};

// Times `runs` queries cycling through `queries` after one untimed warm-up pass over them.
void time_queries(Latencies& out, size_t count, int runs,
                  const std::function<std::pair<size_t, size_t>(size_t)>& run_one) {
  for (size_t i = 0; i < count; ++i) run_one(i);
  for (int r = 0; r < runs; ++r) {
    const double cpu = thread_cpu();
    const auto start = Clock::now();
    const auto [hits, matches] = run_one(size_t(r) % count);
    out.ms.push_back(seconds_since(start) * 1000);
    out.cpu_ms.push_back((thread_cpu() - cpu) * 1000);
    out.hits.push_back(double(hits));
    out.matches.push_back(double(matches));
  }
}

std::vector<std::string> query_words(const fs::path& vocabulary) {
  std::ifstream in(vocabulary);
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    // Plain words of four letters or more: no apostrophes, which FTS5 would need quoted.
    if (line.size() >= 4 &&
        std::all_of(line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      words.push_back(line);
  }
  if (words.size() < 400) throw std::runtime_error("too few words in " + vocabulary.string());
  return words;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string hex_term(std::string guid) {
  guid.erase(std::remove(guid.begin(), guid.end(), '-'), guid.end());
  return "k" + guid;
}

std::vector<QueryKind> make_queries(const std::vector<std::string>& words,
                                    const std::map<std::string, std::string>& code_guids) {
  const size_t n = 50;  // distinct queries per kind; runs cycle through them
  std::vector<QueryKind> kinds(4);
  auto& word = kinds[0];
  auto& phrase = kinds[1];
  auto& near = kinds[2];
  auto& code = kinds[3];
  word.name = "word";
  phrase.name = "phrase";
  near.name = "NEAR";
  code.name = "word + code:";
  for (size_t i = 0; i < n; ++i) {
    // Words of middling frequency (ranks ~50-400 of the plain words): each has hundreds of hits.
    const std::string& w = words[50 + 7 * i];
    word.marginalia.push_back(w);
    word.xapian.push_back(w);
    word.fts5.push_back(w);
    word.grep.push_back({"-c", "-i", "-w", "-e", w});

    const auto phrase_words = split_words(kThemePhrases[i % std::size(kThemePhrases)]);
    // First three words on the first pass, last three on the second: 48 distinct phrases.
    const size_t from = (i / std::size(kThemePhrases)) % 2 ? phrase_words.size() - 3 : 0;
    std::string p;
    for (size_t k = from; k < from + 3; ++k) p += (p.empty() ? "" : " ") + phrase_words[k];
    phrase.marginalia.push_back("\"" + p + "\"");
    phrase.xapian.push_back("\"" + p + "\"");
    phrase.fts5.push_back("\"" + p + "\"");
    phrase.grep.push_back({"-c", "-i", "-F", "-e", p});

    // The first and last long word of a theme phrase, within five words of each other; on the
    // second pass two plain words of the vocabulary, which meet only by chance.
    std::string a, b;
    if (i < std::size(kThemePhrases)) {
      std::vector<std::string> long_words;
      for (const auto& pw : phrase_words)
        if (pw.size() >= 4) long_words.push_back(pw);
      a = long_words.size() >= 2 ? long_words.front() : phrase_words.front();
      b = long_words.size() >= 2 ? long_words.back() : phrase_words.back();
    } else {
      a = words[20 + 3 * i];
      b = words[21 + 5 * i];
    }
    near.marginalia.push_back(a + " NEAR/5 " + b);
    near.xapian.push_back(a + " NEAR/5 " + b);
    near.fts5.push_back("NEAR(" + a + " " + b + ", 5)");
    const std::string gap = "(\\W+\\w+){0,5}\\W+";
    near.grep.push_back({"-c", "-i", "-E", "-e",
                         "\\b" + a + "\\b" + gap + b + "\\b|\\b" + b + "\\b" + gap + a + "\\b"});

    // Frequent words, so that the code filter leaves work to do.
    const std::string& cw = words[5 + 3 * i];
    const std::string code_name = kQueryCodes[i % std::size(kQueryCodes)];
    const std::string& guid = code_guids.at(code_name);
    code.marginalia.push_back(cw + " code:" + code_name);
    code.xapian.push_back(cw + " code:" + guid);
    code.fts5.push_back("text: " + cw + " AND codes: " + hex_term(guid));
  }
  return kinds;
}

// ---- bare Xapian -----------------------------------------------------------------------------

double bare_xapian_per_file(const std::vector<Unit>& units, const fs::path& db_path) {
  const auto start = Clock::now();
  Xapian::WritableDatabase db(db_path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  auto terms = term_generator(Xapian::TermGenerator::STEM_SOME);
  for (size_t i = 0; i < units.size();) {
    Xapian::Document doc;
    terms.set_document(doc);
    std::string data;
    std::set<std::string> codes;
    const size_t source = units[i].source;
    for (; i < units.size() && units[i].source == source; ++i) {
      terms.index_text(units[i].text);
      terms.increase_termpos();
      data += units[i].text;
      data += '\n';
      codes.insert(units[i].codes.begin(), units[i].codes.end());
    }
    doc.set_data(data);
    for (const auto& c : codes) doc.add_boolean_term("K" + c);
    db.add_document(doc);
  }
  db.commit();
  db.close();
  return seconds_since(start);
}

// The same loop on two threads into two shards (by source), without merging them: what the
// machine's second core can give before any merge cost.
double bare_xapian_two_shards(const std::vector<Unit>& units, const fs::path& base) {
  fs::create_directories(base);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  std::string failure;
  std::mutex failure_lock;
  for (int shard = 0; shard < 2; ++shard)
    threads.emplace_back([&, shard] {
      try {
        Xapian::WritableDatabase db((base / ("shard-" + std::to_string(shard))).string(),
                                    Xapian::DB_CREATE_OR_OVERWRITE);
        auto terms = term_generator(Xapian::TermGenerator::STEM_SOME);
        for (const auto& unit : units)
          if (int(unit.source % 2) == shard) add_unit(db, terms, unit);
        db.commit();
        db.close();
      } catch (const Xapian::Error& e) {
        const std::lock_guard<std::mutex> hold(failure_lock);
        failure = e.get_description();
      }
    });
  for (auto& t : threads) t.join();
  if (!failure.empty()) throw std::runtime_error("Xapian shard: " + failure);
  return seconds_since(start);
}

// Queries fetch the same 50 hits with a snippet each, as Marginalia's do.
std::pair<size_t, size_t> bare_xapian_query(const Xapian::Database& db, const std::string& query) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("en"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.add_boolean_prefix("code", "K");
  const Xapian::Query parsed = parser.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT |
                                                             Xapian::QueryParser::FLAG_BOOLEAN |
                                                             Xapian::QueryParser::FLAG_PHRASE);
  Xapian::Enquire enquire(db);
  enquire.set_query(parsed);
  const Xapian::MSet mset = enquire.get_mset(0, 50);
  size_t snippet_bytes = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const std::string text = it.get_document().get_data();
    snippet_bytes += mset.snippet(text, 200, Xapian::Stem("en"), Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                  "[[", "]]", "…")
                         .size();
  }
  if (snippet_bytes == size_t(-1)) std::cerr << "";  // keep the snippets from being optimised out
  return {mset.size(), mset.get_matches_estimated()};
}

// ---- SQLite FTS5 -----------------------------------------------------------------------------

#if MARGINALIA_BENCH_FTS5
struct Sqlite {
  sqlite3* db = nullptr;
  explicit Sqlite(const fs::path& file) {
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) fail("open");
  }
  ~Sqlite() { sqlite3_close(db); }
  void fail(const std::string& what) const {
    throw std::runtime_error("SQLite " + what + ": " + (db ? sqlite3_errmsg(db) : "no database"));
  }
  void exec(const std::string& sql) const {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("SQLite: " + message + " in: " + sql);
    }
  }
};

double fts5_index(const std::vector<Unit>& units, const fs::path& file) {
  fs::remove(file);
  const auto start = Clock::now();
  Sqlite db(file);
  db.exec("CREATE VIRTUAL TABLE utterance USING fts5(text, codes, tokenize = 'porter unicode61')");
  db.exec("BEGIN");
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db.db, "INSERT INTO utterance(text, codes) VALUES (?1, ?2)", -1, &insert,
                         nullptr) != SQLITE_OK)
    db.fail("prepare");
  for (const auto& unit : units) {
    std::string codes;
    for (const auto& c : unit.codes) codes += hex_term(c) + " ";
    sqlite3_bind_text(insert, 1, unit.text.data(), int(unit.text.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, codes.data(), int(codes.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) db.fail("insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  db.exec("COMMIT");
  return seconds_since(start);
}

class Fts5Queries {
 public:
  explicit Fts5Queries(const fs::path& file) : db_(file) {
    if (sqlite3_prepare_v2(
            db_.db,
            "SELECT rowid, snippet(utterance, 0, '[[', ']]', '…', 24) FROM utterance "
            "WHERE utterance MATCH ?1 ORDER BY rank LIMIT 50",
            -1, &select_, nullptr) != SQLITE_OK)
      db_.fail("prepare");
  }
  ~Fts5Queries() { sqlite3_finalize(select_); }
  std::pair<size_t, size_t> run(const std::string& query) {
    sqlite3_bind_text(select_, 1, query.data(), int(query.size()), SQLITE_TRANSIENT);
    size_t hits = 0, bytes = 0;
    int rc;
    while ((rc = sqlite3_step(select_)) == SQLITE_ROW) {
      ++hits;
      bytes += size_t(sqlite3_column_bytes(select_, 1));
    }
    sqlite3_reset(select_);
    if (rc != SQLITE_DONE) db_.fail("query " + query);
    if (bytes == size_t(-1)) std::cerr << "";
    return {hits, 0};
  }

 private:
  Sqlite db_;
  sqlite3_stmt* select_ = nullptr;
};
#endif

// ---- Recoll ----------------------------------------------------------------------------------

IndexRow recoll_index(const Corpus& corpus, const fs::path& corpus_dir, const fs::path& dir) {
  IndexRow row{"recollindex (own config dir, fresh index, its default threads)"};
  row.bytes = corpus.bytes;
  const auto program = find_program("recollindex");
  if (!program) {
    row.skipped = "recollindex not installed (package recollcmd)";
    return row;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream conf(dir / "recoll.conf");
    conf << "topdirs = " << fs::absolute(corpus_dir).string() << "\n"
         << "indexStemmingLanguages = english\n"
         << "noaspell = 1\n"
         << "loglevel = 2\n"
         << "logfilename = " << (dir / "recoll.log").string() << "\n";
  }
  const double cpu = process_cpu();
  const auto start = Clock::now();
  const int status =
      run_program({program->string(), "-c", dir.string(), "-z"}, (dir / "output.log").string());
  row.seconds = seconds_since(start);
  row.cpu = process_cpu() - cpu;
  if (status != 0) {
    row.skipped = "recollindex exited with " + std::to_string(status) + " (see " +
                  (dir / "output.log").string() + ")";
    row.seconds = NAN;
    return row;
  }
  row.index_bytes = tree_bytes(dir / "xapiandb");
  return row;
}

// ---- Marginalia ------------------------------------------------------------------------------

struct MarginaliaRun {
  IndexRow import_row, index_row, both_row;
  fs::path project;
  size_t codings = 0;
  std::unique_ptr<ProjectStore> store;
#if MARGINALIA_BENCH_INDEX
  std::unique_ptr<SearchIndex> index;
#endif
};

MarginaliaRun marginalia_import(const Options& o, const Corpus& corpus) {
  MarginaliaRun run;
  run.import_row.what = "Marginalia import: decode, parse turns, AddSource via ProjectStore";
  run.import_row.bytes = corpus.bytes;
  const fs::path imported = o.work / "marginalia-import";
  const Imported timed = import_corpus(corpus, imported);
  run.import_row.seconds = timed.seconds;
  run.import_row.cpu = timed.cpu;
  run.import_row.index_bytes = timed.project_bytes;
  // The codebook and the corpus's codings are added outside the timing.
  run.project = o.work / "marginalia";
  run.codings = write_coded_project(imported, o.codebook, o.corpus / "codings.tsv", run.project);
  fs::remove_all(imported);
  run.store = ProjectStore::open(run.project, OpenMode::Write);
  return run;
}

void measure(IndexRow& row, const std::function<double()>& index) {
  const double cpu = process_cpu();
  row.seconds = index();
  row.cpu = process_cpu() - cpu;
}

// ---- the report ------------------------------------------------------------------------------

double p95(const Latencies& l, bool cpu) {
  const auto& v = cpu ? l.cpu_ms : l.ms;
  return l.skipped.empty() && !v.empty() ? percentile(v, 0.95) : NAN;
}
std::string median_cell(const Latencies& l, const std::vector<double>& values) {
  if (!l.skipped.empty() || values.empty()) return "–";
  return figure(percentile(values, 0.5));
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  const Corpus corpus = list_corpus(o.corpus);
  if (corpus.files.empty()) usage("no .txt files in " + o.corpus.string());
  fs::create_directories(o.work);
  const std::string load_at_start = load_average();
  const std::string label =
      o.label.empty() ? std::to_string(corpus.files.size()) + " interviews" : o.label;
  std::cerr << "== " << label << ": " << corpus.files.size() << " files, "
            << figure(mb(corpus.bytes)) << " MB, in " << o.work.string() << "\n";

  // Marginalia's import, then the project every engine indexes.
  std::cerr << "Marginalia import...\n";
  MarginaliaRun m = marginalia_import(o, corpus);
  const Project& project = m.store->project();
  const std::vector<Unit> units = units_of(project);
  std::map<std::string, std::string> code_guids;
  for (const auto& c : project.codes) code_guids[c.name] = c.guid;
  std::vector<QueryKind> kinds = make_queries(query_words(o.vocabulary), code_guids);

  bool failed = false;  // Marginalia's side broke: the exit status says so, after the report
  m.index_row.what = "Marginalia index: SearchIndex::open on a project without index (rebuild)";
  m.index_row.bytes = corpus.bytes;
  m.index_row.target = true;
  m.both_row.what = "Marginalia import + index";
  m.both_row.bytes = corpus.bytes;
#if MARGINALIA_BENCH_INDEX
  std::cerr << "Marginalia index...\n";
  try {
    const double cpu = process_cpu();
    const auto start = Clock::now();
    m.index = SearchIndex::open(m.project, *m.store);
    m.index_row.seconds = seconds_since(start);
    m.index_row.cpu = process_cpu() - cpu;
    m.index_row.index_bytes = tree_bytes(m.project / ".marginalia" / "index");
    if (!*m.index_row.index_bytes) {  // the index lives elsewhere under .marginalia/
      uint64_t all = 0;
      for (const auto& e : fs::directory_iterator(m.project / ".marginalia"))
        if (e.is_directory()) all += tree_bytes(e.path());
      m.index_row.index_bytes = all;
    }
    m.both_row.seconds = m.import_row.seconds + m.index_row.seconds;
    m.both_row.cpu = m.import_row.cpu + m.index_row.cpu;
    std::cerr << "Marginalia queries...\n";
    for (auto& kind : kinds) {
      try {
        time_queries(kind.m, kind.marginalia.size(), o.runs, [&](size_t i) {
          const SearchResults r =
              m.index->search(project, kind.marginalia[i], {.limit = 50, .counts = false});
          size_t spans = 0;
          for (const auto& hit : r.hits) spans += hit.matches.size() + hit.snippet.size();
          if (spans == size_t(-1)) std::cerr << "";
          return std::pair<size_t, size_t>{r.hits.size(), r.total};
        });
      } catch (const std::exception& e) {
        kind.m.ms.clear();
        kind.m.skipped = e.what();
        failed = true;
        std::cerr << "Marginalia " << kind.name << " query failed: " << e.what() << "\n";
      }
    }
  } catch (const std::exception& e) {
    m.index_row.skipped = std::string("SearchIndex failed: ") + e.what();
    failed = true;
    std::cerr << m.index_row.skipped << "\n";
  }
#else
  m.index_row.skipped = "core/src/index/ had no sources when this bench was configured";
  for (auto& kind : kinds) kind.m.skipped = m.index_row.skipped;
  std::cerr << "Marginalia index skipped: " << m.index_row.skipped << "\n";
#endif
  if (!m.index_row.skipped.empty()) m.both_row.skipped = m.index_row.skipped;

  // Bare Xapian: the baseline of indexing and of query latency.
  std::cerr << "bare Xapian...\n";
  IndexRow bare{"bare Xapian TermGenerator loop: 1 thread, per utterance, STEM_SOME (baseline)"};
  bare.bytes = corpus.bytes;
  const fs::path bare_db = o.work / "xapian-utterance";
  measure(bare, [&] {
    return bare_xapian_per_utterance(units, bare_db, Xapian::TermGenerator::STEM_SOME);
  });
  bare.index_bytes = tree_bytes(bare_db);
  std::vector<IndexRow> variants;
  if (o.variants) {
    std::cerr << "bare Xapian variants...\n";
    IndexRow per_file{"bare Xapian, 1 thread, one document per file, STEM_SOME"};
    per_file.bytes = corpus.bytes;
    measure(per_file, [&] { return bare_xapian_per_file(units, o.work / "xapian-file"); });
    per_file.index_bytes = tree_bytes(o.work / "xapian-file");
    variants.push_back(per_file);
    IndexRow stem_all{"bare Xapian, 1 thread, per utterance, STEM_ALL"};
    stem_all.bytes = corpus.bytes;
    measure(stem_all, [&] {
      return bare_xapian_per_utterance(units, o.work / "xapian-stem-all",
                                       Xapian::TermGenerator::STEM_ALL);
    });
    stem_all.index_bytes = tree_bytes(o.work / "xapian-stem-all");
    variants.push_back(stem_all);
    IndexRow shards{"bare Xapian, 2 threads into 2 shards (no merge), per utterance, STEM_SOME"};
    shards.bytes = corpus.bytes;
    measure(shards, [&] { return bare_xapian_two_shards(units, o.work / "xapian-shards"); });
    shards.index_bytes = tree_bytes(o.work / "xapian-shards");
    variants.push_back(shards);
    fs::remove_all(o.work / "xapian-file");
    fs::remove_all(o.work / "xapian-stem-all");
    fs::remove_all(o.work / "xapian-shards");
  }
  {
    const Xapian::Database db(bare_db.string());
    for (auto& kind : kinds)
      time_queries(kind.x, kind.xapian.size(), o.runs,
                   [&](size_t i) { return bare_xapian_query(db, kind.xapian[i]); });
  }

  // Recoll.
  IndexRow recoll{"recollindex"};
  if (o.recoll) {
    std::cerr << "recollindex...\n";
    recoll = recoll_index(corpus, o.corpus, o.work / "recoll");
    if (!recoll.skipped.empty()) std::cerr << "Recoll skipped: " << recoll.skipped << "\n";
  } else {
    recoll.skipped = "skipped (--no-recoll)";
  }

  // SQLite FTS5.
  IndexRow fts5{"SQLite FTS5, porter unicode61, per utterance, one transaction"};
  fts5.bytes = corpus.bytes;
#if MARGINALIA_BENCH_FTS5
  std::cerr << "SQLite FTS5...\n";
  try {
    const fs::path file = o.work / "fts5.sqlite";
    measure(fts5, [&] { return fts5_index(units, file); });
    fts5.index_bytes = fs::file_size(file);
    Fts5Queries queries(file);
    for (auto& kind : kinds)
      time_queries(kind.f, kind.fts5.size(), o.runs,
                   [&](size_t i) { return queries.run(kind.fts5[i]); });
  } catch (const std::exception& e) {
    fts5.skipped = e.what();
    fts5.seconds = NAN;
    for (auto& kind : kinds) kind.f.skipped = e.what();
    std::cerr << "FTS5 skipped: " << e.what() << "\n";
  }
#else
  fts5.skipped = "built without libsqlite3-dev";
  for (auto& kind : kinds) kind.f.skipped = fts5.skipped;
  std::cerr << "FTS5 skipped: " << fts5.skipped << "\n";
#endif

  // grep -c over the files: no index, every query a scan.
  IndexRow grep{"grep -c -i -w over the files (one scan, no index; the word query's p50)"};
  grep.bytes = corpus.bytes;
  const auto grep_program = find_program("grep");
  if (grep_program && o.grep_runs > 0) {
    std::cerr << "grep...\n";
    for (auto& kind : kinds) {
      if (kind.grep.empty()) continue;
      time_queries(kind.g, std::min<size_t>(kind.grep.size(), size_t(o.grep_runs)), o.grep_runs,
                   [&](size_t i) {
                     std::vector<std::string> args = {grep_program->string()};
                     args.insert(args.end(), kind.grep[i].begin(), kind.grep[i].end());
                     for (const auto& f : corpus.files) args.push_back(f.string());
                     run_program(args);
                     return std::pair<size_t, size_t>{0, 0};
                   });
    }
    grep.seconds = percentile(kinds[0].g.ms, 0.5) / 1000;
    grep.cpu = percentile(kinds[0].g.cpu_ms, 0.5) / 1000;
  } else {
    grep.skipped = grep_program ? "skipped (--grep-runs 0)" : "grep not found";
  }
  kinds[3].g.skipped = "no codes in plain files";

  // The report.
  const double bare_rate = mb(bare.bytes) / bare.seconds;
  const double bare_cpu_rate = mb(bare.bytes) / bare.cpu;
  std::ostringstream md;
  md << "### " << label << "\n\n"
     << corpus.files.size() << " interviews, " << figure(mb(corpus.bytes)) << " MB of text, "
     << thousands(units.size()) << " utterances, " << thousands(m.codings)
     << " codings by 2 coders. Load average at the start " << load_at_start << ", at the end "
     << load_average() << ".\n\n"
     << "Indexing. MB/s of transcript text by wall time, and per CPU-second (all threads and child "
        "processes: steadier when other work shares the machine); × = ÷ the bare Xapian loop's "
        "figure:\n\n"
     << "| what | wall s | MB/s | × bare Xapian | CPU s | MB per CPU-s | × bare Xapian | index MB "
        "|\n"
     << "|---|--:|--:|--:|--:|--:|--:|--:|\n";
  auto index_line = [&](const IndexRow& r) {
    if (!r.skipped.empty()) {
      md << "| " << r.what << " | – | – | – | – | – | – | – (" << r.skipped << ") |\n";
      return;
    }
    const double rate = mb(r.bytes) / r.seconds, cpu_rate = mb(r.bytes) / r.cpu;
    const std::string target = r.target ? " (target ≥ 1.5×)" : "";
    md << "| " << r.what << " | " << figure(r.seconds) << " | " << figure(rate) << " | "
       << ratio(rate, bare_rate) << target << " | " << figure(r.cpu) << " | " << figure(cpu_rate)
       << " | " << ratio(cpu_rate, bare_cpu_rate) << " | "
       << (r.index_bytes ? figure(mb(*r.index_bytes)) : "–") << " |\n";
  };
  index_line(m.import_row);
  index_line(m.index_row);
  index_line(m.both_row);
  index_line(bare);
  for (const auto& v : variants) index_line(v);
  index_line(recoll);
  index_line(fts5);
  index_line(grep);
  md << "\nThe import row's size is the project folder (texts, project.qde, model.json); grep's "
        "row "
        "is one scan of the files (the word query's p50).\n\n"
     << "Queries, wall milliseconds p50 / p95 over " << o.runs
     << " runs cycling through 50 varied queries of each kind after an untimed warm-up pass (grep: "
     << o.grep_runs
     << " runs, a process each). 50 hits: Marginalia's with spans and snippets, bare Xapian's with "
        "MSet::snippet, FTS5's with snippet():\n\n"
     << "| query | first of the 50 | Marginalia | bare Xapian | FTS5 | grep -c | Marginalia p95 ÷ "
        "Xapian p95 (target ≤ 1.3) | ÷ FTS5 p95 (target < 1) | median hits M / X / F | median "
        "matches M / X (Xapian's estimate) |\n"
     << "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  auto cells = [](const Latencies& l, bool cpu) {
    const auto& v = cpu ? l.cpu_ms : l.ms;
    if (!l.skipped.empty() || v.empty()) return std::string("–");
    return figure(percentile(v, 0.5)) + " / " + figure(percentile(v, 0.95));
  };
  for (const auto& k : kinds) {
    md << "| " << k.name << " | `" << k.marginalia[0] << "` | " << cells(k.m, false) << " | "
       << cells(k.x, false) << " | " << cells(k.f, false) << " | " << cells(k.g, false) << " | "
       << ratio(p95(k.m, false), p95(k.x, false)) << " | "
       << ratio(p95(k.m, false), p95(k.f, false)) << " | " << median_cell(k.m, k.m.hits) << " / "
       << median_cell(k.x, k.x.hits) << " / " << median_cell(k.f, k.f.hits) << " | "
       << median_cell(k.m, k.m.matches) << " / " << median_cell(k.x, k.x.matches) << " |\n";
  }
  md << "\nThe same queries in CPU milliseconds of the querying thread (grep: of the child), p50 / "
        "p95: what the code costs, without the waits for the CPU that other processes cause:\n\n"
     << "| query | Marginalia | bare Xapian | FTS5 | grep -c | Marginalia p95 ÷ Xapian p95 | ÷ "
        "FTS5 p95 |\n"
     << "|---|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& k : kinds)
    md << "| " << k.name << " | " << cells(k.m, true) << " | " << cells(k.x, true) << " | "
       << cells(k.f, true) << " | " << cells(k.g, true) << " | "
       << ratio(p95(k.m, true), p95(k.x, true)) << " | " << ratio(p95(k.m, true), p95(k.f, true))
       << " |\n";

  md << "\nTargets in this run (wall; CPU in brackets):\n\n";
  if (m.index_row.skipped.empty()) {
    const double wall = (mb(m.index_row.bytes) / m.index_row.seconds) / bare_rate;
    const double cpu = (mb(m.index_row.bytes) / m.index_row.cpu) / bare_cpu_rate;
    md << "- Indexing ≥ 1.5× the bare Xapian loop: " << ratio(wall, 1) << " (" << ratio(cpu, 1)
       << ") — " << (wall >= 1.5 ? "met" : "not met") << ".\n";
  } else {
    md << "- Indexing ≥ 1.5× the bare Xapian loop: not measured (" << m.index_row.skipped << ").\n";
  }
  for (const auto& k : kinds) {
    const double vs_x = p95(k.m, false) / p95(k.x, false), vs_f = p95(k.m, false) / p95(k.f, false);
    const double cpu_x = p95(k.m, true) / p95(k.x, true), cpu_f = p95(k.m, true) / p95(k.f, true);
    md << "- " << k.name << " p95: ";
    if (std::isnan(vs_x)) {
      md << "not measured" << (k.m.skipped.empty() ? "" : " (" + k.m.skipped + ")") << ".\n";
      continue;
    }
    md << ratio(vs_x, 1) << " (" << ratio(cpu_x, 1) << ") bare Xapian — "
       << (vs_x <= 1.3 ? "met" : "not met");
    if (!std::isnan(vs_f))
      md << "; " << ratio(vs_f, 1) << " (" << ratio(cpu_f, 1) << ") FTS5 — "
         << (vs_f < 1 ? "met" : "not met");
    md << ".\n";
  }
  md << "\n";
  if (!recoll.skipped.empty()) md << "Recoll: " << recoll.skipped << ".\n\n";

  std::cout << md.str();
  if (!o.markdown.empty()) {
    fs::create_directories(fs::absolute(o.markdown).parent_path());
    std::ofstream out(o.markdown, std::ios::app);
    out << md.str();
  }
  if (!o.figures.empty()) {  // the scaling table's rows (tests/bench/suite)
    std::ofstream out(o.figures, std::ios::app);
    for (const auto& k : kinds) {
      if (const double v = p95(k.m, false); !std::isnan(v))
        out << "query " << k.name << " p95, ms\t" << v << "\n";
      if (const double v = p95(k.x, false); !std::isnan(v))
        out << "bare Xapian " << k.name << " p95, ms\t" << v << "\n";
      if (const double v = p95(k.f, false); !std::isnan(v))
        out << "FTS5 " << k.name << " p95, ms\t" << v << "\n";
    }
  }
  return failed ? 1 : 0;
} catch (const std::exception& e) {
  std::cerr << "marginalia-search-bench: error: " << e.what() << "\n";
  return 1;
}
