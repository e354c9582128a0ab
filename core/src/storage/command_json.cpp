// Commands as JSON, for the journal and the undo history in model.json. Every field of every
// action is written; a source's text is not (it lives in sources/<guid>.txt).
#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

using nlohmann::json;

namespace {

json to_json(const Coder& c) {
  return {{"guid", c.guid}, {"name", c.name}};
}
Coder coder_from(const json& j) {
  return {j.at("guid").get<std::string>(), j.at("name").get<std::string>()};
}

json to_json(const Code& c) {
  return {{"guid", c.guid},     {"name", c.name},
          {"color", c.color},   {"description", c.description},
          {"parent", c.parent}, {"codable", c.codable}};
}
Code code_from(const json& j) {
  Code c;
  c.guid = j.at("guid").get<std::string>();
  c.name = j.at("name").get<std::string>();
  c.color = j.value("color", "");
  c.description = j.value("description", "");
  c.parent = j.value("parent", "");
  c.codable = j.value("codable", true);
  return c;
}

json to_json(const Coding& c) {
  return {{"guid", c.guid}, {"source", c.source}, {"start", c.start},     {"end", c.end},
          {"code", c.code}, {"coder", c.coder},   {"created", c.created}, {"memo", c.memo}};
}
Coding coding_from(const json& j) {
  Coding c;
  c.guid = j.at("guid").get<std::string>();
  c.source = j.at("source").get<std::string>();
  c.start = j.at("start").get<int64_t>();
  c.end = j.at("end").get<int64_t>();
  c.code = j.at("code").get<std::string>();
  c.coder = j.at("coder").get<std::string>();
  c.created = j.value("created", "");
  c.memo = j.value("memo", "");
  return c;
}

json to_json(const Case& c) {
  return {{"guid", c.guid}, {"name", c.name}, {"attributes", c.attributes}, {"sources", c.sources}};
}
Case case_from(const json& j) {
  Case c;
  c.guid = j.at("guid").get<std::string>();
  c.name = j.at("name").get<std::string>();
  c.attributes = j.value("attributes", std::map<std::string, std::string>{});
  c.sources = j.value("sources", std::vector<std::string>{});
  return c;
}

json to_json(const Source& s) {
  json utterances = json::array();
  for (const Utterance& u : s.utterances) utterances.push_back(utterance_to_json(u));
  return {{"guid", s.guid},
          {"name", s.name},
          {"utterances", utterances},
          {"attributes", s.attributes},
          {"origin_file", s.origin_file},
          {"origin_format", s.origin_format},
          {"encoding", s.encoding},
          {"created", s.created}};
}
Source source_from(const json& j, const std::function<std::string(const std::string&)>& load_text) {
  Source s;
  s.guid = j.at("guid").get<std::string>();
  s.name = j.at("name").get<std::string>();
  for (const json& u : j.at("utterances")) s.utterances.push_back(utterance_from_json(u));
  s.attributes = j.value("attributes", std::map<std::string, std::string>{});
  s.origin_file = j.value("origin_file", "");
  s.origin_format = j.value("origin_format", "");
  s.encoding = j.value("encoding", "");
  s.created = j.value("created", "");
  s.text = load_text(s.guid);
  return s;
}

MemoTarget target_kind_from(const std::string& name) {
  if (name == "project") return MemoTarget::Project;
  if (name == "source") return MemoTarget::Source;
  if (name == "code") return MemoTarget::Code;
  if (name == "coding") return MemoTarget::Coding;
  throw BadInput("unknown memo target \"" + name + "\"");
}

json to_json(const Memo& m) {
  return {{"guid", m.guid},
          {"target_kind", std::string(memo_target_name(m.target_kind))},
          {"target", m.target},
          {"text", m.text},
          {"created", m.created}};
}
Memo memo_from(const json& j) {
  Memo m;
  m.guid = j.at("guid").get<std::string>();
  m.target_kind = target_kind_from(j.value("target_kind", "project"));
  m.target = j.value("target", "");
  m.text = j.value("text", "");
  m.created = j.value("created", "");
  return m;
}

json to_json(const DoneMark& m) {
  return {{"coder", m.coder}, {"source", m.source}};
}
DoneMark done_mark_from(const json& j) {
  return {j.at("coder").get<std::string>(), j.at("source").get<std::string>()};
}

template <typename T>
json list(const std::vector<T>& items) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

template <typename F>
auto list_from(const json& j, F from) {
  std::vector<decltype(from(j))> out;
  for (const json& item : j) out.push_back(from(item));
  return out;
}

}  // namespace

json done_marks_to_json(const std::vector<DoneMark>& marks) {
  return list(marks);
}
std::vector<DoneMark> done_marks_from_json(const json& j) {
  return list_from(j, done_mark_from);
}

json utterance_to_json(const Utterance& u) {
  json j = {{"speaker", u.speaker},
            {"role", std::string(role_name(u.role))},
            {"start", u.start},
            {"end", u.end}};
  if (u.timestamp_ms) j["timestamp_ms"] = *u.timestamp_ms;
  return j;
}

Utterance utterance_from_json(const json& j) {
  Utterance u;
  u.speaker = j.at("speaker").get<std::string>();
  u.role = parse_role(j.value("role", "unknown")).value_or(Role::Unknown);
  u.start = j.at("start").get<int64_t>();
  u.end = j.at("end").get<int64_t>();
  if (j.contains("timestamp_ms") && !j["timestamp_ms"].is_null())
    u.timestamp_ms = j["timestamp_ms"].get<int64_t>();
  return u;
}

