// How the CLI is put together: each area registers its subcommands; a subcommand's callback sets
// `run`, which main() calls after parsing. Usage errors exit 2, core errors (BadInput,
// EnvironmentError) exit 1.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "marginalia/project_store.h"
#include "marginalia/search.h"

namespace marginalia::cli {

using Runner = std::function<int()>;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --coder, else $MARGINALIA_CODER, else the login name.
std::string default_coder(const std::string& given);

void add_format(CLI::App* cmd, std::string& format, std::vector<std::string> allowed);

// A project open for writing, with the derived data (the search index) following every edit.
struct Session {
  std::unique_ptr<ProjectStore> store;
  std::unique_ptr<SearchIndex> index;  // follows every edit of `store`; searchable too
  ProjectStore* operator->() const { return store.get(); }
  ProjectStore& operator*() const { return *store; }
};
Session open_for_writing(const std::string& folder);  // session.cpp

void add_project_commands(CLI::App& app, Runner& run);      // project_commands.cpp
void add_search_commands(CLI::App& app, Runner& run);       // search_commands.cpp
void add_editing_commands(CLI::App& app, Runner& run);      // editing_commands.cpp
void add_analysis_commands(CLI::App& app, Runner& run);     // analysis_commands.cpp
void add_concordance_commands(CLI::App& app, Runner& run);  // concordance_commands.cpp
void add_report_commands(CLI::App& app, Runner& run);       // report_commands.cpp
void add_retrieval_commands(CLI::App& app, Runner& run);    // retrieval_commands.cpp
void add_agreement_commands(CLI::App& app, Runner& run);    // agreement_commands.cpp
void add_check_commands(CLI::App& app, Runner& run);        // check_commands.cpp
void add_interop_commands(CLI::App& app, Runner& run);      // interop_commands.cpp

}  // namespace marginalia::cli
