// Theme phrases of the generated benchmark corpus, shared by the generator (which scatters them
// through the interviews) and the benchmark (whose phrase and NEAR queries are built from them).
#pragma once

#include <iterator>

inline constexpr const char* kThemePhrases[] = {
    "i kept my distance to protect myself",
    "i felt ashamed of myself",
    "the waiting room was awful",
    "i finally felt heard",
    "at the first session",
    "i pulled back from him",
    "i did not trust her at first",
    "a deep sense of shame",
    "the therapeutic relationship changed",
    "we talked about the rupture",
    "afraid he would judge me",
    "i felt safe enough to talk",
    "my stomach dropped",
    "the homework sheets felt like school",
    "at my own pace",
    "she took a step back",
    "there was a lot of distance between us",
    "too ashamed to tell anyone",
    "the shame came back",
    "he admitted he had got it wrong",
    "we agreed on the goals together",
    "i was scared of being a burden",
    "it felt like a real repair",
    "she named what was happening between us",
};

// Single-word codable codes of codebooks/therapeutic-alliance.qdc, used by the `code:` queries.
inline constexpr const char* kQueryCodes[] = {"Trust", "Warmth", "Empathy", "Mentalizing"};
