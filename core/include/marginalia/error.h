// The core's exceptions. Engine exceptions (ICU, pugixml, Xapian, libzip) are converted to these at
// the edge of the module that uses the engine; nothing else escapes the core.
#pragma once

#include <stdexcept>
#include <string>

namespace marginalia {

// Base of everything the core throws on purpose; what() is one line a person can act on.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The person's input is wrong: a corrupt or mis-encoded file, an offset out of range, an unknown
// code. The message names the file (or argument) and the problem. The CLI exits 1.
class BadInput : public Error {
 public:
  using Error::Error;
};

// The machine refused: disk full, permission denied, the project locked by another writer.
class EnvironmentError : public Error {
 public:
  using Error::Error;
};

}  // namespace marginalia
