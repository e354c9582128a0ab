// Long work (indexing, imports, reports, bootstrap) reports progress and can be cancelled. The core
// owns the interface; the CLI prints to stderr, the app shows a dialog; tests plug in plain ones.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace marginalia {

// Thrown by long work when its sink says it was cancelled. Not an Error: being cancelled is no
// failure, and what was already durable stays.
struct Cancelled {};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // `done` of `total` units of `what` ("Indexing d1_client_lena"). May be called from worker
  // threads: implementations must be thread-safe and cheap (throttle what they show).
  virtual void progress(int64_t done, int64_t total, std::string_view what) = 0;
  // Polled by the work between units; true makes it throw Cancelled.
  virtual bool cancelled() const { return false; }
};

// A sink that shows nothing and is never cancelled unless told: for tests and quiet callers.
class SilentProgress : public ProgressSink {
 public:
  void progress(int64_t, int64_t, std::string_view) override {}
  bool cancelled() const override { return cancel.load(); }
  std::atomic<bool> cancel{false};
};

}  // namespace marginalia
