// The search index: a Xapian database in <project>/.marginalia/index, one document per utterance
// (index_terms.h), kept in step with every edit through the store's EditListener.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "index/index_terms.h"
#include "index/query_translation.h"
#include "marginalia/search.h"
#include "marginalia/text.h"

namespace marginalia {

namespace fs = std::filesystem;
using namespace index;

namespace {

std::string xapian_message(const Xapian::Error& e) {
  // The system's reason ("No space left on device") when Xapian has one.
  const char* reason = e.get_error_string();
  return e.get_type() + std::string(": ") + e.get_msg() +
         (reason && *reason ? std::string(" (") + reason + ")" : std::string());
}

// The index holds the transcripts' words: its folder and files are readable by their owner only.
void make_private(const fs::path& folder) {
  std::error_code ec;
  fs::permissions(folder, fs::perms::owner_all, ec);
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec))
    fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write, ec);
}

void fsync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Puts `fresh` in the place of `target` in one step where the file system can (renameat2 with
// RENAME_EXCHANGE), so readers see the old index or the new one, never none; `fresh` then holds the
// old one.
void swap_into_place(const fs::path& fresh, const fs::path& target) {
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    fs::rename(fresh, target, ec);
    if (ec) throw EnvironmentError("cannot put the new search index in place: " + ec.message());
    return;
  }
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return;
#endif
  // No exchange here: move the old one aside first. A crash in between leaves no index, which the
  // next open rebuilds.
  const fs::path aside = fresh.string() + ".old";
  fs::rename(target, aside, ec);
  if (!ec) fs::rename(fresh, target, ec);
  if (ec) throw EnvironmentError("cannot put the new search index in place: " + ec.message());
  fs::rename(aside, fresh, ec);
}

