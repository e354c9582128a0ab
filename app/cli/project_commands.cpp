// The project's own commands: init, import, info, codebook, attributes, code, uncode, undo, redo,
// codings, code-quotes.
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "cli_output.h"
#include "marginalia/codebook.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/participants.h"
#include "marginalia/project_store.h"
#include "marginalia/qdpx.h"
#include "marginalia/quote_codings.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

namespace fs = std::filesystem;

namespace marginalia::cli {

std::string default_coder(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("MARGINALIA_CODER"); env && *env) return env;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return "coder";
}

void add_format(CLI::App* cmd, std::string& format, std::vector<std::string> allowed) {
  cmd->add_option("--format", format, "Output format")->check(CLI::IsMember(allowed));
}

// The codebook as a table (report_commands.cpp).
int run_codebook_table(const std::string& project, const std::string& format,
                       const std::string& coder);

namespace {

RoleMap role_map(const std::vector<std::string>& assignments) {
  RoleMap roles = RoleMap::defaults();
  for (const auto& a : assignments) {
    const auto eq = a.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--role takes SPEAKER=ROLE, got \"" + a + "\"");
    const auto role = parse_role(a.substr(eq + 1));
    if (!role)
      throw UsageError("unknown role \"" + a.substr(eq + 1) +
                       "\" (use interviewer, therapist, client, participant or other)");
    roles.set(a.substr(0, eq), *role);
  }
  return roles;
}

struct Options {
  std::string project;
  std::string name;
  std::string language = "en";
  std::vector<std::string> files;
  std::vector<std::string> roles;
  std::string encoding;
  std::string format = "text";
  std::string action;
  std::string file;
  std::string source, code, coder, coding;
  int64_t start = -1, end = -1;
  bool strict = false;
};

int cmd_init(const Options& o) {
  ProjectStore::create(o.project, o.name.empty() ? fs::path(o.project).filename().string() : o.name,
                       o.language);
  std::cout << "Created project " << o.project << "\n";
  return 0;
}

int cmd_import(const Options& o) {
  const RoleMap roles = role_map(o.roles);
  auto store = open_for_writing(o.project);
  int failures = 0;
  for (const auto& file : o.files) {
    try {
      if (is_refi_project(file)) {
        QdpxOptions options;
        options.strict = o.strict;
        const QdpxImport refi = read_qdpx(file, options);
        store->execute(merge_command(store->project(), refi.project,
                                     "Import " + fs::path(file).filename().string()));
        std::cout << fs::path(file).filename().string() << ": " << refi.report.summary();
        if (!refi.project.sets.empty())
          std::cout << "  its " << refi.project.sets.size()
                    << " sets were not added (open it as a new project to keep them)\n";
        continue;
      }
      auto imported = import_transcript(
          file, roles, o.encoding.empty() ? std::nullopt : std::optional<std::string>(o.encoding));
      const std::string label = "Import " + fs::path(file).filename().string();
      store->execute(Command{AddSource{std::move(imported.source)}, label});
      std::cout << imported.report;
      if (!imported.report.empty() && imported.report.back() != '\n') std::cout << '\n';
    } catch (const BadInput& e) {
      std::cerr << "marginalia-cli: error: " << e.what() << "\n";
      ++failures;
    }
  }
  store->snapshot();
  if (failures)
    std::cerr << "marginalia-cli: " << failures << " of " << o.files.size()
              << " files not imported\n";
  return failures ? 1 : 0;
}

int cmd_info(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  print_info(std::cout, store->project(), o.format);
  return 0;
}

int cmd_codebook(const Options& o) {
  if (o.action == "table") return run_codebook_table(o.project, o.format, o.coder);
  if (o.format != "text" && o.format != "json")
    throw UsageError("--format " + o.format + " is for codebook table only");
  if (o.action == "list") {
    auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
    print_codebook(std::cout, store->project(), o.format);
    return 0;
  }
  if (o.file.empty()) throw UsageError("codebook " + o.action + " needs a FILE.qdc");
  if (o.action == "export") {
    auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
    save_codebook(Codebook{store->project().codes, "Marginalia"}, o.file);
    std::cout << "Wrote " << store->project().codes.size() << " codes to " << o.file << "\n";
    return 0;
  }
  if (o.action != "load") throw UsageError("codebook takes load, export or list");
  Codebook book = load_codebook(o.file);
  auto store = open_for_writing(o.project);
  const size_t before = store->project().codes.size();
  store->execute(
      Command{AddCodes{book.codes}, "Load codebook " + fs::path(o.file).filename().string()});
  store->snapshot();
  const size_t added = store->project().codes.size() - before;
  std::cout << "Loaded " << added << " codes from " << o.file;
  if (added < book.codes.size())
    std::cout << " (" << book.codes.size() - added << " already there)";
  std::cout << "\n";
  return 0;
}

