// REFI-QDA codebooks (.qdc).
#include <cctype>

#include "marginalia/codebook.h"
#include "marginalia/error.h"
#include "storage/refi_xml.h"
#include "storage/storage_io.h"

namespace marginalia {
namespace storage {

std::string normalize_color(std::string_view color) {
  if (color.empty() || color[0] != '#') return {};
  std::string hex(color.substr(1));
  for (char& c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  switch (hex.size()) {
    case 3:
      return std::string{'#', hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
    case 6:
      return "#" + hex;
    case 8:
      // #AARRGGBB (.NET, ATLAS.ti) is far more common in these files than CSS's #RRGGBBAA; an
      // alpha byte of FF or 00 first tells them apart, otherwise take the first reading.
      if (hex.substr(6) == "FF" && hex.substr(0, 2) != "FF") return "#" + hex.substr(0, 6);
      return "#" + hex.substr(2);
    default:
      return {};
  }
}

std::string checked_guid(std::string_view guid) {
  if (guid.size() == 38 && guid.front() == '{' && guid.back() == '}') guid = guid.substr(1, 36);
  if (guid.size() != 36) return {};
  // Written out rather than through <cctype>: a project holds one GUID per coding, and the locale
  // calls made this a sixth of opening one.
  std::string out(guid);
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return {};
    } else if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return {};
    }
  }
  return out;
}

Codebook parse_codebook(std::string_view bytes, const std::filesystem::path& file) {
  pugi::xml_document document;
  parse_xml(document, bytes, file);
  const pugi::xml_node root = document.document_element();
  if (local_name(root) != "CodeBook" && local_name(root) != "Codebook")
    throw BadInput(file.string() + ": not a REFI-QDA codebook (the root element is <" +
                   std::string(root.name()) + ">, not <CodeBook>)");
  require_refi_namespace(root, "codebook", file);
  Codebook codebook;
  codebook.origin = attribute_named(root, "origin").value();
  const pugi::xml_node codes = child_named(root, "Codes");
  if (codes) read_code_tree(codes, file, codebook.codes);  // Sets are ignored
  if (codebook.origin.find("Taguette") != std::string::npos) split_backslash_paths(codebook.codes);
  return codebook;
}

}  // namespace storage

Codebook load_codebook(const std::filesystem::path& file) {
  return storage::parse_codebook(storage::read_file(file), file);
}

void save_codebook(const Codebook& codebook, const std::filesystem::path& file) {
  pugi::xml_document document;
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "utf-8";
  pugi::xml_node root = document.append_child("CodeBook");
  root.append_attribute("xmlns") = "urn:QDA-XML:codebook:1.0";
  if (!codebook.origin.empty()) root.append_attribute("origin") = codebook.origin.c_str();
  storage::write_code_tree(root.append_child("Codes"), codebook.codes);
  // A codebook holds no interview text and is made to be shared between labs.
  storage::write_file_atomic(file, storage::xml_to_string(document), 0644);
}

}  // namespace marginalia