// Half-built indexes (".index-new-PID-N") whose builder died, killed in the middle of a rebuild:
// without this each such crash would leave one behind for good.
void remove_abandoned_builds(const fs::path& folder) {
  std::error_code ec;
  std::vector<fs::path> abandoned;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view kPrefix = ".index-new-";
    if (name.rfind(kPrefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + kPrefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      abandoned.push_back(entry.path());
  }
  for (const fs::path& p : abandoned) fs::remove_all(p, ec);
}

// What an edit changes in the index.
struct Changes {
  std::set<std::string> added, removed, redo;  // sources: index, drop, index again
  std::vector<Coding> codings;                 // added, removed or changed (before and after)
  bool sync_all = false;                       // unknown edit: compare every source's fingerprint
};

template <typename T>
using Plain = std::remove_cvref_t<T>;

void collect(const Action& action, Changes& changes);

template <typename A>
void collect_one(const A& a, Changes& changes) {
  if constexpr (std::is_same_v<A, AddSource>) {
    changes.added.insert(a.source.guid);
  } else if constexpr (std::is_same_v<A, RemoveSource>) {
    changes.removed.insert(a.source.guid);
  } else if constexpr (std::is_same_v<A, SetCases>) {
    for (const auto* list : {&a.cases, &a.previous})
      for (const Case& c : *list) changes.redo.insert(c.sources.begin(), c.sources.end());
  } else if constexpr (requires { a.actions; }) {  // several actions as one step
    for (const auto& inner : a.actions) collect(inner, changes);
  } else if constexpr (requires { a.codings; }) {  // codings added, removed or changed
    if constexpr (std::is_same_v<Plain<decltype(a.codings)>, std::vector<Coding>>)
      changes.codings.insert(changes.codings.end(), a.codings.begin(), a.codings.end());
    else
      changes.sync_all = true;
    if constexpr (requires { a.previous; }) {
      if constexpr (std::is_same_v<Plain<decltype(a.previous)>, std::vector<Coding>>)
        changes.codings.insert(changes.codings.end(), a.previous.begin(), a.previous.end());
      else
        changes.sync_all = true;
    }
  } else if constexpr (
      requires { a.coder; } || requires { a.codes; } || requires { a.memos; } ||
      requires { a.marks; }) {
    // Coders, the codebook's names and tree, memos, done marks: the index holds GUIDs only.
  } else {
    changes.sync_all = true;  // an edit this module does not know yet
  }
}

void collect(const Action& action, Changes& changes) {
  std::visit([&](const auto& a) { collect_one(a, changes); }, action);
}

// Each source's codings, copied and kept in step with the edits, so that an edit's index update
// finds them without a scan of the project's list (130,000 codings at a thousand interviews, which
// made one edit's update cost what the project holds). Only AddCodings, RemoveCodings and
// UpdateCodings change the codings; a count unlike the project's starts it afresh.
class CodingsBySource {
 public:
  const std::vector<Coding>& of(const Project& project, const std::string& source) {
    if (!valid_ || count_ != project.codings.size()) {
      by_source_.clear();
      for (const Coding& c : project.codings) by_source_[c.source].push_back(c);
      count_ = project.codings.size();
      valid_ = true;
    }
    static const std::vector<Coding> none;
    auto it = by_source_.find(source);
    return it == by_source_.end() ? none : it->second;
  }

  // After `action` was applied to the project.
  void follow(const Action& action) {
    if (!valid_) return;
    std::visit(
        [&](const auto& a) {
          using A = Plain<decltype(a)>;
          if constexpr (std::is_same_v<A, AddCodings>) {
            for (const Coding& c : a.codings) add(c);
          } else if constexpr (std::is_same_v<A, RemoveCodings>) {
            for (const Coding& c : a.codings) remove(c);
          } else if constexpr (std::is_same_v<A, UpdateCodings>) {
            for (const Coding& c : a.previous) remove(c);
            for (const Coding& c : a.codings) add(c);
          } else if constexpr (std::is_same_v<A, Batch>) {
            for (const Action& inner : a.actions) follow(inner);
          }
        },
        action);
  }

 private:
  std::vector<Coding>::iterator find(std::vector<Coding>& list, const std::string& guid) {
    return std::find_if(list.begin(), list.end(), [&](const Coding& c) { return c.guid == guid; });
  }
  void add(const Coding& c) {
    std::vector<Coding>& list = by_source_[c.source];
    if (find(list, c.guid) != list.end()) return;  // applied already: apply() skipped it too
    list.push_back(c);
    ++count_;
  }
  void remove(const Coding& c) {
    std::vector<Coding>& list = by_source_[c.source];
    auto it = find(list, c.guid);
    if (it == list.end()) return;
    list.erase(it);
    --count_;
  }

  std::unordered_map<std::string, std::vector<Coding>> by_source_;
  size_t count_ = 0;
  bool valid_ = false;
};

// Each word's stemmed term ("Z" + stem), kept between searches: the words of a project's hits are
// much the same from one query to the next, and stemming them was most of a search's own cost.
class StemCache {
 public:
  // Called once per search: the project's language, hence its stemmer, may have changed.
  void use(const Xapian::Stem& stem) {
    if (std::string description = stem.get_description(); description != stemmer_) {
      terms_.clear();
      stemmer_ = std::move(description);
    }
  }
  const std::string& term(const Xapian::Stem& stem, const std::string& word) {
    if (terms_.size() > kMaxWords) terms_.clear();
    auto [it, fresh] = terms_.try_emplace(word);
    if (fresh) it->second = "Z" + stem(word);
    return it->second;
  }

 private:
  static constexpr size_t kMaxWords = 200000;  // a few MB; a project's vocabulary fits
  std::unordered_map<std::string, std::string> terms_;
  std::string stemmer_;
};

void check_cancel(ProgressSink* progress) {
  if (progress && progress->cancelled()) throw Cancelled{};
}

}  // namespace

struct SearchIndex::Native {
  fs::path path;           // local index folder; empty for a remote one
  std::string remote_url;  // "tcp://host:port" for a remote one
  std::optional<Xapian::Database> reader;
  std::optional<Xapian::WritableDatabase> writer;
  int64_t revision = 0;
  std::string broken;  // why the index cannot be used, when it cannot
  CodingsBySource source_codings;
  // Offset maps of the sources hits came from: a source's text never changes under its guid, and
  // building a map walks the whole text, which dominated a query's time.
  mutable std::map<std::string, std::shared_ptr<const OffsetMap>, std::less<>> offset_maps;
  mutable StemCache stems;

  const OffsetMap& offset_map(const Source& source) const {
    auto it = offset_maps.find(source.guid);
    if (it == offset_maps.end() || it->second->bytes() != static_cast<int64_t>(source.text.size()))
      it = offset_maps.insert_or_assign(source.guid, std::make_shared<const OffsetMap>(source.text))
               .first;
    return *it->second;
  }

