// The project check behind `marginalia-cli check`.
#include "marginalia/check.h"

#include <algorithm>
#include <map>
#include <set>

#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/text.h"
#include "storage/journal.h"
#include "storage/storage_io.h"

namespace marginalia {

namespace fs = std::filesystem;

bool CheckReport::ok() const {
  return std::none_of(findings.begin(), findings.end(), [](const CheckFinding& f) {
    return f.severity == CheckFinding::Severity::Problem;
  });
}

namespace {

using Severity = CheckFinding::Severity;

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string span(int64_t start, int64_t end) {
  return "[" + std::to_string(start) + ", " + std::to_string(end) + ")";
}

// Files a crash can leave behind: a temporary of an atomic write, a half-built index.
std::vector<fs::path> leftovers(const fs::path& folder) {
  std::vector<fs::path> found;
  for (const fs::path& dir : {folder, folder / "sources", folder / ".marginalia"}) {
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find(".tmp-") != std::string::npos || name.rfind(".index-new-", 0) == 0)
        found.push_back(entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

void check_journal(const fs::path& folder, std::vector<CheckFinding>& findings) {
  const fs::path file = folder / ".marginalia" / "journal";
  storage::JournalFile journal(file);
  std::vector<storage::JournalEntry> entries;
  try {
    entries = journal.read();
  } catch (const Error& e) {
    findings.push_back({Severity::Problem, "journal", e.what()});
    return;
  }
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!ec && journal.valid_length() && static_cast<uintmax_t>(*journal.valid_length()) < size)
    findings.push_back({Severity::Note, "journal",
                        file.string() + " ends in an incomplete entry (an edit cut short by a "
                                        "crash, never acknowledged); the next edit cuts it off"});
  auto text = [&](const std::string& guid) {
    return storage::read_file(folder / "sources" / (guid + ".txt"));
  };
  int64_t previous = -1;
  for (const storage::JournalEntry& entry : entries) {
    const std::string where = file.string() + ": line " + std::to_string(entry.line) + ": ";
    if (entry.sequence <= previous)
      findings.push_back({Severity::Problem, "journal",
                          where + "entry " + std::to_string(entry.sequence) + " follows entry " +
                              std::to_string(previous)});
    previous = entry.sequence;
    if (entry.op != "do") continue;
    try {
      (void)storage::command_from_json(entry.command, text);
    } catch (const Error& e) {
      findings.push_back({Severity::Problem, "journal", where + e.what()});
    }
  }
}

void check_index(const fs::path& folder, const ProjectStore& store,
                 std::vector<CheckFinding>& findings) {
  const IndexHealth health = SearchIndex::inspect(folder, store);
  using State = IndexHealth::State;
  switch (health.state) {
    case State::Current:
      return;
    case State::Missing:
    case State::Outdated:
      findings.push_back(
          {Severity::Note, "index", health.detail + "; it is rebuilt when the project is opened"});
      return;
    case State::Damaged:
    case State::Inconsistent:
      findings.push_back({Severity::Problem, "index",
                          health.detail + " (`marginalia-cli check --repair` rebuilds it)"});
      return;
  }
}

std::vector<std::string> repair(const fs::path& folder) {
  std::vector<std::string> done;
  for (const fs::path& file : leftovers(folder)) {
    std::error_code ec;
    fs::remove_all(file, ec);
    if (ec) throw EnvironmentError("cannot remove " + file.string() + ": " + ec.message());
    done.push_back("removed " + file.string() + ", left by an interrupted write");
  }
  std::unique_ptr<ProjectStore> store;
  try {
    store = ProjectStore::open(folder, OpenMode::Write);
  } catch (const BadInput&) {
    return done;  // the check names why it does not open; nothing derived can be rebuilt from it
  }
  if (SearchIndex::inspect(folder, *store).state != IndexHealth::State::Current) {
    std::unique_ptr<SearchIndex> index = SearchIndex::open(folder, *store);
    if (SearchIndex::inspect(folder, *store).state != IndexHealth::State::Current)
      index->rebuild(*store);
    done.push_back("rebuilt the search index from the project");
  }
  return done;
}

}  // namespace

std::vector<CheckFinding> check_model(const Project& project) {
  std::vector<CheckFinding> findings;
  auto problem = [&](const std::string& area, const std::string& message) {
    findings.push_back({Severity::Problem, area, message});
  };

  std::set<std::string> guids;
  auto unique = [&](const std::string& guid, const std::string& what) {
    if (guid.empty())
      problem("references", what + " has no GUID");
    else if (!guids.insert(guid).second)
      problem("references", what + " has the GUID " + guid + ", which something else has too");
  };

  std::map<std::string, int64_t, std::less<>> lengths;
  for (const Source& source : project.sources) {
    unique(source.guid, "source " + quoted(source.name));
    const int64_t length = count_code_points(source.text);
    lengths[source.guid] = length;
    for (size_t n = 0; n < source.utterances.size(); ++n) {
      const Utterance& u = source.utterances[n];
      if (u.start < 0 || u.start > u.end || u.end > length)
        problem("offsets", "turn " + std::to_string(n + 1) + " of source " + quoted(source.name) +
                               " spans " + span(u.start, u.end) + ", outside its text of " +
                               std::to_string(length) + " characters");
    }
  }
  for (const Coder& coder : project.coders) unique(coder.guid, "coder " + quoted(coder.name));
  for (const Code& code : project.codes) {
    unique(code.guid, "code " + quoted(code.name));
    if (!code.parent.empty() && !project.code(code.parent))
      problem("references", "code " + quoted(code.name) + " names a parent code " + code.parent +
                                " that is not in the codebook");
  }

  for (const Coding& c : project.codings) {
    unique(c.guid, "coding");
    const std::string what = "coding " + c.guid;
    const Source* source = project.source(c.source);
    if (!source) problem("references", what + " names a source " + c.source + " that is missing");
    const Code* code = project.code(c.code);
    if (!code)
      problem("references", what + " names a code " + c.code + " that is not in the codebook");
    else if (!code->codable)
      problem("references", what + " is on " + quoted(project.code_path(*code)) +
                                ", a folder, not a codable code");
    if (!project.coder(c.coder))
      problem("references", what + " names a coder " + (c.coder.empty() ? "(none)" : c.coder) +
                                " that is not among the project's coders");
    if (source) {
      const int64_t length = lengths[source->guid];
      if (c.start < 0 || c.start >= c.end || c.end > length)
        problem("offsets", what + " spans " + span(c.start, c.end) + ", outside the text of " +
                               quoted(source->name) + " (" + std::to_string(length) +
                               " characters)");
    }
  }

  for (const Case& c : project.cases) {
    unique(c.guid, "case " + quoted(c.name));
    for (const std::string& source : c.sources)
      if (!project.source(source))
        problem("references",
                "case " + quoted(c.name) + " names a source " + source + " that is missing");
  }
  for (const DoneMark& mark : project.done) {
    if (!project.coder(mark.coder))
      problem("references", "a mark that a source is coded names a coder " + mark.coder +
                                " that is not among the project's coders");
    if (!project.source(mark.source))
      problem("references",
              "a mark that a source is coded names a source " + mark.source + " that is missing");
  }
  // A set's members that no longer exist are left out when the project is written: not a fault.
  for (const CodeSet& set : project.sets) unique(set.guid, "set " + quoted(set.name));
  for (const Memo& memo : project.memos) {
    unique(memo.guid, "memo");
    bool present = true;
    switch (memo.target_kind) {
      case MemoTarget::Project:
        break;
      case MemoTarget::Source:
        present = project.source(memo.target) != nullptr;
        break;
      case MemoTarget::Code:
        present = project.code(memo.target) != nullptr;
        break;
      case MemoTarget::Coding:
        present = project.coding(memo.target) != nullptr;
        break;
    }
    if (!present)
      problem("references", "memo " + memo.guid + " is on a " +
                                std::string(memo.target_kind == MemoTarget::Source ? "source"
                                            : memo.target_kind == MemoTarget::Code ? "code"
                                                                                   : "coding") +
                                " " + memo.target + " that is missing");
  }
  return findings;
}

CheckReport check_project(const fs::path& folder, bool repair_derived) {
  CheckReport report;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw BadInput(folder.string() + " is not a folder");
  if (!fs::exists(folder / "project.qde", ec)) {
    report.findings.push_back({Severity::Problem, "snapshot",
                               folder.string() + " is not a Marginalia project: it has no "
                                                 "project.qde"});
    return report;
  }
  if (repair_derived) report.repairs = repair(folder);

  std::vector<CheckFinding>& findings = report.findings;
  check_journal(folder, findings);
  for (const fs::path& file : leftovers(folder))
    findings.push_back({Severity::Note, "files",
                        file.string() + " was left by an interrupted write; --repair removes it"});

  std::unique_ptr<ProjectStore> store;
  try {
    store = ProjectStore::open(folder, OpenMode::ReadOnly, /*read_snapshot_files=*/true);
  } catch (const Error& e) {
    const std::string message = e.what();
    // A damaged journal stops the open with the message the journal check gave already.
    const bool known = std::any_of(findings.begin(), findings.end(), [&](const CheckFinding& f) {
      return f.severity == Severity::Problem && message.find(f.message) != std::string::npos;
    });
    if (!known) findings.push_back({Severity::Problem, "snapshot", "cannot open: " + message});
    return report;
  }
  for (CheckFinding& finding : check_model(store->project())) findings.push_back(finding);
  check_index(folder, *store, findings);
  return report;
}

}  // namespace marginalia
