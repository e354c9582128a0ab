// search and reindex: the project's utterances through its Xapian index (local or served by
// xapian-tcpsrv).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_commands.h"
#include "cli_output.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  std::string query;
  size_t limit = 50;
  std::string order = "rank";
  std::string format = "text";
  std::string index;
};

// Progress lines on stderr, at most ten a second; called from the indexing threads.
class StderrProgress : public ProgressSink {
 public:
  void progress(int64_t done, int64_t total, std::string_view what) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++calls_;
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::cerr << what << ": " << done << " of " << total << " utterances\n";
  }
  int64_t calls() const { return calls_; }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  int64_t calls_ = 0;
};

std::string clock_time(int64_t ms) {
  const int64_t s = ms / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

std::string spans_text(const std::vector<Span>& spans) {
  std::string out;
  for (const Span& s : spans)
    out += (out.empty() ? "" : ";") + std::to_string(s.start) + "-" + std::to_string(s.end);
  return out;
}

std::string code_label(const Project& p, const std::string& guid) {
  const Code* code = p.code(guid);
  return code ? p.code_path(*code) : guid;
}

std::string source_label(const Project& p, const std::string& guid) {
  const Source* source = p.source(guid);
  return source ? source->name : guid;
}

void print_text(const Project& p, const SearchResults& r) {
  for (const SearchHit& h : r.hits) {
    std::cout << h.source_name << " #" << h.utterance << "  " << h.speaker << " ("
              << role_name(h.role) << ")";
    if (h.timestamp_ms) std::cout << "  " << clock_time(*h.timestamp_ms);
    std::cout << "  turn " << h.turn.start << "-" << h.turn.end << "  matches "
              << (h.matches.empty() ? "-" : spans_text(h.matches)) << "\n";
    std::cout << "  " << h.snippet << "\n\n";
  }
  std::cout << r.total << (r.total == 1 ? " utterance matches" : " utterances match");
  if (r.hits.size() < r.total) std::cout << " (" << r.hits.size() << " shown)";
  std::cout << "\n";
  if (!r.per_source.empty()) {
    std::cout << "Per source:\n";
    for (const Source& s : p.sources)
      if (auto it = r.per_source.find(s.guid); it != r.per_source.end())
        std::cout << "  " << s.name << "  " << it->second << "\n";
  }
  if (!r.per_code.empty()) {
    std::cout << "Per code:\n";
    for (const Code& c : p.codes)
      if (auto it = r.per_code.find(c.guid); it != r.per_code.end())
        std::cout << "  " << p.code_path(c) << "  " << it->second << "\n";
  }
}

void print_csv(const SearchResults& r) {
  std::cout << "source,utterance,speaker,role,timestamp_ms,turn_start,turn_end,matches,snippet,"
               "weight\r\n";
  for (const SearchHit& h : r.hits) {
    std::cout << csv_field(h.source_name) << "," << h.utterance << "," << csv_field(h.speaker)
              << "," << role_name(h.role) << ","
              << (h.timestamp_ms ? std::to_string(*h.timestamp_ms) : "") << "," << h.turn.start
              << "," << h.turn.end << "," << csv_field(spans_text(h.matches)) << ","
              << csv_field(h.snippet) << "," << h.weight << "\r\n";
  }
}

void print_json(const Project& p, const std::string& query, const SearchResults& r) {
  nlohmann::json hits = nlohmann::json::array();
  for (const SearchHit& h : r.hits) {
    nlohmann::json matches = nlohmann::json::array();
    for (const Span& s : h.matches) matches.push_back({{"start", s.start}, {"end", s.end}});
    hits.push_back({{"source", h.source_name},
                    {"source_guid", h.source},
                    {"utterance", h.utterance},
                    {"speaker", h.speaker},
                    {"role", role_name(h.role)},
                    {"timestamp_ms", h.timestamp_ms ? nlohmann::json(*h.timestamp_ms) : nullptr},
                    {"turn", {{"start", h.turn.start}, {"end", h.turn.end}}},
                    {"matches", matches},
                    {"snippet", h.snippet},
                    {"weight", h.weight}});
  }
  nlohmann::json per_source = nlohmann::json::array(), per_code = nlohmann::json::array();
  for (const auto& [guid, count] : r.per_source)
    per_source.push_back({{"source", source_label(p, guid)}, {"guid", guid}, {"count", count}});
  for (const auto& [guid, count] : r.per_code)
    per_code.push_back({{"code", code_label(p, guid)}, {"guid", guid}, {"count", count}});
  nlohmann::json out = {{"query", query},
                        {"total", r.total},
                        {"hits", hits},
                        {"per_source", per_source},
                        {"per_code", per_code}};
  std::cout << out.dump(2) << "\n";
}

int cmd_search(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  StderrProgress progress;
  std::unique_ptr<SearchIndex> index = o.index.empty()
                                           ? SearchIndex::open(o.project, *store, &progress)
                                           : SearchIndex::open_remote(o.index);
  SearchOptions options;
  options.limit = o.limit;
  options.order = o.order == "transcript" ? HitOrder::Transcript : HitOrder::Rank;
  const SearchResults results = index->search(store->project(), o.query, options);
  if (o.format == "json")
    print_json(store->project(), o.query, results);
  else if (o.format == "csv")
    print_csv(results);
  else
    print_text(store->project(), results);
  return 0;
}

int cmd_reindex(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  StderrProgress progress;
  const auto started = std::chrono::steady_clock::now();
  try {
    std::unique_ptr<SearchIndex> index = SearchIndex::open(o.project, *store, &progress);
    if (progress.calls() == 0) index->rebuild(*store, &progress);  // it was current: redo anyway
  } catch (const Cancelled&) {
    std::cerr << "marginalia-cli: reindex cancelled; the old index stays\n";
    return 1;
  }
  size_t utterances = 0;
  for (const Source& s : store->project().sources) utterances += s.utterances.size();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.2f", seconds);
  std::cout << "Indexed " << utterances << " utterances of " << store->project().sources.size()
            << " sources in " << took << " s\n";
  return 0;
}

}  // namespace

void add_search_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* search = app.add_subcommand(
      "search",
      "Find utterances: words, \"phrases\", AND OR NOT, NEAR/n ADJ/n, distan*, and filters "
      "speaker: role: source: code: coder: time:START..END and case attributes (outcome:poor)");
  search->add_option("PROJECT", o.project, "Project folder")->required();
  search->add_option("QUERY", o.query, "The query (quote it for the shell)")->required();
  search->add_option("--limit", o.limit, "Hits to show (default 50; 0: all)");
  search->add_option("--order", o.order, "rank (default) or transcript (source, then turn)")
      ->check(CLI::IsMember({"rank", "transcript"}));
  search->add_option("--index", o.index,
                     "Search a read-only index served by xapian-tcpsrv: tcp://HOST:PORT");
  add_format(search, o.format, {"text", "csv", "json"});
  search->callback([&] { run = [&] { return cmd_search(o); }; });

  auto* reindex = app.add_subcommand("reindex", "Rebuild the search index on every core");
  reindex->add_option("PROJECT", o.project, "Project folder")->required();
  reindex->callback([&] { run = [&] { return cmd_reindex(o); }; });
}

}  // namespace marginalia::cli
