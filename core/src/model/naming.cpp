#include "marginalia/naming.h"

#include <algorithm>
#include <vector>

#include "marginalia/error.h"

namespace marginalia {

namespace {

template <typename T, typename Describe>
std::string pick(const std::vector<const T*>& matches, std::string_view kind,
                 std::string_view reference, Describe describe) {
  if (matches.size() == 1) return matches.front()->guid;
  if (matches.empty())
    throw BadInput("no " + std::string(kind) + " named \"" + std::string(reference) + "\"");
  std::string list;
  for (const T* m : matches) list += (list.empty() ? "" : ", ") + describe(*m);
  throw BadInput(std::string(kind) + " name \"" + std::string(reference) +
                 "\" is ambiguous: " + list + " (name it by GUID or Parent/Child path)");
}

}  // namespace

std::string resolve_code(const Project& project, std::string_view reference) {
  const std::string guid = normalize_guid(reference);
  if (const Code* c = project.code(guid)) return c->guid;
  // A name with a slash is a path first; a plain name matches codes at any depth.
  const bool is_path = reference.find('/') != std::string_view::npos;
  std::vector<const Code*> by_path, by_name;
  for (const auto& c : project.codes) {
    if (is_path && project.code_path(c) == reference) by_path.push_back(&c);
    if (c.name == reference) by_name.push_back(&c);
  }
  auto describe = [&](const Code& c) { return project.code_path(c) + " (" + c.guid + ")"; };
  return pick(by_path.empty() ? by_name : by_path, "code", reference, describe);
}

std::string resolve_source(const Project& project, std::string_view reference) {
  const std::string guid = normalize_guid(reference);
  if (const Source* s = project.source(guid)) return s->guid;
  std::vector<const Source*> matches;
  for (const auto& s : project.sources)
    if (s.name == reference || s.origin_file == reference) matches.push_back(&s);
  auto describe = [](const Source& s) { return s.name + " (" + s.guid + ")"; };
  return pick(matches, "source", reference, describe);
}

std::string resolve_coding(const Project& project, std::string_view reference) {
  const std::string guid = normalize_guid(reference);
  if (const Coding* c = project.coding(guid)) return c->guid;
  // A unique prefix of at least 8 characters is enough, as with git hashes.
  std::vector<const Coding*> matches;
  if (guid.size() >= 8)
    for (const auto& c : project.codings)
      if (c.guid.compare(0, guid.size(), guid) == 0) matches.push_back(&c);
  auto describe = [](const Coding& c) { return c.guid; };
  return pick(matches, "coding", reference, describe);
}

}  // namespace marginalia
