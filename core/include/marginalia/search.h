// Search over every utterance of a project: a Xapian index in .marginalia/index (derived data,
// rebuilt when missing, outdated or damaged), a query language researchers can use, hits with
// code-point spans so that every hit can be coded. Implemented in core/src/index/, the only module
// that includes <xapian.h>; no Xapian type or exception leaves it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/model.h"
#include "marginalia/progress.h"
#include "marginalia/project_store.h"

namespace marginalia {

// A query that cannot be run: says what is wrong ("unbalanced quote", "unknown field 'colour:'",
// "empty query") and, where it can, the character position in the query (0-based, code points).
class QueryError : public BadInput {
 public:
  QueryError(const std::string& message, std::optional<int64_t> position = std::nullopt)
      : BadInput(message), position(position) {}
  std::optional<int64_t> position;
};

struct Span {
  int64_t start = 0;  // code points into the source text, [start, end)
  int64_t end = 0;
  bool operator==(const Span&) const = default;
};

struct SearchHit {
  std::string source;       // guid
  std::string source_name;  // as shown to people
  size_t utterance = 0;     // index into Source::utterances
  std::string speaker;
  Role role = Role::Unknown;
  std::optional<int64_t> timestamp_ms;
  Span turn;                  // the utterance's span
  std::vector<Span> matches;  // the matched words (stemmed forms included), in text order
  std::string snippet;        // text around the matches, each match marked as [[word]]
  double weight = 0;          // Xapian's relevance; 0 in transcript order
};

enum class HitOrder { Rank, Transcript };

struct SearchOptions {
  size_t limit = 50;  // 0: all hits
  HitOrder order = HitOrder::Rank;
  // Counts per source and per code over ALL matches: they make Xapian visit every match instead
  // of stopping at the best `limit`, so callers that only show hits turn them off.
  bool counts = true;
};

struct SearchResults {
  std::vector<SearchHit> hits;
  size_t total = 0;                          // all matching utterances (not only those returned)
  std::map<std::string, size_t> per_source;  // source guid -> matching utterances (all of them)
  std::map<std::string, size_t> per_code;    // code guid -> matching utterances that carry it
};

// What `check` finds of a project's local index. Missing and Outdated are ordinary (after a crash
// the index may lag the journal; the next open rebuilds it); Damaged and Inconsistent are faults.
struct IndexHealth {
  enum class State { Current, Missing, Outdated, Damaged, Inconsistent };
  State state = State::Current;
  std::string detail;  // what was found, for a person; empty when Current
};

class SearchIndex : public EditListener {
 public:
  // Looks at the index of the project in `folder` without changing it: readable, of our schema,
  // of this project and revision, and then one document per utterance with every source's
  // documents made from its present text, turns and codings.
  static IndexHealth inspect(const std::filesystem::path& folder, const ProjectStore& store);

  // The index of the project in `folder`: opened when current (schema version and project
  // revision in its metadata match), else rebuilt from the project with progress on `progress`.
  static std::unique_ptr<SearchIndex> open(const std::filesystem::path& folder,
                                           const ProjectStore& store,
                                           ProgressSink* progress = nullptr);
  // A read-only index served by xapian-tcpsrv ("tcp://HOST:PORT"); searches need the project for
  // names, spans and snippets.
  static std::unique_ptr<SearchIndex> open_remote(const std::string& url);

  ~SearchIndex() override;

  // Rebuilds everything from the project: utterances indexed in parallel into `shards` shard
  // databases (0: one per core, never more than there are sources) in a temporary folder, merged
  // with Xapian's compact into one, which then replaces the old index folder in one rename. Throws
  // Cancelled when the sink cancels (the old index then stays), EnvironmentError when it cannot
  // write, and for a remote index.
  void rebuild(const ProjectStore& store, ProgressSink* progress = nullptr, size_t shards = 0);

  // EditListener: follows every edit at once (new or removed sources, the code and coder terms of
  // the utterances touched by codings).
  void edited(const Project& project, const Command& changed) override;

  // Throws QueryError for a malformed query. Thread: one SearchIndex per thread.
  SearchResults search(const Project& project, std::string_view query,
                       const SearchOptions& options = {}) const;

  // Documents in the index: one per utterance of the project it reflects.
  size_t document_count() const;

  struct Native;

 private:
  explicit SearchIndex(std::unique_ptr<Native> native);
  std::unique_ptr<Native> native_;
};

}  // namespace marginalia