int cmd_attributes(const Options& o) {
  if (o.action == "list") {
    auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
    print_cases(std::cout, store->project(), o.format);
    return 0;
  }
  if (o.file.empty()) throw UsageError("attributes load needs a FILE.csv");
  auto store = open_for_writing(o.project);
  std::vector<Case> cases = read_participants(o.file, store->project());
  const size_t count = cases.size();
  store->execute(Command{SetCases{std::move(cases), {}},
                         "Load participants " + fs::path(o.file).filename().string()});
  store->snapshot();
  std::cout << "Loaded " << count << " participants from " << o.file << "\n";
  return 0;
}

int cmd_code(const Options& o) {
  auto store = open_for_writing(o.project);
  Coding coding;
  coding.source = resolve_source(store->project(), o.source);
  coding.code = resolve_code(store->project(), o.code);
  coding.start = o.start;
  coding.end = o.end;
  coding.coder = store->coder_guid(default_coder(o.coder));
  const std::string code_name = store->project().code(coding.code)->name;
  const std::string guid = new_guid();
  coding.guid = guid;
  const bool added = store->execute(Command{AddCodings{{coding}}, "Code \"" + code_name + "\""});
  store->snapshot();
  if (!added) {
    std::cout << "Already coded: nothing changed\n";
    return 0;
  }
  std::cout << guid << "\n";
  return 0;
}

int cmd_uncode(const Options& o) {
  auto store = open_for_writing(o.project);
  const std::string guid = resolve_coding(store->project(), o.coding);
  const Coding coding = *store->project().coding(guid);
  store->execute(Command{RemoveCodings{{coding}},
                         "Remove coding \"" + store->project().code(coding.code)->name + "\""});
  store->snapshot();
  std::cout << "Removed coding " << guid << "\n";
  return 0;
}

int cmd_undo_redo(const Options& o, bool undo) {
  auto store = open_for_writing(o.project);
  const auto label = undo ? store->undo_label() : store->redo_label();
  if (!(undo ? store->undo() : store->redo())) {
    std::cout << (undo ? "Nothing to undo\n" : "Nothing to redo\n");
    return 0;
  }
  store->snapshot();
  std::cout << (undo ? "Undid " : "Redid ") << label.value_or("") << "\n";
  return 0;
}

int cmd_codings(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  CodingFilter filter;
  if (!o.code.empty()) filter.code = resolve_code(p, o.code);
  if (!o.source.empty()) filter.source = resolve_source(p, o.source);
  if (!o.coder.empty()) {
    const Coder* c = p.coder_named(o.coder);
    if (!c) throw BadInput("no coder named \"" + o.coder + "\"");
    filter.coder = c->guid;
  }
  print_codings(std::cout, p, filter, o.format);
  return 0;
}

int cmd_code_quotes(const Options& o) {
  auto store = open_for_writing(o.project);
  const QuoteCodingsResult result = code_from_quotes(*store, o.file);
  store->snapshot();
  std::cout << "Coded " << result.added << " passages from " << o.file << " (" << result.already
            << " already coded, " << result.coders << " coders)\n";
  return 0;
}

}  // namespace

