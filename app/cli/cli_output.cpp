#include "cli_output.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "marginalia/codebook_counts.h"
#include "marginalia/pins.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

struct SpeakerCount {
  std::string speaker;
  Role role;
  int turns = 0;
};

std::vector<SpeakerCount> speakers_of(const Source& source) {
  std::vector<SpeakerCount> out;
  for (const auto& u : source.utterances) {
    auto it = std::find_if(out.begin(), out.end(), [&](const SpeakerCount& s) {
      return s.speaker == u.speaker && s.role == u.role;
    });
    if (it == out.end()) it = out.insert(out.end(), SpeakerCount{u.speaker, u.role, 0});
    ++it->turns;
  }
  return out;
}

size_t utterance_count(const Project& p) {
  size_t n = 0;
  for (const auto& s : p.sources) n += s.utterances.size();
  return n;
}

}  // namespace

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void print_info(std::ostream& out, const Project& p, const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json j;
    j["name"] = p.name;
    j["language"] = p.language;
    j["sources"] = p.sources.size();
    j["utterances"] = utterance_count(p);
    j["codes"] = p.codes.size();
    j["codings"] = p.codings.size();
    j["coders"] = nlohmann::json::array();
    for (const auto& c : p.coders) j["coders"].push_back(c.name);
    j["source_list"] = nlohmann::json::array();
    for (const auto& s : p.sources) {
      nlohmann::ordered_json js{{"guid", s.guid},
                                {"name", s.name},
                                {"encoding", s.encoding},
                                {"format", s.origin_format},
                                {"turns", s.utterances.size()}};
      js["speakers"] = nlohmann::json::array();
      for (const auto& sp : speakers_of(s))
        js["speakers"].push_back(
            {{"speaker", sp.speaker}, {"role", role_name(sp.role)}, {"turns", sp.turns}});
      j["source_list"].push_back(js);
    }
    out << j.dump(2) << "\n";
    return;
  }
  out << "Project:    " << p.name << "\n"
      << "Language:   " << p.language << "\n"
      << "Sources:    " << p.sources.size() << "\n"
      << "Utterances: " << utterance_count(p) << "\n"
      << "Codes:      " << p.codes.size() << "\n"
      << "Codings:    " << p.codings.size() << "\n"
      << "Coders:     " << p.coders.size();
  for (size_t i = 0; i < p.coders.size(); ++i) out << (i ? ", " : " (") << p.coders[i].name;
  out << (p.coders.empty() ? "" : ")") << "\n";
  for (const auto& s : p.sources) {
    out << "\n" << s.name << "  (" << s.utterances.size() << " turns, " << s.encoding << ")\n";
    for (const auto& sp : speakers_of(s))
      out << "  " << (sp.speaker.empty() ? "(no label)" : sp.speaker) << "  " << role_name(sp.role)
          << "  " << sp.turns << " turns\n";
  }
}

void print_codebook(std::ostream& out, const Project& p, const std::string& format) {
  const CodebookCounts counts = count_codings(p);
  std::map<std::string, int> key_of_code;  // the coding keys 1-9 of the workbench
  for (int key = 1; key <= static_cast<int>(kPinKeys); ++key)
    if (auto code = pinned_code(p, key)) key_of_code[*code] = key;
  if (format == "json") {
    nlohmann::ordered_json j = nlohmann::json::array();
    for (const auto& c : p.codes)
      j.push_back({{"guid", c.guid},
                   {"path", p.code_path(c)},
                   {"color", c.color},
                   {"codable", c.codable},
                   {"codings", CodebookCounts::get(counts.by_code, c.guid)},
                   {"codings_with_subcodes", CodebookCounts::get(counts.by_subtree, c.guid)},
                   {"key", key_of_code.contains(c.guid) ? nlohmann::json(key_of_code[c.guid])
                                                        : nlohmann::json(nullptr)}});
    out << j.dump(2) << "\n";
    return;
  }
  // Depth-first, children under their parent in codebook order; folders show their subtree's
  // count in brackets.
  struct Row {
    std::string name, color, count, key;
  };
  std::vector<Row> rows;
  size_t width = 4;
  std::function<void(const std::string&, int)> walk = [&](const std::string& parent, int depth) {
    for (const auto& c : p.codes) {
      if (c.parent != parent) continue;
      const std::string count = std::to_string(shown_count(c, counts));
      rows.push_back({std::string(depth * 2, ' ') + c.name, c.color.empty() ? "-" : c.color,
                      c.codable ? count : "(" + count + ")",
                      key_of_code.contains(c.guid) ? std::to_string(key_of_code[c.guid]) : ""});
      width = std::max<size_t>(width, count_code_points(rows.back().name));
      walk(c.guid, depth + 1);
    }
  };
  walk("", 0);
  out << "Code" << std::string(width - 4 + 2, ' ') << "Colour   Codings  Key\n";
  for (const auto& r : rows) {
    out << r.name << std::string(width - count_code_points(r.name) + 2, ' ') << r.color
        << std::string(9 - std::min<size_t>(r.color.size(), 8), ' ') << r.count;
    if (!r.key.empty()) out << std::string(9 - std::min<size_t>(r.count.size(), 8), ' ') << r.key;
    out << "\n";
  }
}

void print_cases(std::ostream& out, const Project& p, const std::string& format) {
  nlohmann::ordered_json j = nlohmann::json::array();
  for (const auto& c : p.cases) {
    std::vector<std::string> sources;
    for (const auto& guid : c.sources)
      sources.push_back(p.source(guid) ? p.source(guid)->name : guid);
    if (format == "json") {
      j.push_back(
          {{"guid", c.guid}, {"name", c.name}, {"attributes", c.attributes}, {"sources", sources}});
      continue;
    }
    out << c.name;
    for (const auto& [name, value] : c.attributes) out << "  " << name << "=" << value;
    for (const auto& s : sources) out << "  [" << s << "]";
    out << "\n";
  }
  if (format == "json") out << j.dump(2) << "\n";
}

void print_codings(std::ostream& out, const Project& p, const CodingFilter& f,
                   const std::string& format) {
  nlohmann::ordered_json j = nlohmann::json::array();
  if (format == "csv") out << "guid,source,start,end,code,coder,text\r\n";
  for (const auto& c : p.codings) {
    if ((f.code && c.code != *f.code) || (f.source && c.source != *f.source) ||
        (f.coder && c.coder != *f.coder))
      continue;
    const Source* s = p.source(c.source);
    const Code* code = p.code(c.code);
    const Coder* coder = p.coder(c.coder);
    const std::string source_name = s ? s->name : c.source;
    const std::string code_path = code ? p.code_path(*code) : c.code;
    const std::string coder_name = coder ? coder->name : c.coder;
    const std::string text = s ? substring_cp(s->text, c.start, c.end) : "";
    if (format == "csv") {
      out << c.guid << "," << csv_field(source_name) << "," << c.start << "," << c.end << ","
          << csv_field(code_path) << "," << csv_field(coder_name) << "," << csv_field(text)
          << "\r\n";
    } else if (format == "json") {
      j.push_back({{"guid", c.guid},
                   {"source", source_name},
                   {"start", c.start},
                   {"end", c.end},
                   {"code", code_path},
                   {"coder", coder_name},
                   {"text", text}});
    } else {
      std::string one_line = text;
      std::replace(one_line.begin(), one_line.end(), '\n', ' ');
      out << c.guid << "  " << source_name << "  " << c.start << "-" << c.end << "  " << code_path
          << "  " << coder_name << "  \"" << one_line << "\"\n";
    }
  }
  if (format == "json") out << j.dump(2) << "\n";
}

}  // namespace marginalia