  // Where each source stands in the project's list, kept between searches (a project of a
  // thousand interviews took longer to map than to search) and checked on every use.
  mutable std::map<std::string, size_t, std::less<>> source_positions;

  // `refreshed` says whether this search has rebuilt the map already: a guid the project lacks then
  // costs one rebuild per search, not one per hit.
  std::optional<size_t> source_position(const Project& project, std::string_view guid,
                                        bool& refreshed) const {
    while (true) {
      auto it = source_positions.find(guid);
      if (it != source_positions.end() && it->second < project.sources.size() &&
          project.sources[it->second].guid == guid)
        return it->second;
      if (refreshed) return std::nullopt;
      source_positions.clear();
      for (size_t i = 0; i < project.sources.size(); ++i)
        source_positions.emplace(project.sources[i].guid, i);
      refreshed = true;
    }
  }

  Xapian::Database& db() {
    if (!broken.empty())
      throw EnvironmentError("the search index cannot be used (" + broken +
                             "); run `marginalia-cli reindex`");
    if (writer) return *writer;
    if (!reader) reader.emplace(path.string());
    return *reader;
  }

  Xapian::WritableDatabase& writable() {
    if (!writer) {
      reader.reset();
      writer.emplace(path.string(), Xapian::DB_OPEN);
    }
    return *writer;
  }

  // Current: our schema, the store's revision, and the tables readable where a search looks.
  bool current(const Project& project) {
    try {
      Xapian::Database db(path.string());
      if (db.get_metadata(kMetaSchema) != kSchemaVersion) return false;
      if (db.get_metadata(kMetaRevision) != std::to_string(revision)) return false;
      if (db.get_metadata(kMetaProject) != project.guid) return false;
      // Cheap probes of each table, so a damaged file is found now rather than mid-search.
      if (db.get_doccount() > 0) {
        auto term = db.allterms_begin();
        if (term != db.allterms_end()) (void)db.get_termfreq(*term);
        auto post = db.postlist_begin("");
        if (post != db.postlist_end("")) {
          Xapian::Document doc = db.get_document(*post);
          (void)doc.get_data();
          (void)doc.get_value(kSlotSource);
          (void)doc.termlist_count();
        }
      }
      reader = std::move(db);
      return true;
    } catch (const Xapian::Error&) {
      return false;
    }
  }

  void close() {
    if (writer) {
      try {
        writer->close();
      } catch (const Xapian::Error&) {
      }
    }
    writer.reset();
    reader.reset();
  }

  void rebuild(const Project& project, ProgressSink* progress, size_t shards);
  void index_source(Xapian::WritableDatabase& db, const Project& project, const SourceContext& c);
  void apply(const Project& project, const Changes& changes);
  void sync_all(Xapian::WritableDatabase& db, const Project& project);
};

void SearchIndex::Native::index_source(Xapian::WritableDatabase& db, const Project& project,
                                       const SourceContext& context) {
  const Source& source = *context.source;
  db.delete_document(boolean_term("S", source.guid));
  Xapian::TermGenerator generator = make_generator(stemmer_for(project.language));
  const OffsetMap offsets(source.text);
  for (size_t n = 0; n < source.utterances.size(); ++n)
    db.replace_document(unique_term(source.guid, n),
                        utterance_document(generator, context, offsets, n));
  db.set_metadata(kMetaFingerprint + source.guid, source_fingerprint(context, project.language));
}

void SearchIndex::Native::sync_all(Xapian::WritableDatabase& db, const Project& project) {
  std::set<std::string> present;
  for (const SourceContext& context : source_contexts(project)) {
    present.insert(context.source->guid);
    if (db.get_metadata(kMetaFingerprint + context.source->guid) !=
        source_fingerprint(context, project.language))
      index_source(db, project, context);
  }
  std::vector<std::string> gone;
  for (auto key = db.metadata_keys_begin(kMetaFingerprint);
       key != db.metadata_keys_end(kMetaFingerprint); ++key) {
    const std::string guid = (*key).substr(std::string_view(kMetaFingerprint).size());
    if (!present.count(guid)) gone.push_back(guid);
  }
  for (const std::string& guid : gone) {
    db.delete_document(boolean_term("S", guid));
    db.set_metadata(kMetaFingerprint + guid, "");
  }
}

