#include "marginalia/model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace marginalia {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{
    {Role::Unknown, "unknown"},
    {Role::Interviewer, "interviewer"},
    {Role::Therapist, "therapist"},
    {Role::Client, "client"},
    {Role::Participant, "participant"},
    {Role::Other, "other"},
}};

template <typename T>
const T* find_by_guid(const std::vector<T>& items, std::string_view guid) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.guid == guid; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [r, name] : kRoleNames)
    if (r == role) return name;
  return "unknown";
}

std::string_view memo_target_name(MemoTarget kind) {
  switch (kind) {
    case MemoTarget::Source:
      return "source";
    case MemoTarget::Code:
      return "code";
    case MemoTarget::Coding:
      return "coding";
    case MemoTarget::Project:
      break;
  }
  return "project";
}

std::optional<Role> parse_role(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& [r, n] : kRoleNames)
    if (n == lower) return r;
  return std::nullopt;
}

const Source* Project::source(std::string_view guid) const {
  return find_by_guid(sources, guid);
}
const Code* Project::code(std::string_view guid) const {
  return find_by_guid(codes, guid);
}
const Coder* Project::coder(std::string_view guid) const {
  return find_by_guid(coders, guid);
}
const Coding* Project::coding(std::string_view guid) const {
  return find_by_guid(codings, guid);
}

const Coder* Project::coder_named(std::string_view name) const {
  auto it =
      std::find_if(coders.begin(), coders.end(), [&](const Coder& c) { return c.name == name; });
  return it == coders.end() ? nullptr : &*it;
}

std::string Project::code_path(const Code& code) const {
  std::string path = code.name;
  const Code* at = &code;
  // Bounded by the number of codes, so a cycle in a damaged file cannot loop forever.
  for (size_t depth = 0; depth < codes.size() && !at->parent.empty(); ++depth) {
    at = this->code(at->parent);
    if (!at) break;
    path = at->name + "/" + path;
  }
  return path;
}

std::string new_guid() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<uint64_t> dist;
  uint64_t hi = dist(engine), lo = dist(engine);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string normalize_guid(std::string_view guid) {
  std::string out;
  out.reserve(guid.size());
  for (char c : guid) {
    if (c == '{' || c == '}' || std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string now_iso8601() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace marginalia
