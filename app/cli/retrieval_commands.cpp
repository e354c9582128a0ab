// retrieve: the coded passages of a code or a combination of codes (A and B overlapping, A but not
// B), optionally only in one role's turns, one coder's codings or one source.
#include <filesystem>
#include <iostream>
#include <string>

#include "cli_commands.h"
#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/retrieval.h"
#include "marginalia/tables.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  std::string code, with, without;
  bool subcodes = false;
  std::string role, coder, source;
  std::string format = "text";
};

int cmd_retrieve(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  if (!o.with.empty() && !o.without.empty()) throw UsageError("give --and or --not, not both");
  RetrievalSpec spec;
  spec.code = resolve_code(p, o.code);
  if (!o.with.empty()) {
    spec.combination = Combination::Overlapping;
    spec.other = resolve_code(p, o.with);
  } else if (!o.without.empty()) {
    spec.combination = Combination::NotOverlapping;
    spec.other = resolve_code(p, o.without);
  }
  spec.subcodes = o.subcodes;
  if (!o.role.empty()) {
    spec.role = parse_role(o.role);
    if (!spec.role)
      throw UsageError("unknown role \"" + o.role +
                       "\" (use interviewer, therapist, client, participant or other)");
  }
  if (!o.coder.empty()) {
    const Coder* coder = p.coder_named(o.coder);
    if (!coder) throw BadInput("no coder named \"" + o.coder + "\" in " + o.project);
    spec.coder = coder->guid;
  }
  if (!o.source.empty()) spec.source = resolve_source(p, o.source);

  const auto passages = retrieve(p, spec);
  if (o.format == "page") {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(o.project, ec);
    std::cout << render_retrieval_html(p, spec, passages,
                                       ec ? o.project : absolute.lexically_normal().string());
  } else if (o.format == "quotes") {
    std::cout << retrieval_quotes(passages) << "\n";
  } else {
    std::cout << render_table(retrieval_table(p, spec, passages), o.format);
  }
  std::cerr << passages.size() << (passages.size() == 1 ? " passage: " : " passages: ")
            << describe_retrieval(p, spec) << "\n";
  return 0;
}

}  // namespace

void add_retrieval_commands(CLI::App& app, Runner& run) {
  static Options o;
  auto* cmd = app.add_subcommand(
      "retrieve",
      "Coded passages of a code, or of A AND B (overlapping text) or A NOT B (A's passages "
      "that B does not touch), with speaker, source and context");
  cmd->add_option("PROJECT", o.project, "Project folder")->required();
  cmd->add_option("--code", o.code, "Code A: GUID, name or Parent/Child path")->required();
  cmd->add_option("--and", o.with, "Only the text also coded with this code");
  cmd->add_option("--not", o.without, "Only A's passages that this code does not touch");
  cmd->add_flag("--subcodes", o.subcodes, "Codes include the codes below them");
  cmd->add_option("--role", o.role, "Only text in turns of this role (client, therapist, ...)");
  cmd->add_option("--coder", o.coder, "Only this coder's codings (default: all coders)");
  cmd->add_option("--source", o.source, "Only this source");
  add_format(cmd, o.format, {"text", "csv", "md", "latex", "html", "json", "page", "quotes"});
  cmd->get_option("--format")
      ->description(
          "text (default), csv, md, latex, html (a table), json, page (an HTML page of quotes "
          "with links back) or quotes (plain text, as copied)");
  cmd->callback([&] { run = [&] { return cmd_retrieve(o); }; });
}

}  // namespace marginalia::cli
