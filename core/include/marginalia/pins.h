// Pinned code keys: the codes that keys 1-9 apply in the workbench (and `pin` sets from the CLI).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "marginalia/commands.h"
#include "marginalia/model.h"

namespace marginalia {

inline constexpr size_t kPinKeys = 9;

// The pins as stored, key 1 first: nine guids, empty where nothing is pinned (SetPins::pins).
// A pin whose code is gone (deleted, merged away) or is now a folder reads as empty.
std::vector<std::string> stored_pins(const Project& project);

// The code on `key` (1-9): its pin if it has one; when no key is pinned at all, the first nine
// codable codes in codebook order (so a project that never pinned keeps its keys). Empty for an
// unpinned key, a key out of range or fewer codable codes than the key.
std::optional<std::string> pinned_code(const Project& project, int key);

// The key (1-9) whose pinned_code is `code`, if any.
std::optional<int> pinned_key(const Project& project, const std::string& code);

// The command that puts `code` on `key` (taking it off any other key and replacing what was on
// `key`), or with an empty `code` clears `key`. Throws BadInput for a key outside 1-9; prepare()
// checks the code. Labelled "Pin \"Name\" to key 3" / "Clear key 3".
Command pin_code_command(const Project& project, const std::string& code, int key);

}  // namespace marginalia
