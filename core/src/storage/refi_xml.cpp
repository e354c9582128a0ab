#include "storage/refi_xml.h"

#include <map>
#include <set>
#include <sstream>

#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node child : node.children())
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  return {};
}

std::vector<pugi::xml_node> children_named(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> found;
  for (pugi::xml_node child : node.children())
    if (child.type() == pugi::node_element && local_name(child) == name) found.push_back(child);
  return found;
}

pugi::xml_attribute attribute_named(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_attribute attribute : node.attributes()) {
    std::string_view full = attribute.name();
    const auto colon = full.find(':');
    if ((colon == std::string_view::npos ? full : full.substr(colon + 1)) == name) return attribute;
  }
  return {};
}

void parse_xml(pugi::xml_document& document, std::string_view bytes,
               const std::filesystem::path& file) {
  // Whitespace-only text is kept when it is an element's only content (a memo of blanks).
  const pugi::xml_parse_result result =
      document.load_buffer(bytes.data(), bytes.size(),
                           pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_doctype,
                           pugi::encoding_auto);
  if (!result)
    throw BadInput(file.string() + ": XML error: " + result.description() + " at byte " +
                   std::to_string(result.offset));
  // REFI files have no DTD; a DOCTYPE can only declare entities (billion laughs, external files).
  for (pugi::xml_node node : document.children())
    if (node.type() == pugi::node_doctype)
      throw BadInput(file.string() +
                     ": refused: the XML has a DOCTYPE (entity declarations are not read)");
}

std::string xml_to_string(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void write_code_tree(pugi::xml_node codes_element, const std::vector<Code>& codes,
                     const std::function<void(pugi::xml_node, const Code&)>& extra) {
  std::set<std::string> known;
  for (const Code& code : codes) known.insert(code.guid);
  std::map<std::string, std::vector<const Code*>> children;  // parent guid -> codes in order
  for (const Code& code : codes)
    children[known.count(code.parent) ? code.parent : std::string()].push_back(&code);

  std::set<std::string> written;  // guards against a parent cycle in a damaged model
  std::function<void(pugi::xml_node, const std::string&)> write_level =
      [&](pugi::xml_node parent, const std::string& parent_guid) {
        auto it = children.find(parent_guid);
        if (it == children.end()) return;
        for (const Code* code : it->second) {
          if (!written.insert(code->guid).second) continue;
          pugi::xml_node element = parent.append_child("Code");
          element.append_attribute("guid") = code->guid.c_str();
          element.append_attribute("name") = code->name.c_str();
          element.append_attribute("isCodable") = code->codable ? "true" : "false";
          const std::string color = normalize_color(code->color);
          if (!color.empty()) element.append_attribute("color") = color.c_str();
          if (!code->description.empty())
            element.append_child("Description").text().set(code->description.c_str());
          if (extra) extra(element, *code);
          write_level(element, code->guid);
        }
      };
  write_level(codes_element, std::string());
}

namespace {

bool parse_bool(std::string_view value, bool fallback) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return fallback;
}

void read_level(const pugi::xml_node& element, const std::string& parent,
                const std::filesystem::path& file, std::vector<Code>& codes,
                std::set<std::string>& seen,
                const std::function<void(const pugi::xml_node&, const Code&)>& each) {
  for (const pugi::xml_node& node : children_named(element, "Code")) {
    Code code;
    const std::string raw_guid = attribute_named(node, "guid").value();
    code.guid = checked_guid(raw_guid);
    if (code.guid.empty())
      throw BadInput(file.string() + ": a Code has a missing or malformed guid \"" + raw_guid +
                     "\" (at byte " + std::to_string(node.offset_debug()) + ")");
    if (!seen.insert(code.guid).second)
      throw BadInput(file.string() + ": two codes share the guid " + code.guid);
    code.name = attribute_named(node, "name").value();
    code.codable = parse_bool(attribute_named(node, "isCodable").value(), true);
    code.color = normalize_color(attribute_named(node, "color").value());
    code.description = child_named(node, "Description").text().get();
    code.parent = parent;
    codes.push_back(code);
    if (each) each(node, code);
    read_level(node, code.guid, file, codes, seen, each);
  }
}

}  // namespace

void read_code_tree(const pugi::xml_node& codes_element, const std::filesystem::path& file,
                    std::vector<Code>& codes,
                    const std::function<void(const pugi::xml_node&, const Code&)>& each) {
  std::set<std::string> seen;
  for (const Code& code : codes) seen.insert(code.guid);
  read_level(codes_element, std::string(), file, codes, seen, each);
}

}  // namespace marginalia::storage
