// project.qde: the REFI-QDA project, written in schema order and deterministically (the model's own
// times only), so saving an unchanged project twice writes the same bytes.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "marginalia/text.h"
#include "storage/refi_xml.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

constexpr int64_t kSelectionNameLength = 200;  // code points of quoted text in a selection's name
constexpr int64_t kNoteNameLength = 60;

size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // a stray byte counts as one
}

uint64_t fnv1a(std::string_view text, uint64_t hash) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void set_if(pugi::xml_node element, const char* name, const std::string& value) {
  if (!value.empty()) element.append_attribute(name) = value.c_str();
}

void note_ref(pugi::xml_node parent, const std::string& guid) {
  parent.append_child("NoteRef").append_attribute("targetGUID") = guid.c_str();
}

std::string variable_guid(const std::string& name) {
  return derived_guid("variable:" + name);
}

// Attributes of cases and sources are REFI Variables with text values, so other tools show them.
void variable_values(pugi::xml_node parent, const std::map<std::string, std::string>& attributes) {
  for (const auto& [name, value] : attributes) {
    pugi::xml_node element = parent.append_child("VariableValue");
    element.append_child("VariableRef").append_attribute("targetGUID") =
        variable_guid(name).c_str();
    element.append_child("TextValue").text().set(value.c_str());
  }
}

}  // namespace

int64_t utf8_length(std::string_view text) {
  int64_t count = 0;
  for (size_t i = 0; i < text.size(); i += sequence_length(static_cast<unsigned char>(text[i])))
    ++count;
  return count;
}

std::string utf8_prefix(std::string_view text, int64_t start, int64_t end) {
  size_t i = 0;
  int64_t cp = 0;
  for (; i < text.size() && cp < start; ++cp)
    i += sequence_length(static_cast<unsigned char>(text[i]));
  const size_t from = std::min(i, text.size());
  for (; i < text.size() && cp < end; ++cp)
    i += sequence_length(static_cast<unsigned char>(text[i]));
  return std::string(text.substr(from, std::min(i, text.size()) - from));
}

std::string derived_guid(std::string_view name) {
  // Two FNV-1a hashes with different offset bases, formatted as an RFC 9562 version 8 (custom)
  // GUID: stable across saves and machines, and distinct from the random version 4 GUIDs.
  uint64_t hi = fnv1a(name, 0xcbf29ce484222325ULL);
  uint64_t lo = fnv1a(name, 0x84222325cbf29ce4ULL ^ hi);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000008000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buffer[37];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xffff),
                static_cast<unsigned>(hi & 0xffff), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buffer;
}