void add_project_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* init = app.add_subcommand("init", "Create an empty project folder");
  init->add_option("DIR", o.project, "New project folder")->required();
  init->add_option("--name", o.name, "Project name (default: the folder's name)");
  init->add_option("--language", o.language, "Language of the transcripts, ISO 639-1 (default en)");
  init->callback([&] { run = [&] { return cmd_init(o); }; });

  auto* import_cmd =
      app.add_subcommand("import", "Import interview transcripts and REFI-QDA projects");
  import_cmd->add_option("PROJECT", o.project, "Project folder")->required();
  import_cmd
      ->add_option("FILE", o.files,
                   "Transcripts (.txt, .docx, .odt, .vtt, .srt, .md, Zoom and Otter text) or "
                   "REFI-QDA projects (.qdpx)")
      ->required();
  import_cmd->add_flag("--strict", o.strict,
                       "A .qdpx whose text sources are missing from the archive is an error");
  import_cmd->add_option("--role", o.roles, "Role of a speaker label, e.g. --role Lena=client");
  import_cmd->add_option("--encoding", o.encoding,
                         "Force the encoding (UTF-8, UTF-16LE, windows-1252, ISO-8859-1, ...)");
  import_cmd->callback([&] { run = [&] { return cmd_import(o); }; });

  auto* info = app.add_subcommand("info", "What a project holds");
  info->add_option("PROJECT", o.project, "Project folder")->required();
  add_format(info, o.format, {"text", "json"});
  info->callback([&] { run = [&] { return cmd_info(o); }; });

  auto* codebook = app.add_subcommand("codebook", "Load, export or list the codebook");
  codebook->add_option("PROJECT", o.project, "Project folder")->required();
  codebook->add_option("ACTION", o.action, "load FILE.qdc | export FILE.qdc | list | table")
      ->required()
      ->check(CLI::IsMember({"load", "export", "list", "table"}));
  codebook->add_option("FILE", o.file, "REFI codebook (.qdc)");
  codebook->add_option("--coder", o.coder, "table: count only this coder's codings");
  add_format(codebook, o.format, {"text", "json", "md", "latex", "html"});
  codebook->callback([&] { run = [&] { return cmd_codebook(o); }; });

  auto* attributes =
      app.add_subcommand("attributes", "Load or list participants (cases) and their attributes");
  attributes->add_option("PROJECT", o.project, "Project folder")->required();
  attributes->add_option("ACTION", o.action, "load FILE.csv | list")
      ->required()
      ->check(CLI::IsMember({"load", "list"}));
  attributes->add_option("FILE", o.file,
                         "CSV: participant id first, a 'transcripts' column (';'-separated), "
                         "then any attributes");
  add_format(attributes, o.format, {"text", "json"});
  attributes->callback([&] { run = [&] { return cmd_attributes(o); }; });

  auto* code = app.add_subcommand("code", "Code a span of a source");
  code->add_option("PROJECT", o.project, "Project folder")->required();
  code->add_option("--source", o.source, "Source: GUID or name")->required();
  code->add_option("--start", o.start, "Start, in characters (code points) from 0")->required();
  code->add_option("--end", o.end, "End (exclusive), in characters")->required();
  code->add_option("--code", o.code, "Code: GUID, name or Parent/Child path")->required();
  code->add_option("--coder", o.coder, "Coder name (default $MARGINALIA_CODER, else login)");
  code->callback([&] { run = [&] { return cmd_code(o); }; });

  auto* uncode = app.add_subcommand("uncode", "Remove a coding");
  uncode->add_option("PROJECT", o.project, "Project folder")->required();
  uncode->add_option("--coding", o.coding, "Coding GUID (or a unique prefix of 8+)")->required();
  uncode->callback([&] { run = [&] { return cmd_uncode(o); }; });

  auto* undo = app.add_subcommand("undo", "Undo the last edit");
  undo->add_option("PROJECT", o.project, "Project folder")->required();
  undo->callback([&] { run = [&] { return cmd_undo_redo(o, true); }; });
  auto* redo = app.add_subcommand("redo", "Redo the last undone edit");
  redo->add_option("PROJECT", o.project, "Project folder")->required();
  redo->callback([&] { run = [&] { return cmd_undo_redo(o, false); }; });

  auto* codings = app.add_subcommand("codings", "List codings with their text");
  codings->add_option("PROJECT", o.project, "Project folder")->required();
  codings->add_option("--code", o.code, "Only this code");
  codings->add_option("--source", o.source, "Only this source");
  codings->add_option("--coder", o.coder, "Only this coder");
  add_format(codings, o.format, {"text", "csv", "json"});
  codings->callback([&] { run = [&] { return cmd_codings(o); }; });

  auto* quotes = app.add_subcommand(
      "code-quotes", "Apply codings listed by quoted text (TSV: coder, source, code, quote)");
  quotes->add_option("PROJECT", o.project, "Project folder")->required();
  quotes->add_option("FILE", o.file, "Tab-separated file with a header line")->required();
  quotes->callback([&] { run = [&] { return cmd_code_quotes(o); }; });
}

}  // namespace marginalia::cli
