#include "engine/expr/problems.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/text.h"

namespace hearth::expr {
namespace {

constexpr size_t kSnippetBytes = 40;

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

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
  return std::string(ClosestName(name, std::vector<std::string_view>(candidates.begin(), candidates.end())));
}

}  // namespace hearth::expr