std::string write_qde(const Project& project) {
  // Where each memo's NoteRef goes, by the guid of what it is attached to.
  std::map<std::string, std::vector<std::string>> notes_of;
  std::vector<std::string> project_notes;
  for (const Memo& memo : project.memos) {
    if (memo.target_kind == MemoTarget::Project || memo.target.empty())
      project_notes.push_back(memo.guid);
    else
      notes_of[memo.target].push_back(memo.guid);
  }
  auto refs_for = [&](pugi::xml_node parent, const std::string& guid) {
    auto it = notes_of.find(guid);
    if (it != notes_of.end())
      for (const std::string& note : it->second) note_ref(parent, note);
  };

  pugi::xml_document document;
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "utf-8";
  pugi::xml_node root = document.append_child("Project");
  root.append_attribute("xmlns") = "urn:QDA-XML:project:1.0";
  root.append_attribute("name") = project.name.c_str();
  root.append_attribute("origin") = "Marginalia 0.1";
  set_if(root, "creationDateTime", project.created);

  if (!project.coders.empty()) {
    pugi::xml_node users = root.append_child("Users");
    for (const Coder& coder : project.coders) {
      pugi::xml_node user = users.append_child("User");
      user.append_attribute("guid") = coder.guid.c_str();
      user.append_attribute("name") = coder.name.c_str();
    }
  }

  if (!project.codes.empty()) {
    write_code_tree(
        root.append_child("CodeBook").append_child("Codes"), project.codes,
        [&](pugi::xml_node element, const Code& code) { refs_for(element, code.guid); });
  }

  std::set<std::string> variables;
  for (const Case& c : project.cases)
    for (const auto& [name, value] : c.attributes) variables.insert(name);
  for (const Source& s : project.sources)
    for (const auto& [name, value] : s.attributes) variables.insert(name);
  if (!variables.empty()) {
    pugi::xml_node element = root.append_child("Variables");
    for (const std::string& name : variables) {
      pugi::xml_node variable = element.append_child("Variable");
      variable.append_attribute("guid") = variable_guid(name).c_str();
      variable.append_attribute("name") = name.c_str();
      variable.append_attribute("typeOfVariable") = "Text";
    }
  }

  if (!project.cases.empty()) {
    pugi::xml_node cases = root.append_child("Cases");
    for (const Case& c : project.cases) {
      pugi::xml_node element = cases.append_child("Case");
      element.append_attribute("guid") = c.guid.c_str();
      element.append_attribute("name") = c.name.c_str();
      variable_values(element, c.attributes);
      for (const std::string& source : c.sources)
        element.append_child("SourceRef").append_attribute("targetGUID") = source.c_str();
    }
  }

  if (!project.sources.empty()) {
    std::map<std::string, std::vector<const Coding*>> codings_of;
    for (const Coding& coding : project.codings) codings_of[coding.source].push_back(&coding);
    pugi::xml_node sources = root.append_child("Sources");
    for (const Source& source : project.sources) {
      pugi::xml_node element = sources.append_child("TextSource");
      element.append_attribute("guid") = source.guid.c_str();
      element.append_attribute("name") = source.name.c_str();
      element.append_attribute("plainTextPath") = ("internal://" + source.guid + ".txt").c_str();
      set_if(element, "creationDateTime", source.created);
      // The selections' names quote their text: found through the offset map, since walking the
      // text from its start for each one made a snapshot cost codings × text.
      const OffsetMap map(source.text);
      const auto byte_at = [&](int64_t cp) {
        return static_cast<size_t>(map.byte_of(std::clamp<int64_t>(cp, 0, map.code_points())));
      };
      for (const Coding* coding : codings_of[source.guid]) {
        pugi::xml_node selection = element.append_child("PlainTextSelection");
        selection.append_attribute("guid") = coding->guid.c_str();
        const size_t from = byte_at(coding->start);
        const size_t to =
            std::max(from, byte_at(std::min(coding->end, coding->start + kSelectionNameLength)));
        selection.append_attribute("name") = source.text.substr(from, to - from).c_str();
        selection.append_attribute("startPosition") = static_cast<long long>(coding->start);
        selection.append_attribute("endPosition") = static_cast<long long>(coding->end);
        set_if(selection, "creatingUser", coding->coder);
        set_if(selection, "creationDateTime", coding->created);
        if (!coding->memo.empty())
          selection.append_child("Description").text().set(coding->memo.c_str());
        pugi::xml_node refi_coding = selection.append_child("Coding");
        refi_coding.append_attribute("guid") = derived_guid("coding:" + coding->guid).c_str();
        set_if(refi_coding, "creatingUser", coding->coder);
        set_if(refi_coding, "creationDateTime", coding->created);
        refi_coding.append_child("CodeRef").append_attribute("targetGUID") = coding->code.c_str();
        refs_for(selection, coding->guid);
      }
      refs_for(element, source.guid);
      variable_values(element, source.attributes);
    }
  }

  if (!project.memos.empty()) {
    pugi::xml_node notes = root.append_child("Notes");
    for (const Memo& memo : project.memos) {
      pugi::xml_node note = notes.append_child("Note");
      note.append_attribute("guid") = memo.guid.c_str();
      std::string first_line = memo.text.substr(0, memo.text.find('\n'));
      first_line = utf8_prefix(first_line, 0, kNoteNameLength);
      note.append_attribute("name") = first_line.empty() ? "Memo" : first_line.c_str();
      set_if(note, "creationDateTime", memo.created);
      if (!memo.text.empty()) note.append_child("PlainTextContent").text().set(memo.text.c_str());
    }
  }
  if (!project.sets.empty()) {
    std::set<std::string> codes, sources;
    for (const Code& code : project.codes) codes.insert(code.guid);
    for (const Source& source : project.sources) sources.insert(source.guid);
    pugi::xml_node sets = root.append_child("Sets");
    for (const CodeSet& set : project.sets) {
      pugi::xml_node element = sets.append_child("Set");
      element.append_attribute("guid") = set.guid.c_str();
      element.append_attribute("name") = set.name.c_str();
      if (!set.description.empty())
        element.append_child("Description").text().set(set.description.c_str());
      for (const std::string& code : set.codes)
        if (codes.count(code))
          element.append_child("MemberCode").append_attribute("targetGUID") = code.c_str();
      for (const std::string& source : set.sources)
        if (sources.count(source))
          element.append_child("MemberSource").append_attribute("targetGUID") = source.c_str();
    }
  }
  for (const std::string& note : project_notes) note_ref(root, note);

  return xml_to_string(document);
}

}  // namespace marginalia::storage
