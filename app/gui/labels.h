// How the window words the numbers beside sources and codes: plain strings, tested without a
// window. No wx here.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "marginalia/codebook_counts.h"
#include "marginalia/model.h"

namespace marginalia::gui {

using marginalia::CodebookCounts;
using marginalia::count_codings;
using marginalia::shown_count;

// "Early anxiety (12)": the tree label, UTF-8.
std::string code_label(const Code& code, const CodebookCounts& counts);

// "3 sources · 12 codes · 431 codings · 2 coders", UTF-8, singular for 1.
std::string status_summary(const Project& project);

}  // namespace marginalia::gui
