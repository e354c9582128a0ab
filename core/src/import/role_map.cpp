// RoleMap: speaker label -> role, compared case-folded and trimmed.
#include <string>

#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace marginalia {
namespace {

std::string key_of(std::string_view label) {
  const auto first = label.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = label.find_last_not_of(" \t");
  return fold_case(label.substr(first, last - first + 1));
}

}  // namespace

RoleMap RoleMap::defaults() {
  RoleMap map;
  for (const char* label : {"Interviewer", "I", "Q", "Int"}) map.set(label, Role::Interviewer);
  for (const char* label : {"Therapist", "T", "Th"}) map.set(label, Role::Therapist);
  for (const char* label : {"Client", "C", "Cl"}) map.set(label, Role::Client);
  for (const char* label : {"Participant", "P", "R", "Respondent"}) {
    map.set(label, Role::Participant);
  }
  return map;
}

void RoleMap::set(std::string_view label, Role role) {
  roles_[key_of(label)] = role;
}

Role RoleMap::role_of(std::string_view label) const {
  const auto found = roles_.find(key_of(label));
  return found == roles_.end() ? Role::Unknown : found->second;
}

}  // namespace marginalia
