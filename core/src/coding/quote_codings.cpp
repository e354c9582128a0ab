#include "marginalia/quote_codings.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t from = 0;
  for (size_t tab; (tab = line.find('\t', from)) != std::string::npos; from = tab + 1)
    fields.push_back(line.substr(from, tab - from));
  fields.push_back(line.substr(from));
  return fields;
}

struct Row {
  std::string coder;
  Coding coding;
};

}  // namespace

QuoteCodingsResult code_from_quotes(ProjectStore& store, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput("cannot read " + file.string());
  const std::string name = file.filename().string();
  const Project& project = store.project();

  std::vector<Row> rows;
  std::vector<std::string> problems;
  std::map<std::string, OffsetMap> maps;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    if (number == 1) {
      if (f.size() != 4 || f[0] != "coder" || f[1] != "source" || f[2] != "code" || f[3] != "quote")
        throw BadInput(name + ":1: the header must be coder, source, code, quote (tab-separated)");
      continue;
    }
    const std::string where = name + ":" + std::to_string(number) + ": ";
    if (f.size() != 4 || f[0].empty() || f[3].empty()) {
      problems.push_back(where + "needs 4 tab-separated fields with a coder and a quote");
      continue;
    }
    try {
      Row row{f[0], {}};
      row.coding.source = resolve_source(project, f[1]);
      row.coding.code = resolve_code(project, f[2]);
      const Source& source = *project.source(row.coding.source);
      const std::string quote = to_nfc(f[3]);
      const size_t at = source.text.find(quote);
      if (at == std::string::npos) {
        problems.push_back(where + "quote not found in " + source.name + ": \"" + f[3] + "\"");
        continue;
      }
      if (source.text.find(quote, at + 1) != std::string::npos) {
        problems.push_back(where + "quote occurs more than once in " + source.name +
                           " (quote more words): \"" + f[3] + "\"");
        continue;
      }
      auto [it, fresh] = maps.try_emplace(source.guid);
      if (fresh) it->second = OffsetMap(source.text);
      row.coding.start = it->second.code_point_of_byte(static_cast<int64_t>(at));
      row.coding.end = it->second.code_point_of_byte(static_cast<int64_t>(at + quote.size()));
      rows.push_back(std::move(row));
    } catch (const BadInput& e) {
      problems.push_back(where + e.what());
    }
  }
  if (!problems.empty()) {
    std::string message = problems.front();
    if (problems.size() > 1)
      message += " (and " + std::to_string(problems.size() - 1) + " more problems)";
    throw BadInput(message);
  }

  QuoteCodingsResult result;
  std::set<std::string> coder_names;
  AddCodings add;
  for (auto& row : rows) {
    coder_names.insert(row.coder);
    row.coding.coder = store.coder_guid(row.coder);
    add.codings.push_back(std::move(row.coding));
  }
  result.coders = coder_names.size();
  const size_t before = store.project().codings.size();
  store.execute(Command{std::move(add), "Code from quotes " + name});
  result.added = store.project().codings.size() - before;
  result.already = rows.size() - result.added;
  return result;
}

}  // namespace marginalia
