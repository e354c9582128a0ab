// check: is a project folder whole (journal, snapshot, offsets, references, search index)?
// --repair rebuilds derived data first; it never deletes a coding.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_commands.h"
#include "marginalia/check.h"

namespace marginalia::cli {

namespace {

struct Options {
  std::string project;
  bool repair = false;
  std::string format = "text";
};

const char* severity_name(CheckFinding::Severity s) {
  return s == CheckFinding::Severity::Problem ? "problem" : "note";
}

int cmd_check(const Options& o) {
  const CheckReport report = check_project(o.project, o.repair);
  size_t problems = 0;
  for (const CheckFinding& f : report.findings)
    problems += f.severity == CheckFinding::Severity::Problem;
  if (o.format == "json") {
    nlohmann::json findings = nlohmann::json::array();
    for (const CheckFinding& f : report.findings)
      findings.push_back(
          {{"severity", severity_name(f.severity)}, {"area", f.area}, {"message", f.message}});
    std::cout << nlohmann::json{{"project", o.project},
                                {"ok", report.ok()},
                                {"repairs", report.repairs},
                                {"findings", findings}}
                     .dump(2)
              << "\n";
  } else {
    for (const std::string& r : report.repairs) std::cout << "repaired: " << r << "\n";
    for (const CheckFinding& f : report.findings)
      std::cout << severity_name(f.severity) << " [" << f.area << "] " << f.message << "\n";
    std::cout << o.project << ": "
              << (problems == 0
                      ? std::string("no problems")
                      : std::to_string(problems) + (problems == 1 ? " problem" : " problems"))
              << "\n";
  }
  return report.ok() ? 0 : 1;
}

}  // namespace

void add_check_commands(CLI::App& app, Runner& run) {
  static Options o;
  auto* check = app.add_subcommand(
      "check",
      "Check a project: journal readable, offsets inside the text, every code, coder and source a "
      "coding names present, search index consistent (exit 1 when a problem is found)");
  check->add_option("PROJECT", o.project, "Project folder")->required();
  check->add_flag("--repair", o.repair,
                  "Rebuild derived data first (search index, leftovers of interrupted writes); "
                  "never deletes a coding");
  add_format(check, o.format, {"text", "json"});
  check->callback([&] { run = [&] { return cmd_check(o); }; });
}

}  // namespace marginalia::cli
