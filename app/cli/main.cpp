// marginalia-cli: every capability of the core, scriptable. Results on stdout, messages on stderr;
// exit 0 on success, 1 on bad input, 2 on usage errors.
#include <iostream>

#include "cli_commands.h"
#include "marginalia/error.h"

int main(int argc, char** argv) {
  using namespace marginalia;
  CLI::App app{"marginalia-cli: code qualitative interviews from the command line"};
  app.require_subcommand(1);
  cli::Runner run;
  cli::add_project_commands(app, run);
  cli::add_search_commands(app, run);
  cli::add_editing_commands(app, run);
  cli::add_analysis_commands(app, run);
  cli::add_concordance_commands(app, run);
  cli::add_report_commands(app, run);
  cli::add_retrieval_commands(app, run);
  cli::add_agreement_commands(app, run);
  cli::add_check_commands(app, run);
  cli::add_interop_commands(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    return run();
  } catch (const cli::UsageError& e) {
    std::cerr << "marginalia-cli: usage: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "marginalia-cli: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "marginalia-cli: internal error: " << e.what() << "\n";
    return 1;
  }
}
