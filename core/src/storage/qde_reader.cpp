// Reads the project.qde that qde_writer.cpp writes. Other tools' projects are a later importer's
// job; this reader is strict about what it needs and says which file and element is wrong.
#include <map>
#include <set>

#include "marginalia/error.h"
#include "storage/refi_xml.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

namespace {

struct Reader {
  const std::filesystem::path& file;

  [[noreturn]] void fail(const pugi::xml_node& node, const std::string& problem) const {
    throw BadInput(file.string() + ": " + problem + " (<" + std::string(local_name(node)) +
                   "> at byte " + std::to_string(node.offset_debug()) + ")");
  }

  std::string guid(const pugi::xml_node& node, std::string_view attribute = "guid") const {
    const std::string raw = attribute_named(node, attribute).value();
    std::string checked = checked_guid(raw);
    if (checked.empty())
      fail(node, "missing or malformed " + std::string(attribute) + " \"" + raw + "\"");
    return checked;
  }

  int64_t integer(const pugi::xml_node& node, std::string_view attribute) const {
    const std::string raw = attribute_named(node, attribute).value();
    try {
      size_t used = 0;
      const long long value = std::stoll(raw, &used);
      if (used == raw.size()) return value;
    } catch (const std::exception&) {
    }
    fail(node, "missing or malformed " + std::string(attribute) + " \"" + raw + "\"");
  }
};

}  // namespace

Project read_qde(std::string_view bytes, const std::filesystem::path& file,
                 const std::function<std::string(const std::string& guid,
                                                 const std::string& file_name)>& load_text) {
  pugi::xml_document document;
  parse_xml(document, bytes, file);
  const pugi::xml_node root = document.document_element();
  const Reader reader{file};
  if (local_name(root) != "Project")
    throw BadInput(file.string() + ": not a REFI-QDA project (the root element is <" +
                   std::string(root.name()) + ">, not <Project>)");

  Project project;
  project.name = attribute_named(root, "name").value();
  project.created = attribute_named(root, "creationDateTime").value();

  std::map<std::string, std::pair<MemoTarget, std::string>> note_targets;
  auto collect_notes = [&](const pugi::xml_node& parent, MemoTarget kind,
                           const std::string& target) {
    for (const pugi::xml_node& ref : children_named(parent, "NoteRef"))
      note_targets[reader.guid(ref, "targetGUID")] = {kind, target};
  };

  for (const pugi::xml_node& user : children_named(child_named(root, "Users"), "User"))
    project.coders.push_back(Coder{reader.guid(user), attribute_named(user, "name").value()});

  if (const pugi::xml_node codes = child_named(child_named(root, "CodeBook"), "Codes"))
    read_code_tree(codes, file, project.codes,
                   [&](const pugi::xml_node& element, const Code& code) {
                     collect_notes(element, MemoTarget::Code, code.guid);
                   });
  std::set<std::string> code_guids;
  for (const Code& code : project.codes) code_guids.insert(code.guid);

  std::map<std::string, std::string> variable_names;
  for (const pugi::xml_node& v : children_named(child_named(root, "Variables"), "Variable"))
    variable_names[reader.guid(v)] = attribute_named(v, "name").value();
  // Values of any REFI type are kept as their text.
  auto read_values = [&](const pugi::xml_node& parent, std::map<std::string, std::string>& out) {
    for (const pugi::xml_node& value : children_named(parent, "VariableValue")) {
      const auto name =
          variable_names.find(reader.guid(child_named(value, "VariableRef"), "targetGUID"));
      if (name == variable_names.end()) reader.fail(value, "VariableValue names no Variable");
      for (pugi::xml_node child = value.first_child(); child; child = child.next_sibling())
        if (child.type() == pugi::node_element && child != child_named(value, "VariableRef"))
          out[name->second] = child.text().get();
    }
  };

  for (const pugi::xml_node& element : children_named(child_named(root, "Cases"), "Case")) {
    Case c;
    c.guid = reader.guid(element);
    c.name = attribute_named(element, "name").value();
    read_values(element, c.attributes);
    for (const pugi::xml_node& ref : children_named(element, "SourceRef"))
      c.sources.push_back(reader.guid(ref, "targetGUID"));
    project.cases.push_back(std::move(c));
  }

  std::set<std::string> coding_guids;
  for (const pugi::xml_node& element : children_named(child_named(root, "Sources"), "TextSource")) {
    Source source;
    source.guid = reader.guid(element);
    source.name = attribute_named(element, "name").value();
    source.created = attribute_named(element, "creationDateTime").value();
    read_values(element, source.attributes);
    std::string path = attribute_named(element, "plainTextPath").value();
    constexpr std::string_view kInternal = "internal://";
    std::string file_name =
        path.rfind(kInternal, 0) == 0 ? path.substr(kInternal.size()) : source.guid + ".txt";
    if (file_name.find('/') != std::string::npos || file_name.find("..") != std::string::npos)
      reader.fail(element, "plainTextPath \"" + path + "\" leaves the sources folder");
    source.text = load_text(source.guid, file_name);
    const int64_t length = utf8_length(source.text);

    for (const pugi::xml_node& selection : children_named(element, "PlainTextSelection")) {
      const std::string selection_guid = reader.guid(selection);
      const int64_t start = reader.integer(selection, "startPosition");
      const int64_t end = reader.integer(selection, "endPosition");
      if (start < 0 || start >= end || end > length)
        reader.fail(selection, "selection [" + std::to_string(start) + ", " + std::to_string(end) +
                                   ") lies outside source \"" + source.name + "\" of " +
                                   std::to_string(length) + " characters");
      const std::string memo = child_named(selection, "Description").text().get();
      bool first = true;
      for (const pugi::xml_node& refi_coding : children_named(selection, "Coding")) {
        Coding coding;
        // We write one Coding per selection and the selection carries the coding's guid.
        coding.guid = first ? selection_guid : reader.guid(refi_coding);
        first = false;
        coding.source = source.guid;
        coding.start = start;
        coding.end = end;
        coding.code = reader.guid(child_named(refi_coding, "CodeRef"), "targetGUID");
        if (!code_guids.count(coding.code))
          reader.fail(refi_coding, "coding refers to an unknown code " + coding.code);
        const char* user = attribute_named(refi_coding, "creatingUser").value();
        coding.coder =
            checked_guid(*user ? user : attribute_named(selection, "creatingUser").value());
        const char* when = attribute_named(refi_coding, "creationDateTime").value();
        coding.created = *when ? when : attribute_named(selection, "creationDateTime").value();
        coding.memo = memo;
        if (!coding_guids.insert(coding.guid).second)
          reader.fail(refi_coding, "two codings share the guid " + coding.guid);
        collect_notes(selection, MemoTarget::Coding, coding.guid);
        project.codings.push_back(std::move(coding));
      }
    }
    collect_notes(element, MemoTarget::Source, source.guid);
    project.sources.push_back(std::move(source));
  }

  for (const pugi::xml_node& note : children_named(child_named(root, "Notes"), "Note")) {
    Memo memo;
    memo.guid = reader.guid(note);
    memo.text = child_named(note, "PlainTextContent").text().get();
    memo.created = attribute_named(note, "creationDateTime").value();
    project.memos.push_back(std::move(memo));
  }
  collect_notes(root, MemoTarget::Project, std::string());
  for (Memo& memo : project.memos) {
    auto it = note_targets.find(memo.guid);
    if (it != note_targets.end()) std::tie(memo.target_kind, memo.target) = it->second;
  }
  return project;
}

}  // namespace marginalia::storage
