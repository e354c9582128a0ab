// Private to core/src/storage: pugixml helpers shared by the .qdc and .qde readers and writers.
// Elements are matched on their local names, so any namespace (1.0, the older 0:4, none) reads.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "marginalia/model.h"

namespace marginalia::storage {

std::string_view local_name(const pugi::xml_node& node);
// The first child element with this local name; empty node when none.
pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name);
// Every child element with this local name, in document order.
std::vector<pugi::xml_node> children_named(const pugi::xml_node& node, std::string_view name);
// An attribute by local name.
pugi::xml_attribute attribute_named(const pugi::xml_node& node, std::string_view name);

// Parses `bytes`; BadInput "FILE: XML error: DESCRIPTION at byte N" when they are not well-formed.
void parse_xml(pugi::xml_document& document, std::string_view bytes,
               const std::filesystem::path& file);
// UTF-8, two-space indent, LF, with an XML declaration.
std::string xml_to_string(const pugi::xml_document& document);

// Writes `codes` (parents before children) as nested <Code> elements under `codes_element`.
// `extra` runs after the Description of each code and before its children (the qde's NoteRefs).
void write_code_tree(pugi::xml_node codes_element, const std::vector<Code>& codes,
                     const std::function<void(pugi::xml_node, const Code&)>& extra = {});
// Reads nested <Code> elements in document order (parents before children). `each` sees every
// element with its code. Throws BadInput naming `file` on a missing or malformed GUID or name.
void read_code_tree(const pugi::xml_node& codes_element, const std::filesystem::path& file,
                    std::vector<Code>& codes,
                    const std::function<void(const pugi::xml_node&, const Code&)>& each = {});

// Taguette writes its hierarchy into the names ("Feelings\\Shame"): each such code goes under
// folders made for the parts before the last backslash (found by path, else added), parents first.
void split_backslash_paths(std::vector<Code>& codes);

// BadInput naming `file` when the root element is in a namespace other than
// "urn:QDA-XML:<kind>:..." (none at all is accepted).
void require_refi_namespace(const pugi::xml_node& root, std::string_view kind,
                            const std::filesystem::path& file);

}  // namespace marginalia::storage
