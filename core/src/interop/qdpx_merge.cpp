// A REFI project read from another tool, added to an existing project as one undoable command.
#include <map>
#include <set>

#include "interop/zip_archive.h"
#include "marginalia/error.h"
#include "marginalia/qdpx.h"
#include "storage/storage_io.h"

namespace marginalia {

namespace {

// `guid` when the project does not use it yet, else a new one: nothing already there is replaced.
template <typename Taken>
std::string free_guid(const std::string& guid, const Taken& taken) {
  return taken(guid) ? new_guid() : guid;
}

}  // namespace

Command merge_command(const Project& into, const Project& incoming, const std::string& label) {
  Batch batch;
  std::set<std::string> used;  // guids handed out by this merge
  auto taken = [&](const std::string& g) {
    return used.count(g) || into.source(g) || into.code(g) || into.coder(g) || into.coding(g);
  };

  std::map<std::string, std::string> coder_of;
  for (const Coder& coder : incoming.coders) {
    if (const Coder* same = into.coder_named(coder.name)) {
      coder_of[coder.guid] = same->guid;
      continue;
    }
    Coder added{free_guid(coder.guid, taken), coder.name};
    used.insert(added.guid);
    coder_of[coder.guid] = added.guid;
    batch.actions.push_back(AddCoder{added});
  }

  // Codes: the same guid, else the same path of names, is the same code.
  std::map<std::string, std::string> path_to_code;
  for (const Code& code : into.codes) path_to_code.emplace(into.code_path(code), code.guid);
  std::map<std::string, std::string> code_of;
  AddCodes codes;
  for (const Code& code : incoming.codes) {
    if (into.code(code.guid)) {
      code_of[code.guid] = code.guid;
      continue;
    }
    const auto same = path_to_code.find(incoming.code_path(code));
    if (same != path_to_code.end()) {
      code_of[code.guid] = same->second;
      continue;
    }
    Code added = code;
    added.guid = free_guid(code.guid, taken);
    used.insert(added.guid);
    if (!added.parent.empty()) added.parent = code_of[code.parent];
    code_of[code.guid] = added.guid;
    codes.codes.push_back(std::move(added));
  }
  if (!codes.codes.empty()) batch.actions.push_back(std::move(codes));

  std::map<std::string, std::string> source_of;
  for (const Source& source : incoming.sources) {
    Source added = source;
    added.guid = free_guid(source.guid, taken);
    used.insert(added.guid);
    source_of[source.guid] = added.guid;
    batch.actions.push_back(AddSource{std::move(added)});
  }

  // A note another tool attached to a coding travels in the coding's memo.
  std::map<std::string, std::string> coding_notes;
  for (const Memo& memo : incoming.memos)
    if (memo.target_kind == MemoTarget::Coding)
      coding_notes[memo.target] += (coding_notes[memo.target].empty() ? "" : "\n\n") + memo.text;
  AddCodings codings;
  for (const Coding& coding : incoming.codings) {
    Coding added = coding;
    added.guid = free_guid(coding.guid, taken);
    used.insert(added.guid);
    added.source = source_of[coding.source];
    added.code = code_of[coding.code];
    if (!coding.coder.empty()) added.coder = coder_of[coding.coder];
    if (auto note = coding_notes.find(coding.guid); note != coding_notes.end())
      added.memo += (added.memo.empty() ? "" : "\n\n") + note->second;
    codings.codings.push_back(std::move(added));
  }
  if (!codings.codings.empty()) batch.actions.push_back(std::move(codings));

  SetMemos memos;
  for (const Memo& memo : incoming.memos) {
    if (memo.target_kind == MemoTarget::Coding) continue;
    Memo added = memo;
    added.guid = free_guid(memo.guid, [&](const std::string& g) {
      if (used.count(g)) return true;
      for (const Memo& m : into.memos)
        if (m.guid == g) return true;
      return false;
    });
    used.insert(added.guid);
    if (memo.target_kind == MemoTarget::Source) added.target = source_of[memo.target];
    if (memo.target_kind == MemoTarget::Code) added.target = code_of[memo.target];
    memos.memos.push_back(std::move(added));
  }
  if (!memos.memos.empty()) batch.actions.push_back(std::move(memos));

  SetCases cases;
  for (const Case& c : incoming.cases) {
    Case added = c;
    added.guid = new_guid();
    for (std::string& source : added.sources) source = source_of[source];
    cases.cases.push_back(std::move(added));
  }
  if (!cases.cases.empty()) batch.actions.push_back(std::move(cases));

  return Command{std::move(batch), label};
}

bool is_refi_project(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".qdpx" || ext == ".qde") return true;
  std::string bytes;
  try {
    bytes = storage::read_file(file);
  } catch (const Error&) {
    return false;
  }
  if (!interop::looks_like_zip(bytes)) return false;
  try {
    interop::ZipReader zip(bytes, file, int64_t(1) << 31);
    for (const std::string& name : zip.names())
      if (name.size() > 4 && name.find('/') == std::string::npos &&
          (name.compare(name.size() - 4, 4, ".qde") == 0 ||
           name.compare(name.size() - 4, 4, ".QDE") == 0))
        return true;
  } catch (const Error&) {
  }
  return false;
}

}  // namespace marginalia