void SearchIndex::Native::apply(const Project& project, const Changes& changes) {
  Xapian::WritableDatabase& db = writable();
  if (changes.sync_all) {
    sync_all(db, project);
  } else {
    for (const std::string& guid : changes.removed) {
      db.delete_document(boolean_term("S", guid));
      db.set_metadata(kMetaFingerprint + guid, "");
    }
    std::set<std::string> redone;
    for (const auto* set : {&changes.added, &changes.redo})
      for (const std::string& guid : *set)
        if (const Source* source = project.source(guid); source && redone.insert(guid).second)
          index_source(db, project,
                       source_context(project, *source, source_codings.of(project, guid)));
    // Codings: only the code and coder terms of the utterances they overlap.
    std::map<std::string, std::vector<const Coding*>> by_source;
    for (const Coding& c : changes.codings)
      if (!redone.count(c.source)) by_source[c.source].push_back(&c);
    for (const auto& [guid, codings] : by_source) {
      const Source* source = project.source(guid);
      if (!source) continue;
      const SourceContext context =
          source_context(project, *source, source_codings.of(project, guid));
      std::optional<Xapian::TermGenerator> generator;
      std::optional<OffsetMap> offsets;
      for (size_t n = 0; n < source->utterances.size(); ++n) {
        const Utterance& u = source->utterances[n];
        const bool touched = std::any_of(codings.begin(), codings.end(), [&](const Coding* c) {
          return c->start < u.end && u.start < c->end;
        });
        if (!touched) continue;
        const std::string id = unique_term(guid, n);
        auto post = db.postlist_begin(id);
        if (post == db.postlist_end(id)) {
          if (!generator) generator.emplace(make_generator(stemmer_for(project.language)));
          if (!offsets) offsets.emplace(source->text);
          db.replace_document(id, utterance_document(*generator, context, *offsets, n));
          continue;
        }
        const Xapian::docid docid = *post;
        Xapian::Document doc = db.get_document(docid);
        set_coding_terms(doc, context, n);
        db.replace_document(docid, doc);
      }
      db.set_metadata(kMetaFingerprint + guid, source_fingerprint(context, project.language));
    }
  }
  db.set_metadata(kMetaRevision, std::to_string(revision));
  db.commit();
}

