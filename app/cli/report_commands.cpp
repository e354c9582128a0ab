// Figures, the coded-passages report and the codebook table: chart, report, codebook-table (also
// reached as `codebook PROJECT table`).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "marginalia/charts.h"
#include "marginalia/error.h"
#include "marginalia/frequencies.h"
#include "marginalia/naming.h"
#include "marginalia/project_store.h"
#include "marginalia/report.h"
#include "marginalia/tables.h"

namespace fs = std::filesystem;

namespace marginalia::cli {

// Also called by `codebook PROJECT table` (project_commands.cpp).
int run_codebook_table(const std::string& project, const std::string& format,
                       const std::string& coder);

namespace {

struct Options {
  std::string project;
  std::string kind = "freq";
  std::string by = "role";
  std::vector<std::string> codes;
  std::string coder;
  std::string output;
  std::string format = "md";
  double width_in = 3.3;
  std::string within = "passage";
  bool across_coders = false;
  bool jaccard = false;
};

void write_file(const std::string& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw EnvironmentError("cannot write " + file);
  out << content;
  out.close();
  if (!out) throw EnvironmentError("cannot write " + file);
}

std::optional<std::string> coder_guid(const Project& p, const std::string& name) {
  if (name.empty()) return std::nullopt;
  const Coder* c = p.coder_named(name);
  if (!c) throw BadInput("no coder named \"" + name + "\"");
  return c->guid;
}

int cmd_chart(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  Project p = store->project();
  std::vector<std::string> codes;
  for (const auto& c : o.codes) codes.push_back(resolve_code(p, c));
  if (const auto coder = coder_guid(p, o.coder))
    std::erase_if(p.codings, [&](const Coding& c) { return c.coder != *coder; });
  const bool named = !codes.empty();
  ChartStyle style;
  style.width_pt = o.width_in * 72;
  std::string svg;
  size_t left_out = 0;
  if (o.kind == "freq") {
    FrequencyOptions options;
    options.by = o.by;
    options.codes = codes;
    const FrequencyReport report = code_frequencies(p, options);
    BarChartData data = frequency_bar_chart(p, report, named);
    std::set<std::string> own;
    for (const auto& row : report.rows)
      if (row.scope == CodeScope::Own) own.insert(row.code);
    left_out = own.size() - data.categories.size();
    data.value_label = o.coder.empty() ? "Codings (all coders)" : "Codings by " + o.coder;
    svg = render_bar_chart_svg(data, style);
  } else {
    CooccurrenceOptions options;
    options.codes = codes;
    options.unit =
        o.within == "utterance" ? CooccurrenceUnit::Utterance : CooccurrenceUnit::Passage;
    options.across_coders = o.across_coders;
    const CooccurrenceMatrix matrix = code_cooccurrence(p, options);
    const HeatmapData data = cooccurrence_heatmap(p, matrix, o.jaccard, named);
    left_out = matrix.codes.size() - data.labels.size();
    svg = render_heatmap_svg(data, style);
  }
  write_file(o.output, svg);
  std::cout << "Wrote " << o.output << "\n";
  if (left_out)
    std::cerr << "marginalia-cli: " << left_out
              << (o.kind == "freq" ? " codes without codings" : " codes that co-occur with none")
              << " left out of the figure (name them with --codes to keep them)\n";
  return 0;
}

int cmd_report(const Options& o) {
  auto store = ProjectStore::open(o.project, OpenMode::ReadOnly);
  const Project& p = store->project();
  ReportOptions options;
  for (const auto& c : o.codes) options.codes.push_back(resolve_code(p, c));
  options.coder = coder_guid(p, o.coder);
  std::error_code ec;
  const fs::path absolute = fs::absolute(o.project, ec);
  options.project_location = ec ? o.project : absolute.lexically_normal().string();
  const auto codes = collect_passages(p, options);
  size_t passages = 0;
  for (const auto& c : codes) passages += c.passages.size();
  write_file(o.output, render_report_html(p, options));
  std::cout << "Wrote " << o.output << ": " << passages << " passages under " << codes.size()
            << " codes\n";
  return 0;
}

}  // namespace

int run_codebook_table(const std::string& project, const std::string& format,
                       const std::string& coder) {
  auto store = ProjectStore::open(project, OpenMode::ReadOnly);
  CodebookTableOptions options;
  options.coder = coder_guid(store->project(), coder);
  std::cout << render_codebook_table(codebook_table(store->project(), options), format);
  return 0;
}

void add_report_commands(CLI::App& app, Runner& run) {
  static Options o;

  auto* chart = app.add_subcommand(
      "chart", "Draw a figure as SVG: code frequencies as grouped bars, or co-occurrence");
  chart->add_option("PROJECT", o.project, "Project folder")->required();
  chart->add_option("--kind", o.kind, "freq: bars by group; cooccur: heatmap (default freq)")
      ->check(CLI::IsMember({"freq", "cooccur"}));
  chart->add_option("--by", o.by,
                    "freq: group bars by role (default), coder, source or a participant "
                    "attribute, e.g. outcome or case.NAME");
  chart->add_option("--codes", o.codes, "Only these codes (names, paths or GUIDs; comma-separated)")
      ->delimiter(',');
  chart->add_option("--coder", o.coder, "Only this coder's codings (default: all coders)");
  chart
      ->add_option("--within", o.within,
                   "cooccur: codes meet in an overlapping passage (default) or an utterance")
      ->check(CLI::IsMember({"passage", "utterance"}));
  chart->add_flag("--across-coders", o.across_coders,
                  "cooccur: one coder's code may meet another coder's (default: same coder)");
  chart->add_flag("--jaccard", o.jaccard, "cooccur: Jaccard (both / either) instead of counts");
  chart->add_option("--width", o.width_in, "Figure width in inches (default 3.3, one column)")
      ->check(CLI::Range(1.5, 12.0));
  chart->add_option("-o,--output", o.output, "SVG file to write")->required();
  chart->callback([&] { run = [&] { return cmd_chart(o); }; });

  auto* report = app.add_subcommand(
      "report", "Write the coded passages, grouped by code, as a self-contained HTML page");
  report->add_option("PROJECT", o.project, "Project folder")->required();
  report->add_option("--codes", o.codes, "Only these codes and those below them (comma-separated)")
      ->delimiter(',');
  report->add_option("--coder", o.coder, "Only this coder's codings (default: all coders)");
  report->add_option("-o,--output", o.output, "HTML file to write")->required();
  report->callback([&] { run = [&] { return cmd_report(o); }; });

  auto* table = app.add_subcommand(
      "codebook-table",
      "The codebook as a table (code, definition, when to use, when not, example, frequency)");
  table->add_option("PROJECT", o.project, "Project folder")->required();
  table->add_option("--coder", o.coder, "Count only this coder's codings");
  add_format(table, o.format, {"md", "latex", "html", "text", "csv", "json"});
  table->callback([&] { run = [&] { return run_codebook_table(o.project, o.format, o.coder); }; });
}

}  // namespace marginalia::cli
