// .marginalia/model.json: what the REFI schema has no place for, keyed by GUIDs, plus the undo
// history and the number of the last journal entry the snapshot includes. Keys are sorted
// (nlohmann's std::map objects), so the file is deterministic too.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "marginalia/error.h"
#include "storage/storage_io.h"

namespace marginalia::storage {

using nlohmann::json;

namespace {

constexpr int kFormatVersion = 1;

// The order read_qde gives codes: the tree, depth first, siblings in model order.
std::vector<std::string> code_tree_order(const std::vector<Code>& codes) {
  std::set<std::string> known;
  for (const Code& code : codes) known.insert(code.guid);
  std::map<std::string, std::vector<const Code*>> children;
  for (const Code& code : codes)
    children[known.count(code.parent) ? code.parent : std::string()].push_back(&code);
  std::vector<std::string> order;
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& parent) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    for (const Code* code : it->second)
      if (seen.insert(code->guid).second) {
        order.push_back(code->guid);
        visit(code->guid);
      }
  };
  visit(std::string());
  return order;
}

// The order read_qde gives codings: grouped by source, in source order.
std::vector<std::string> coding_source_order(const Project& project) {
  std::unordered_map<std::string_view, std::vector<const Coding*>> by_source;
  for (const Coding& coding : project.codings) by_source[coding.source].push_back(&coding);
  std::vector<std::string> order;
  for (const Source& source : project.sources)
    if (auto it = by_source.find(source.guid); it != by_source.end())
      for (const Coding* coding : it->second) order.push_back(coding->guid);
  return order;
}

template <typename T>
std::vector<std::string> guids(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const T& item : items) out.push_back(item.guid);
  return out;
}

// Puts the listed items first, in the listed order, then the others as they were.
// Each item is ranked once and moved once: a project has a hundred thousand codings.
template <typename T>
void reorder(std::vector<T>& items, const std::vector<std::string>& order) {
  std::unordered_map<std::string_view, size_t> rank;
  rank.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
  std::vector<std::pair<size_t, size_t>> ranked;  // (rank, position now)
  ranked.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    auto it = rank.find(items[i].guid);
    ranked.emplace_back(it == rank.end() ? order.size() : it->second, i);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (const auto& [r, i] : ranked) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

json commands(const std::vector<Command>& stack) {
  json out = json::array();
  for (const Command& command : stack) out.push_back(command_to_json(command));
  return out;
}

}  // namespace

std::string history_json(const std::vector<Command>& stack) {
  return commands(stack).dump();
}

std::vector<Command> history_from_json(
    std::string_view text, const std::function<std::string(const std::string& guid)>& load_text) {
  std::vector<Command> stack;
  for (const json& c : json::parse(text)) stack.push_back(command_from_json(c, load_text));
  return stack;
}

std::string write_model_json(const Project& project, const History& history) {
  json sources = json::object();
  for (const Source& source : project.sources) {
    json utterances = json::array();
    for (const Utterance& u : source.utterances) utterances.push_back(utterance_to_json(u));
    sources[source.guid] = {{"utterances", utterances},
                            {"attributes", source.attributes},
                            {"origin_file", source.origin_file},
                            {"origin_format", source.origin_format},
                            {"encoding", source.encoding}};
  }
  json cases = json::object();
  for (const Case& c : project.cases) cases[c.guid] = {{"attributes", c.attributes}};

  json model = {{"format", "marginalia-model"},
                {"version", kFormatVersion},
                {"project", {{"guid", project.guid}, {"language", project.language}}},
                {"settings", project.settings},
                {"sources", sources},
                {"cases", cases},
                {"undo", commands(history.undo)},
                {"redo", commands(history.redo)},
                {"journal_sequence", history.sequence}};
  // project.qde nests codes and groups codings by source; keep the model's own order when that
  // reading would change it.
  if (!project.done.empty()) model["done"] = done_marks_to_json(project.done);
  if (code_tree_order(project.codes) != guids(project.codes))
    model["code_order"] = guids(project.codes);
  if (coding_source_order(project) != guids(project.codings))
    model["coding_order"] = guids(project.codings);
  try {
    return model.dump(2) + "\n";
  } catch (const json::exception& e) {
    throw BadInput(std::string("the project holds text that is not valid UTF-8: ") + e.what());
  }
}

json parse_model_json(std::string_view bytes, const std::filesystem::path& file) {
  try {
    return json::parse(bytes);
  } catch (const json::exception& e) {
    throw BadInput(file.string() + ": " + e.what());
  }
}

History read_model_json(std::string_view bytes, const std::filesystem::path& file, Project& project,
                        std::vector<std::string>& sources_without_metadata,
                        const std::function<std::string(const std::string& guid)>& load_text) {
  return apply_model_json(parse_model_json(bytes, file), file, project, sources_without_metadata,
                          load_text);
}

History apply_model_json(const json& model, const std::filesystem::path& file, Project& project,
                         std::vector<std::string>& sources_without_metadata,
                         const std::function<std::string(const std::string& guid)>& load_text) {
  History history;
  try {
    if (model.value("format", "") != "marginalia-model")
      throw BadInput(file.string() + ": not a Marginalia model file");
    if (model.value("version", 0) > kFormatVersion)
      throw BadInput(file.string() + ": written by a newer Marginalia (format version " +
                     std::to_string(model.value("version", 0)) + ")");
    const json& p = model.at("project");
    project.guid = p.at("guid").get<std::string>();
    project.language = p.value("language", "en");
    project.settings = model.value("settings", std::map<std::string, std::string>{});
    const json& sources = model.at("sources");
    for (Source& source : project.sources) {
      auto it = sources.find(source.guid);
      if (it == sources.end()) {
        sources_without_metadata.push_back(source.guid);
        continue;
      }
      for (const json& u : it->at("utterances"))
        source.utterances.push_back(utterance_from_json(u));
      source.attributes = it->value("attributes", std::map<std::string, std::string>{});
      source.origin_file = it->value("origin_file", "");
      source.origin_format = it->value("origin_format", "");
      source.encoding = it->value("encoding", "");
    }
    const json& cases = model.at("cases");
    for (Case& c : project.cases) {
      auto it = cases.find(c.guid);
      if (it != cases.end())
        c.attributes = it->value("attributes", std::map<std::string, std::string>{});
    }
    if (model.contains("done")) project.done = done_marks_from_json(model["done"]);
    if (model.contains("code_order"))
      reorder(project.codes, model["code_order"].get<std::vector<std::string>>());
    if (model.contains("coding_order"))
      reorder(project.codings, model["coding_order"].get<std::vector<std::string>>());
    for (const json& c : model.at("undo")) history.undo.push_back(command_from_json(c, load_text));
    for (const json& c : model.at("redo")) history.redo.push_back(command_from_json(c, load_text));
    history.sequence = model.at("journal_sequence").get<int64_t>();
  } catch (const json::exception& e) {
    throw BadInput(file.string() + ": " + e.what());
  } catch (const BadInput& e) {
    const std::string what = e.what();
    if (what.rfind(file.string(), 0) == 0) throw;
    throw BadInput(file.string() + ": " + what);
  }
  return history;
}

}  // namespace marginalia::storage
