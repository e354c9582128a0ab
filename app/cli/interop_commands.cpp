// REFI-QDA projects in and out: open a .qdpx as a new project, export a project as a .qdpx.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli_commands.h"
#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/qdpx.h"

namespace fs = std::filesystem;

namespace marginalia::cli {

namespace {

struct Options {
  std::string file;
  std::string folder;
  std::string project;
  bool strict = false;
};

int cmd_open(const Options& o) {
  std::error_code ec;
  if (fs::exists(o.folder, ec) && (!fs::is_directory(o.folder, ec) || !fs::is_empty(o.folder, ec)))
    throw BadInput("cannot create a project in " + o.folder +
                   ": it exists and is not an empty folder");
  QdpxOptions options;
  options.strict = o.strict;
  QdpxImport imported = read_qdpx(o.file, options);
  const bool existed = fs::exists(o.folder, ec);
  try {
    ProjectStore::create_from(o.folder, imported.project);
  } catch (...) {
    // Nothing half-made stays behind; a folder that was there (empty) stays.
    if (existed) {
      for (const auto& entry : fs::directory_iterator(o.folder, ec)) fs::remove_all(entry, ec);
    } else {
      fs::remove_all(o.folder, ec);
    }
    throw;
  }
  std::cout << "Created project " << o.folder << " from " << o.file << ": "
            << imported.report.summary();
  if (!imported.report.missing_texts.empty())
    std::cerr << "marginalia-cli: warning: " << imported.report.missing_texts.size()
              << " text sources have no text in " << o.file
              << " and were left out (--strict makes this an error)\n";
  return 0;
}

int cmd_export(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& project = store->project();
  write_qdpx(project, o.file);
  std::cout << "Wrote " << o.file << ": " << project.sources.size() << " sources, "
            << project.codes.size() << " codes, " << project.codings.size() << " codings, "
            << project.coders.size() << " users, " << project.memos.size() << " notes\n";
  return 0;
}

}  // namespace

void add_interop_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* open = app.add_subcommand(
      "open", "Create a project from a REFI-QDA project (.qdpx or .qde) of another tool");
  open->add_option("FILE", o.file, "The .qdpx (or .qde)")->required();
  open->add_option("DIR", o.folder, "New project folder (must not exist or be empty)")->required();
  open->add_flag("--strict", o.strict, "Fail when text sources are missing from the archive");
  open->callback([&] { run = [&] { return cmd_open(o); }; });

  auto* exp = app.add_subcommand("export", "Write the project as a REFI-QDA .qdpx");
  exp->add_option("PROJECT", o.project, "Project folder")->required();
  exp->add_option("FILE", o.file, "The .qdpx to write")->required();
  exp->callback([&] { run = [&] { return cmd_export(o); }; });
}

}  // namespace marginalia::cli
