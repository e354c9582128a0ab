// Opening a project for writing: the store and the search index that follows its every edit.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli_commands.h"
#include "marginalia/search.h"

namespace marginalia::cli {

namespace {

// Rebuilding an outdated index can take a while on a large archive: say so when someone watches.
class TerminalProgress : public ProgressSink {
 public:
  void progress(int64_t done, int64_t total, std::string_view what) override {
    if (!::isatty(STDERR_FILENO)) return;
    if (total > 0 && done % 500 != 0 && done != total) return;
    std::cerr << "\r" << what << ": " << done << "/" << total << "\033[K" << std::flush;
    if (done == total) std::cerr << "\n";
  }
};

}  // namespace

Session open_for_writing(const std::string& folder) {
  Session session{ProjectStore::open(folder), nullptr};
  TerminalProgress progress;
  // Opening a current index reads its metadata only; a missing, outdated or damaged one is rebuilt.
  session.index = SearchIndex::open(folder, *session.store, &progress);
  session.store->set_listener(session.index.get());
  return session;
}

}  // namespace marginalia::cli