void SearchIndex::Native::rebuild(const Project& project, ProgressSink* progress, size_t shards) {
  if (!remote_url.empty())
    throw EnvironmentError("the index at " + remote_url + " is read-only here: rebuild it where " +
                           "the project is");
  const std::vector<SourceContext> contexts = source_contexts(project);
  if (shards == 0) shards = std::max(1u, std::thread::hardware_concurrency());
  shards = std::clamp<size_t>(shards, 1, std::max<size_t>(1, contexts.size()));

  static std::atomic<int> counter{0};
  const fs::path work = path.parent_path() / (".index-new-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(counter++));
  std::error_code ec;
  remove_abandoned_builds(path.parent_path());
  fs::remove_all(work, ec);
  if (!fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
  }
  if (::mkdir(work.c_str(), 0700) != 0)
    throw EnvironmentError("cannot create " + work.string() + ": " + std::strerror(errno));
  struct Cleanup {
    fs::path folder;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(folder, ignored);
    }
  } cleanup{work};

  int64_t total = 0;
  for (const SourceContext& c : contexts)
    total += static_cast<int64_t>(c.source->utterances.size());
  std::atomic<size_t> next_source{0};
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false}, cancelled{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<fs::path> shard_paths;
  for (size_t s = 0; s < shards; ++s) shard_paths.push_back(work / ("shard" + std::to_string(s)));

  // Each worker fills its own shard (one WritableDatabase per thread), taking whole sources in
  // turn.
  auto worker = [&](size_t s) {
    try {
      Xapian::WritableDatabase db(shard_paths[s].string(),
                                  Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
      Xapian::TermGenerator generator = make_generator(stemmer_for(project.language));
      while (!stop) {
        const size_t k = next_source++;
        if (k >= contexts.size()) break;
        const SourceContext& context = contexts[k];
        const OffsetMap offsets(context.source->text);
        for (size_t n = 0; n < context.source->utterances.size() && !stop; ++n) {
          if (progress && progress->cancelled()) {
            cancelled = stop = true;
            break;
          }
          // A fresh shard gets each utterance once: add_document spares replace_document's lookup
          // of the unique term (which the document still carries, for later updates).
          db.add_document(utterance_document(generator, context, offsets, n));
          const int64_t now = ++done;
          if (progress) progress->progress(now, total, "Indexing " + context.source->name);
        }
      }
      db.commit();
      db.close();
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> threads;
  for (size_t s = 1; s < shards; ++s) threads.emplace_back(worker, s);
  worker(0);
  for (std::thread& t : threads) t.join();
  if (cancelled) throw Cancelled{};
  if (error) std::rethrow_exception(error);
  check_cancel(progress);

  // One index from the shards: compact merges them (renumbering documents), so searches and
  // updates see one database.
  if (progress) progress->progress(total, total, "Merging the index shards");
  const fs::path merged = work / "index";
  {
    Xapian::Database all;
    for (const fs::path& p : shard_paths) all.add_database(Xapian::Database(p.string()));
    all.compact(merged.string());
  }
  {
    Xapian::WritableDatabase db(merged.string(), Xapian::DB_OPEN);
    for (const SourceContext& c : contexts)
      db.set_metadata(kMetaFingerprint + c.source->guid, source_fingerprint(c, project.language));
    db.set_metadata(kMetaProject, project.guid);
    db.set_metadata(kMetaRevision, std::to_string(revision));
    db.set_metadata(kMetaSchema, std::string(kSchemaVersion));
    db.commit();
    db.close();
  }
  check_cancel(progress);
  make_private(merged);

  close();
  swap_into_place(merged, path);
  fsync_folder(path.parent_path());
  broken.clear();
  reader.emplace(path.string());
}

SearchIndex::SearchIndex(std::unique_ptr<Native> native) : native_(std::move(native)) {}
SearchIndex::~SearchIndex() {
  if (native_) native_->close();
}

std::unique_ptr<SearchIndex> SearchIndex::open(const fs::path& folder, const ProjectStore& store,
                                               ProgressSink* progress) {
  auto native = std::make_unique<Native>();
  native->path = folder / ".marginalia" / "index";
  native->revision = store.revision();
  std::unique_ptr<SearchIndex> index(new SearchIndex(std::move(native)));
  if (!index->native_->current(store.project())) index->rebuild(store, progress);
  return index;
}

IndexHealth SearchIndex::inspect(const fs::path& folder, const ProjectStore& store) {
  using State = IndexHealth::State;
  const fs::path path = folder / ".marginalia" / "index";
  const Project& project = store.project();
  std::error_code ec;
  if (!fs::exists(path, ec))
    return {State::Missing, "there is no search index at " + path.string()};
  try {
    Xapian::Database db(path.string());
    const std::string schema = db.get_metadata(kMetaSchema);
    if (schema != kSchemaVersion)
      return {State::Outdated, "the search index at " + path.string() + " has schema \"" + schema +
                                   "\", this version writes " + std::string(kSchemaVersion)};
    if (db.get_metadata(kMetaProject) != project.guid)
      return {State::Inconsistent, "the search index at " + path.string() +
                                       " belongs to another project (" +
                                       db.get_metadata(kMetaProject) + ")"};
    const std::string revision = db.get_metadata(kMetaRevision);
    int64_t indexed = -1;
    try {
      indexed = std::stoll(revision);
    } catch (const std::exception&) {
    }
    if (indexed < 0)
      return {State::Damaged,
              "the search index at " + path.string() + " has no revision (\"" + revision + "\")"};
    // The index follows the journal: it may lag behind after a crash, never run ahead.
    if (indexed > store.revision())
      return {State::Inconsistent, "the search index at " + path.string() + " reflects edit " +
                                       revision + " but the project has only " +
                                       std::to_string(store.revision()) + " edits"};
    if (indexed < store.revision())
      return {State::Outdated, "the search index reflects edit " + revision + " of " +
                                   std::to_string(store.revision())};
    Xapian::doccount utterances = 0;
    for (const SourceContext& context : source_contexts(project)) {
      const Source& source = *context.source;
      utterances += static_cast<Xapian::doccount>(source.utterances.size());
      if (db.get_metadata(kMetaFingerprint + source.guid) !=
          source_fingerprint(context, project.language))
        return {State::Inconsistent,
                "the search index does not reflect the present text, turns "
                "or codings of source \"" +
                    source.name + "\""};
      for (size_t n = 0; n < source.utterances.size(); ++n) {
        const std::string id = unique_term(source.guid, n);
        auto post = db.postlist_begin(id);
        if (post == db.postlist_end(id))
          return {State::Inconsistent, "the search index lacks turn " + std::to_string(n + 1) +
                                           " of source \"" + source.name + "\""};
        (void)db.get_document(*post).get_data();
      }
    }
    if (db.get_doccount() != utterances)
      return {State::Inconsistent, "the search index holds " + std::to_string(db.get_doccount()) +
                                       " documents for the project's " +
                                       std::to_string(utterances) + " turns"};
  } catch (const Xapian::Error& e) {
    return {State::Damaged,
            "the search index at " + path.string() + " cannot be read: " + xapian_message(e)};
  }
  return {};
}

std::unique_ptr<SearchIndex> SearchIndex::open_remote(const std::string& url) {
  const std::string scheme = "tcp://";
  const size_t colon = url.rfind(':');
  if (!url.starts_with(scheme) || colon == std::string::npos || colon < scheme.size())
    throw BadInput("the remote index " + url + " is not of the form tcp://HOST:PORT");
  const std::string host = url.substr(scheme.size(), colon - scheme.size());
  unsigned port = 0;
  try {
    size_t used = 0;
    port = static_cast<unsigned>(std::stoul(url.substr(colon + 1), &used));
    if (used != url.size() - colon - 1 || port == 0 || port > 65535)
      throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw BadInput("the remote index " + url + " has no valid port");
  }
  auto native = std::make_unique<Native>();
  native->remote_url = url;
  try {
    native->reader = Xapian::Remote::open(host, port, 30000, 10000);
    const std::string schema = native->reader->get_metadata(kMetaSchema);
    if (schema != kSchemaVersion)
      throw EnvironmentError("the index at " + url + " is not a Marginalia index of schema " +
                             std::string(kSchemaVersion) +
                             (schema.empty() ? "" : " (it has " + schema + ")"));
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("cannot reach the index at " + url + ": " + xapian_message(e));
  }
  return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(native)));
}

void SearchIndex::rebuild(const ProjectStore& store, ProgressSink* progress, size_t shards) {
  native_->revision = store.revision();
  try {
    native_->rebuild(store.project(), progress, shards);
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("cannot build the search index in " + native_->path.string() + ": " +
                           xapian_message(e));
  }
}

void SearchIndex::edited(const Project& project, const Command& changed) {
  if (!native_->remote_url.empty()) return;
  ++native_->revision;  // the store counts each edit, undo and redo as one
  Changes changes;
  collect(changed.action, changes);
  native_->source_codings.follow(changed.action);
  try {
    native_->apply(project, changes);
  } catch (const Xapian::Error&) {
    // Damaged, or out of step: start afresh from the project, which is what the index reflects.
    try {
      native_->rebuild(project, nullptr, 0);
    } catch (const Xapian::Error& e) {
      native_->close();
      native_->broken = xapian_message(e);
    }
  }
}

size_t SearchIndex::document_count() const {
  try {
    return native_->db().get_doccount();
  } catch (const Xapian::Error& e) {
    throw EnvironmentError("the search index failed: " + xapian_message(e));
  }
}

namespace {

// Whether each word (its folded form) met so far is one the query matches: a query's hits repeat
// most of their words, and stemming each occurrence again cost more than the search itself.
using KnownWords = std::unordered_map<std::string, bool>;

// The matched words of one utterance, as byte spans of its text, merged where they touch.
std::vector<std::pair<size_t, size_t>> matched_words(std::string_view text,
                                                     const std::set<std::string>& terms,
                                                     const TranslatedQuery& translated,
                                                     const Xapian::Stem& stem, StemCache& stems,
                                                     KnownWords& known) {
  const std::vector<Word> words = split_words(text);
  std::vector<bool> marked(words.size(), false);
  std::vector<std::pair<size_t, size_t>> spans;
  const bool stemming = !stem.is_none();
  const bool cjk_bigrams = std::any_of(terms.begin(), terms.end(), [](const std::string& t) {
    return !t.empty() && static_cast<unsigned char>(t[0]) >= 0xE0 && t.size() >= 6 &&
           split_words(t).size() == 2 && split_words(t)[0].cjk;
  });
  for (size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (w.cjk) {
      if (!cjk_bigrams && terms.count(w.term)) marked[i] = true;
      if (i + 1 < words.size() && words[i + 1].cjk && words[i + 1].begin == w.end &&
          terms.count(w.term + words[i + 1].term))
        marked[i] = marked[i + 1] = true;
      continue;
    }
    auto [it, fresh] = known.try_emplace(w.term, false);
    if (fresh) {
      bool match = terms.count(w.term) || (stemming && terms.count(stems.term(stem, w.term)));
      for (const std::string& prefix : translated.wildcards)
        match = match || w.term.starts_with(prefix);
      it->second = match;
    }
    if (it->second) marked[i] = true;
  }
  // A phrase marks its occurrences as one span each.
  for (const std::vector<std::string>& phrase : translated.phrases)
    for (size_t i = 0; i + phrase.size() <= words.size(); ++i) {
      size_t k = 0;
      while (k < phrase.size() && words[i + k].term == phrase[k]) ++k;
      if (k < phrase.size()) continue;
      spans.emplace_back(words[i].begin, words[i + k - 1].end);
      for (size_t j = i; j < i + k; ++j) marked[j] = false;
    }
  for (size_t i = 0; i < words.size(); ++i)
    if (marked[i]) spans.emplace_back(words[i].begin, words[i].end);
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, s.second);
    else
      merged.push_back(s);
  }
  return merged;
}

