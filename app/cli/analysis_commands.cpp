// The analysis commands: freq, matrix, cooccur. Each reads the project (no lock) and prints one
// table in the chosen format; the table's notes state the units.
#include <iostream>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "marginalia/frequencies.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/tables.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  std::string by;
  std::vector<std::string> codes;
  std::string format = "text";
  std::string layout;  // "" : wide for reading formats, long for csv and json
  std::string within = "passage";
  bool across_coders = false;
};

const std::vector<std::string> kFormats = {"text", "csv", "md", "latex", "html", "json"};

std::vector<std::string> code_guids(const Project& project, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& name : names)
    if (!name.empty()) out.push_back(resolve_code(project, name));
  return out;
}

TableLayout layout_of(const Options& o) {
  if (o.layout == "wide") return TableLayout::Wide;
  if (o.layout == "long") return TableLayout::Long;
  return o.format == "csv" || o.format == "json" ? TableLayout::Long : TableLayout::Wide;
}

int print(const Table& table, const std::string& format) {
  std::cout << render_table(table, format);
  return 0;
}

int cmd_freq(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  const FrequencyReport report = code_frequencies(p, {o.by, code_guids(p, o.codes)});
  return print(frequency_table(report), o.format);
}

int cmd_matrix(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  return print(code_source_table(code_source_matrix(p, code_guids(p, o.codes)), layout_of(o)),
               o.format);
}

int cmd_cooccur(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  CooccurrenceOptions options;
  options.unit = o.within == "utterance" ? CooccurrenceUnit::Utterance : CooccurrenceUnit::Passage;
  options.across_coders = o.across_coders;
  options.codes = code_guids(p, o.codes);
  return print(cooccurrence_table(code_cooccurrence(p, options), layout_of(o)), o.format);
}

void add_common(CLI::App* cmd, Options& o) {
  cmd->add_option("PROJECT", o.project, "Project folder")->required();
  cmd->add_option("--codes", o.codes,
                  "Only these codes (GUIDs, names or Parent/Child paths), comma-separated")
      ->delimiter(',');
  cmd->add_option("--format", o.format, "text (default), csv (tidy), md, latex, html or json")
      ->check(CLI::IsMember(kFormats));
}

}  // namespace

void add_analysis_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* freq = app.add_subcommand(
      "freq", "Code frequencies: codings, sources, cases, coded characters and words, role shares");
  add_common(freq, o);
  freq->add_option("--by", o.by,
                   "Break down by coder, role, source, or a case attribute (NAME or case.NAME)");
  freq->callback([&] { run = [&] { return cmd_freq(o); }; });

  auto* matrix = app.add_subcommand("matrix", "The code x source matrix of codings");
  add_common(matrix, o);
  matrix
      ->add_option("--layout", o.layout,
                   "wide (a matrix; default for text, md, latex, html) or long (tidy; default "
                   "for csv, json)")
      ->check(CLI::IsMember({"wide", "long"}));
  matrix->callback([&] { run = [&] { return cmd_matrix(o); }; });

  auto* cooccur = app.add_subcommand(
      "cooccur", "The code co-occurrence matrix: counts and Jaccard over stated units");
  add_common(cooccur, o);
  cooccur
      ->add_option("--within", o.within,
                   "Unit: passage (overlapping codings; default) or utterance (turns "
                   "carrying both codes)")
      ->check(CLI::IsMember({"passage", "utterance"}));
  cooccur->add_flag("--across-coders", o.across_coders,
                    "Let codings of different coders co-occur (default: within each coder)");
  cooccur
      ->add_option("--layout", o.layout,
                   "wide (a matrix; default for text, md, latex, html) or long (one row per "
                   "pair; default for csv, json)")
      ->check(CLI::IsMember({"wide", "long"}));
  cooccur->callback([&] { run = [&] { return cmd_cooccur(o); }; });
}

}  // namespace marginalia::cli
