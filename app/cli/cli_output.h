// How the CLI prints the model: text for people, CSV and JSON for scripts.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "marginalia/model.h"

namespace marginalia {

struct CodingFilter {
  std::optional<std::string> code, source, coder;  // guids
};

void print_info(std::ostream& out, const Project& project, const std::string& format);
void print_codebook(std::ostream& out, const Project& project, const std::string& format);
void print_cases(std::ostream& out, const Project& project, const std::string& format);
void print_codings(std::ostream& out, const Project& project, const CodingFilter& filter,
                   const std::string& format);

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& value);

}  // namespace marginalia