// The utterance on one line with its matches marked [[...]]; long ones cut around the first match.
std::string make_snippet(std::string_view text,
                         const std::vector<std::pair<size_t, size_t>>& spans) {
  constexpr size_t kBefore = 80, kLength = 240;
  size_t from = 0, to = text.size();
  if (text.size() > kLength) {
    const size_t first = spans.empty() ? 0 : spans.front().first;
    if (first > kBefore) {
      from = text.find(' ', first - kBefore);
      if (from == std::string_view::npos || from >= first)
        from = first;
      else
        ++from;
    }
    to = std::min(text.size(), std::max(from + kLength, spans.empty() ? 0 : spans.front().second));
    if (to < text.size()) {
      const size_t space = text.rfind(' ', to);
      if (space != std::string_view::npos && space > from) to = space;
    }
  }
  while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
  while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
  std::string out = from > 0 ? "… " : "";
  size_t at = from;
  for (const auto& [b, e] : spans) {
    if (e <= from || b >= to) continue;
    const size_t begin = std::max(b, from), end = std::min(e, to);
    out.append(text.substr(at, begin - at));
    out += "[[";
    out.append(text.substr(begin, end - begin));
    out += "]]";
    at = end;
  }
  out.append(text.substr(at, to - at));
  if (to < text.size()) out += " …";
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

}  // namespace