namespace {

json action_to_json(const Action& action) {
  return std::visit(
      [](const auto& a) -> json {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, AddCoder>)
          return {{"type", "add_coder"}, {"coder", to_json(a.coder)}};
        else if constexpr (std::is_same_v<T, AddCodes>)
          return {{"type", "add_codes"}, {"codes", list(a.codes)}, {"positions", a.positions}};
        else if constexpr (std::is_same_v<T, RemoveCodes>)
          return {{"type", "remove_codes"}, {"codes", list(a.codes)}, {"positions", a.positions}};
        else if constexpr (std::is_same_v<T, AddSource>)
          return {{"type", "add_source"}, {"source", to_json(a.source)}};
        else if constexpr (std::is_same_v<T, RemoveSource>)
          return {{"type", "remove_source"}, {"source", to_json(a.source)}};
        else if constexpr (std::is_same_v<T, AddCodings>)
          return {
              {"type", "add_codings"}, {"codings", list(a.codings)}, {"positions", a.positions}};
        else if constexpr (std::is_same_v<T, RemoveCodings>)
          return {
              {"type", "remove_codings"}, {"codings", list(a.codings)}, {"positions", a.positions}};
        else if constexpr (std::is_same_v<T, SetCases>)
          return {{"type", "set_cases"}, {"cases", list(a.cases)}, {"previous", list(a.previous)}};
        else if constexpr (std::is_same_v<T, UpdateCodes>)
          return {{"type", "update_codes"},
                  {"codes", list(a.codes)},
                  {"previous", list(a.previous)},
                  {"order", a.order},
                  {"previous_order", a.previous_order}};
        else if constexpr (std::is_same_v<T, UpdateCodings>)
          return {{"type", "update_codings"},
                  {"codings", list(a.codings)},
                  {"previous", list(a.previous)}};
        else if constexpr (std::is_same_v<T, SetMemos>)
          return {{"type", "set_memos"},
                  {"memos", list(a.memos)},
                  {"previous", list(a.previous)},
                  {"order", a.order},
                  {"previous_order", a.previous_order}};
        else if constexpr (std::is_same_v<T, SetDone>)
          return {{"type", "set_done"}, {"marks", list(a.marks)}, {"done", a.done}};
        else if constexpr (std::is_same_v<T, SetPins>)
          return {{"type", "set_pins"}, {"pins", a.pins}, {"previous", a.previous}};
        else {
          static_assert(std::is_same_v<T, Batch>);
          json actions = json::array();
          for (const Action& inner : a.actions) actions.push_back(action_to_json(inner));
          return {{"type", "batch"}, {"actions", actions}};
        }
      },
      action);
}

using Strings = std::vector<std::string>;
using Positions = std::vector<int64_t>;

Action action_from_json(const json& j,
                        const std::function<std::string(const std::string&)>& load_text) {
  const std::string type = j.at("type").get<std::string>();
  if (type == "add_coder") return AddCoder{coder_from(j.at("coder"))};
  if (type == "add_codes")
    return AddCodes{list_from(j.at("codes"), code_from), j.value("positions", Positions{})};
  if (type == "remove_codes")
    return RemoveCodes{list_from(j.at("codes"), code_from), j.value("positions", Positions{})};
  if (type == "add_source") return AddSource{source_from(j.at("source"), load_text)};
  if (type == "remove_source") return RemoveSource{source_from(j.at("source"), load_text)};
  if (type == "add_codings")
    return AddCodings{list_from(j.at("codings"), coding_from), j.value("positions", Positions{})};
  if (type == "remove_codings")
    return RemoveCodings{list_from(j.at("codings"), coding_from),
                         j.value("positions", Positions{})};
  if (type == "set_cases")
    return SetCases{list_from(j.at("cases"), case_from), list_from(j.at("previous"), case_from)};
  if (type == "update_codes")
    return UpdateCodes{list_from(j.at("codes"), code_from), list_from(j.at("previous"), code_from),
                       j.value("order", Strings{}), j.value("previous_order", Strings{})};
  if (type == "update_codings")
    return UpdateCodings{list_from(j.at("codings"), coding_from),
                         list_from(j.at("previous"), coding_from)};
  if (type == "set_memos")
    return SetMemos{list_from(j.at("memos"), memo_from), list_from(j.at("previous"), memo_from),
                    j.value("order", Strings{}), j.value("previous_order", Strings{})};
  if (type == "set_done")
    return SetDone{list_from(j.at("marks"), done_mark_from), j.value("done", true)};
  if (type == "set_pins")
    return SetPins{j.at("pins").get<Strings>(), j.value("previous", Strings{})};
  if (type == "batch") {
    Batch batch;
    for (const json& inner : j.at("actions"))
      batch.actions.push_back(action_from_json(inner, load_text));
    return batch;
  }
  throw BadInput("unknown command type \"" + type + "\"");
}

}  // namespace

json command_to_json(const Command& command) {
  json j = action_to_json(command.action);
  j["label"] = command.label;
  return j;
}

Command command_from_json(const json& j,
                          const std::function<std::string(const std::string&)>& load_text) {
  try {
    Command command;
    command.label = j.value("label", "");
    command.action = action_from_json(j, load_text);
    return command;
  } catch (const json::exception& e) {
    throw BadInput(std::string("malformed command: ") + e.what());
  }
}

}  // namespace marginalia::storage
