#include "marginalia/pins.h"

#include <algorithm>

#include "marginalia/error.h"

namespace marginalia {

std::vector<std::string> stored_pins(const Project& project) {
  std::vector<std::string> pins(kPinKeys);
  for (size_t k = 0; k < kPinKeys; ++k) {
    auto it = project.settings.find("pin." + std::to_string(k + 1));
    if (it == project.settings.end()) continue;
    const Code* code = project.code(it->second);
    if (code && code->codable) pins[k] = it->second;
  }
  return pins;
}

std::optional<std::string> pinned_code(const Project& project, int key) {
  if (key < 1 || key > static_cast<int>(kPinKeys)) return std::nullopt;
  const std::vector<std::string> pins = stored_pins(project);
  if (std::any_of(pins.begin(), pins.end(), [](const std::string& g) { return !g.empty(); })) {
    if (pins[key - 1].empty()) return std::nullopt;
    return pins[key - 1];
  }
  int n = 0;
  for (const Code& code : project.codes)
    if (code.codable && ++n == key) return code.guid;
  return std::nullopt;
}

std::optional<int> pinned_key(const Project& project, const std::string& code) {
  for (int key = 1; key <= static_cast<int>(kPinKeys); ++key)
    if (pinned_code(project, key) == code) return key;
  return std::nullopt;
}

Command pin_code_command(const Project& project, const std::string& code, int key) {
  if (key < 1 || key > static_cast<int>(kPinKeys))
    throw BadInput("key " + std::to_string(key) + " is not one of 1-9");
  // Pinning the first key of a project that never pinned keeps the other default keys, so
  // pinning one code does not take the rest off the keys the researcher was using.
  std::vector<std::string> pins(kPinKeys);
  for (int k = 1; k <= static_cast<int>(kPinKeys); ++k)
    pins[k - 1] = pinned_code(project, k).value_or("");
  const std::string guid = code.empty() ? code : normalize_guid(code);
  if (!guid.empty()) std::replace(pins.begin(), pins.end(), guid, std::string());
  pins[key - 1] = guid;
  const Code* named = guid.empty() ? nullptr : project.code(guid);
  std::string label = "Clear key " + std::to_string(key);
  if (!guid.empty())
    label = "Pin \"" + (named ? named->name : guid) + "\" to key " + std::to_string(key);
  return Command{SetPins{std::move(pins)}, std::move(label)};
}

}  // namespace marginalia