SearchResults SearchIndex::search(const Project& project, std::string_view query,
                                  const SearchOptions& options) const {
  const TranslatedQuery translated = translate_query(project, query);
  for (int attempt = 0;; ++attempt) {
    try {
      Xapian::Database& db = native_->db();
      if (!native_->remote_url.empty()) {
        const std::string owner = db.get_metadata(kMetaProject);
        if (!owner.empty() && owner != project.guid)
          throw BadInput("the index at " + native_->remote_url + " belongs to another project");
      }
      Xapian::QueryParser parser = make_query_parser(project, translated, db);
      Xapian::Query q;
      try {
        q = parser.parse_query(translated.text, query_parser_flags());
      } catch (const Xapian::QueryParserError& e) {
        throw QueryError("cannot read the query: " + e.get_msg());
      }

      Xapian::Enquire enquire(db);
      enquire.set_query(q);
      Xapian::ValueCountMatchSpy by_source(kSlotSource), by_codes(kSlotCodes);
      if (options.counts) {
        enquire.add_matchspy(&by_source);
        enquire.add_matchspy(&by_codes);
      }
      const Xapian::doccount all = std::max<Xapian::doccount>(1, db.get_doccount());
      const bool transcript = options.order == HitOrder::Transcript;
      const Xapian::doccount wanted =
          transcript || options.limit == 0 ? all : static_cast<Xapian::doccount>(options.limit);
      // check_at_least = all: the counts cover every match, not only the hits returned.
      Xapian::MSet mset = enquire.get_mset(0, wanted, options.counts ? all : wanted);
      if (!native_->remote_url.empty()) mset.fetch();

      SearchResults results;
      results.total = mset.get_matches_estimated();
      for (auto v = by_source.values_begin(); v != by_source.values_end(); ++v)
        results.per_source[*v] += v.get_termfreq();
      for (auto v = by_codes.values_begin(); v != by_codes.values_end(); ++v) {
        const std::string codes = *v;
        size_t from = 0;
        while (from < codes.size()) {
          size_t space = codes.find(' ', from);
          if (space == std::string::npos) space = codes.size();
          results.per_code[codes.substr(from, space - from)] += v.get_termfreq();
          from = space + 1;
        }
      }

      // Which utterances, in which order.
      bool positions_fresh = false;
      struct Found {
        size_t source;
        size_t utterance;
        double weight;
      };
      std::vector<Found> found;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const std::string data = it.get_document().get_data();
        const size_t nl = data.find('\n');
        if (nl == std::string::npos) continue;
        const auto at = native_->source_position(project, std::string_view(data).substr(0, nl),
                                                 positions_fresh);
        if (!at) continue;  // the index knows a source the project lacks
        const size_t n = std::stoul(data.substr(nl + 1));
        if (n >= project.sources[*at].utterances.size()) continue;
        found.push_back({*at, n, transcript ? 0.0 : it.get_weight()});
      }
      if (transcript) {
        std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
          return std::tie(a.source, a.utterance) < std::tie(b.source, b.utterance);
        });
        if (options.limit && found.size() > options.limit) found.resize(options.limit);
      }

      // Spans of the matched words: the query's own terms (stemmed ones included) found again by
      // splitting each hit's text the way the TermGenerator did.
      std::set<std::string> terms;
      for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
        terms.insert(*t);
      for (const auto& phrase : translated.phrases)
        for (const std::string& term : phrase)
          if (!translated.loose_terms.count(term)) terms.erase(term);
      const Xapian::Stem stem = stemmer_for(project.language);
      native_->stems.use(stem);
      KnownWords known;
      for (const Found& f : found) {
        const Source& source = project.sources[f.source];
        const Utterance& u = source.utterances[f.utterance];
        const OffsetMap& map = native_->offset_map(source);
        const int64_t begin = map.byte_of(std::clamp<int64_t>(u.start, 0, map.code_points()));
        const int64_t end = map.byte_of(std::clamp<int64_t>(u.end, 0, map.code_points()));
        const std::string_view text =
            std::string_view(source.text).substr(begin, std::max<int64_t>(0, end - begin));
        const auto spans = matched_words(text, terms, translated, stem, native_->stems, known);

        SearchHit hit;
        hit.source = source.guid;
        hit.source_name = source.name;
        hit.utterance = f.utterance;
        hit.speaker = u.speaker;
        hit.role = u.role;
        hit.timestamp_ms = u.timestamp_ms;
        hit.turn = {u.start, u.end};
        for (const auto& [b, e] : spans)
          hit.matches.push_back({map.code_point_of_byte(begin + static_cast<int64_t>(b)),
                                 map.code_point_of_byte(begin + static_cast<int64_t>(e))});
        hit.snippet = make_snippet(text, spans);
        hit.weight = f.weight;
        results.hits.push_back(std::move(hit));
      }
      return results;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 2) throw EnvironmentError("the search index kept changing during a search");
      native_->db().reopen();
    } catch (const Xapian::QueryParserError& e) {
      throw QueryError("cannot read the query: " + e.get_msg());
    } catch (const Xapian::NetworkError& e) {
      throw EnvironmentError("the index at " + native_->remote_url +
                             " cannot be reached: " + xapian_message(e));
    } catch (const Xapian::Error& e) {
      throw EnvironmentError("the search index failed: " + xapian_message(e) +
                             " (run `marginalia-cli reindex` to rebuild it)");
    }
  }
}

}  // namespace marginalia
