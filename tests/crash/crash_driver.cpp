// The kill test: starts crash_editor on a small project, kills it with SIGKILL at a random moment,
// and then opens the project and checks that
//   - every edit the editor acknowledged is there: the project is at the last acknowledged edit
//     (same digest), or one edit further when the kill fell between the journal's fdatasync and the
//     acknowledgement (then it is the state the editor predicted for that edit);
//   - the editor's next open sees the same project the driver saw;
//   - the project check (marginalia-cli check) finds no problem.
// Repeats --kills times. Exit 0 when every round passed.
//
// Usage: crash_driver --editor PATH [--folder DIR] [--kills N] [--seed S] [--max-delay-ms MS]
//                     [--post-mortem 1]
// A failed round keeps the project as the kill left it (and, with --post-mortem 1, as the round
// began) in DIR/failed-round-N.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "marginalia/check.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/transcript.h"
#include "project_digest.h"

namespace fs = std::filesystem;
using namespace marginalia;

namespace {

const char* kFirst =
    "Interviewer: How did the first weeks feel?\n"
    "Client: I was ashamed to come, honestly. I kept thinking she would judge me.\n"
    "Interviewer: And later?\n"
    "Client: Later it felt like we were working on it together, even when I wanted to hide.\n"
    "Interviewer: Was there a moment that changed things?\n"
    "Client: When she admitted she had misunderstood me. That repaired something.\n";
const char* kSecond =
    "Therapist: What brings you here today?\n"
    "Client: My sister said I withdraw from everyone. I think she is right.\n"
    "Therapist: What happens when you withdraw?\n"
    "Client: It is quiet. Then it is lonely. Then I am angry at myself.\n";

struct State {
  int64_t revision = 0;
  std::string digest;   // codings as a set
  std::string ordered;  // codings in their order too
};

void make_project(const fs::path& project) {
  ProjectStore::create(project, "Kill test");
  auto store = ProjectStore::open(project);
  store->coder_guid("ana");
  store->coder_guid("ben");
  int n = 0;
  for (const char* text : {kFirst, kSecond}) {
    Source s;
    s.guid = new_guid();
    s.name = "session " + std::to_string(++n);
    s.text = text;
    s.utterances = parse_turns(s.text, RoleMap::defaults()).utterances;
    store->execute({AddSource{s}, "Import " + s.name});
  }
  std::vector<Code> codes;
  for (const char* name : {"Shame", "Withdrawal", "Repair", "Rupture"})
    codes.push_back({new_guid(), name, "#AA0000", "", "", true});
  store->execute({AddCodes{codes}, "Codebook"});
  store->snapshot();
  auto index = SearchIndex::open(project, *store);
}

State open_state(const fs::path& project) {
  auto store = ProjectStore::open(project, OpenMode::ReadOnly);
  return {store->revision(), crash::project_digest(store->project()),
          crash::project_digest(store->project(), true)};
}

// Runs the editor, kills it after `delay`, returns what it wrote. Throws when it ended by itself.
// `after_open`: the delay counts from the editor's "open" line (a kill among the edits), else
// from its start (a kill while it opens, replays the journal, rebuilds the index).
std::string run_and_kill(const std::string& editor, const fs::path& project, uint64_t seed,
                         std::chrono::milliseconds delay, bool after_open) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    const std::string seed_text = std::to_string(seed);
    ::execl(editor.c_str(), editor.c_str(), project.c_str(), seed_text.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[4096];
  enum class Read { Data, Timeout, End };
  auto drain = [&](int timeout_ms) {
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0 || (ready < 0 && errno == EINTR)) return Read::Timeout;
    const ssize_t n = ready > 0 ? ::read(fds[0], buffer, sizeof buffer) : -1;
    if (n <= 0) return Read::End;
    out.append(buffer, static_cast<size_t>(n));
    return Read::Data;
  };
  bool ended = false;
  const auto opened_by = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (after_open && out.find("open ") == std::string::npos &&
         std::chrono::steady_clock::now() < opened_by) {
    if (drain(1000) == Read::End) {
      ended = true;
      break;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + delay;
  while (!ended) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (drain(static_cast<int>(left.count())) == Read::End) {
      ended = true;  // the editor closed its output: it is gone
      break;
    }
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  while (drain(1000) == Read::Data) {
  }
  ::close(fds[0]);
  if (ended || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
    throw std::runtime_error("the editor ended by itself (status " + std::to_string(status) +
                             ") before it was killed; output:\n" + out);
  return out;
}

struct Round {
  std::optional<State> opened;
  std::optional<State> acknowledged;                     // the last ack
  std::optional<std::pair<int64_t, std::string>> tried;  // the try after the last ack
  int acks = 0;
};

Round parse(const std::string& out) {
  Round round;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (lines.eof() && out.back() != '\n') break;  // a line cut by the kill
    std::istringstream words(line);
    std::string kind, digest, ordered;
    int64_t seq = 0;
    words >> kind >> seq >> digest;
    if (kind == "open" || kind == "ack") words >> ordered;
    if (kind == "open") {
      round.opened = State{seq, digest, ordered};
    } else if (kind == "ack") {
      round.acknowledged = State{seq, digest, ordered};
      round.tried.reset();
      ++round.acks;
    } else if (kind == "try") {
      round.tried = {seq, digest};
    }
  }
  return round;
}

}  // namespace

int main(int argc, char** argv) {
  std::string editor;
  fs::path folder = fs::temp_directory_path() / ("marginalia-kill-" + std::to_string(::getpid()));
  int kills = 200;
  int max_delay_ms = 150;
  bool post_mortem = false;  // keep each round's starting project, to compare after a failure
  uint64_t seed =
      static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--editor")
      editor = value;
    else if (flag == "--folder")
      folder = value;
    else if (flag == "--kills")
      kills = std::stoi(value);
    else if (flag == "--seed")
      seed = std::stoull(value);
    else if (flag == "--max-delay-ms")
      max_delay_ms = std::stoi(value);
    else {
      std::cerr << "crash_driver: unknown option " << flag << "\n";
      return 2;
    }
  }
  if (editor.empty()) {
    std::cerr << "usage: crash_driver --editor PATH [--folder DIR] [--kills N] [--seed S] "
                 "[--max-delay-ms MS]\n";
    return 2;
  }
  std::cout << std::unitbuf;  // progress shows as it happens, also into a file
  std::cout << "kill test: " << kills << " kills, seed " << seed << ", in " << folder << "\n";
  const auto started = std::chrono::steady_clock::now();
  std::mt19937_64 random(seed);
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path project = folder / "project";
  int failures = 0, acks = 0, in_flight = 0, no_ack = 0, reordered = 0;
  try {
    make_project(project);
    State known = open_state(project);
    for (int round_number = 1; round_number <= kills; ++round_number) {
      // Mostly among the edits; one in four while the editor opens (lock, replay, index).
      const bool after_open = random() % 4 != 0;
      const int delay = static_cast<int>(random() % (max_delay_ms + 1));
      const fs::path previous = folder / "before-this-round";
      if (post_mortem) {
        fs::remove_all(previous);
        fs::copy(project, previous, fs::copy_options::recursive);
      }
      const std::string output =
          run_and_kill(editor, project, random(), std::chrono::milliseconds(delay), after_open);
      const Round round = parse(output);
      acks += round.acks;
      std::string failure;
      const State after = open_state(project);
      // The same files must open as the same project, order and all.
      if (round.opened &&
          (round.opened->revision != known.revision || round.opened->digest != known.digest ||
           round.opened->ordered != known.ordered))
        failure = "the editor opened edit " + std::to_string(round.opened->revision) +
                  " but the driver had seen edit " + std::to_string(known.revision);
      const State expected = round.acknowledged.value_or(known);
      if (!round.acknowledged) ++no_ack;
      if (after.revision == expected.revision) {
        if (after.digest != expected.digest)
          failure = "at acknowledged edit " + std::to_string(expected.revision) +
                    " the project differs from what the editor acknowledged";
        else if (after.ordered != expected.ordered)
          ++reordered;
      } else if (after.revision == expected.revision + 1 && round.tried &&
                 round.tried->first == after.revision) {
        ++in_flight;  // durable, killed before the acknowledgement
        if (round.tried->second != "-" && round.tried->second != after.digest)
          failure = "edit " + std::to_string(after.revision) +
                    " (durable, not yet acknowledged) is not the edit the editor made";
      } else {
        failure = "the project opens at edit " + std::to_string(after.revision) +
                  " but the editor acknowledged edit " + std::to_string(expected.revision) +
                  (after.revision < expected.revision ? ": acknowledged edits were lost" : "");
      }
      const CheckReport report = check_project(project);
      for (const CheckFinding& f : report.findings)
        if (f.severity == CheckFinding::Severity::Problem)
          failure +=
              (failure.empty() ? "" : "; ") + std::string("check: [") + f.area + "] " + f.message;
      if (!failure.empty()) {
        ++failures;
        // Kept for a post-mortem: the project as the kill left it and what the editor said.
        const fs::path kept = folder / ("failed-round-" + std::to_string(round_number));
        fs::create_directories(kept);
        fs::copy(project, kept / "after", fs::copy_options::recursive);
        if (post_mortem) fs::copy(previous, kept / "before", fs::copy_options::recursive);
        std::ofstream(kept / "editor-output.txt") << output;
        std::cout << "round " << round_number << " (killed " << delay << " ms after its "
                  << (after_open ? "open" : "start") << "): FAILED: " << failure
                  << "; the project is kept in " << kept << "\n";
      }
      known = after;
    }
  } catch (const std::exception& e) {
    std::cout << "kill test: FAILED: " << e.what() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "kill test: " << kills << " kills in " << seconds << " s; " << acks
            << " acknowledged edits, all found; " << in_flight
            << " kills fell between an edit's sync and its acknowledgement; " << no_ack
            << " kills came before any acknowledgement; " << reordered
            << " times the codings came back complete but in another order; " << failures
            << " rounds failed\n";
  if (failures == 0) fs::remove_all(folder);
  return failures == 0 ? 0 : 1;
}
