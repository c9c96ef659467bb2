#include "engine/expr/problems.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace hearth::expr {
namespace {

constexpr size_t kSnippetBytes = 40;

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one
// edit each, ignoring ASCII case.
int EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) && Lower(a[i - 2]) == Lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

// How many edits still look like a typo of a name of this length.
int MaxTypoEdits(size_t length) {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

}  // namespace

std::string Snippet(std::string_view text, Span span) {
  const size_t begin = std::min(static_cast<size_t>(span.offset), text.size());
  std::string_view s = text.substr(begin, static_cast<size_t>(span.length));
  if (s.size() <= kSnippetBytes) return std::string(s);
  size_t cut = kSnippetBytes;
  while (cut > 0 && IsUtf8Continuation(s[cut])) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  int best_distance = MaxTypoEdits(name.size()) + 1;
  for (const std::string& candidate : candidates) {
    const int distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best == nullptr ? std::string() : *best;
}

}  // namespace hearth::expr
