#include "core/messages.h"

#include <array>
#include <cstdlib>

namespace hearth {
namespace {

struct MessageDef {
  std::string_view kind;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array<MessageDef, static_cast<size_t>(Msg::kMessageCount)> kCatalogue = {{
#define HEARTH_MESSAGE(id, kind, zh, en) {kind, zh, en},
#include "core/messages/all.inc"
#undef HEARTH_MESSAGE
}};

struct KindDef {
  std::string_view kind;
  std::string_view zh;
  std::string_view en;
};

constexpr KindDef kKindLabels[] = {
#define HEARTH_KIND(kind, zh, en) {kind, zh, en},
#include "core/messages/kinds.inc"
#undef HEARTH_KIND
};

Lang g_language = Lang::kZh;

}  // namespace

void SetLanguage(Lang lang) { g_language = lang; }
Lang CurrentLanguage() { return g_language; }

Lang ParseLanguage(std::string_view name) {
  if (name.size() >= 2 && (name[0] == 'e' || name[0] == 'E') && (name[1] == 'n' || name[1] == 'N')) {
    return Lang::kEn;
  }
  return Lang::kZh;
}

Lang LanguageFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value == nullptr || *value == '\0') continue;
    std::string_view v(value);
    if (v == "C" || v == "POSIX" || v.starts_with("C.")) return Lang::kZh;
    return ParseLanguage(v);
  }
  return Lang::kZh;
}

std::string_view MessageKind(Msg id) { return kCatalogue[static_cast<size_t>(id)].kind; }

std::string_view MessageTemplate(Msg id, Lang lang) {
  const MessageDef& def = kCatalogue[static_cast<size_t>(id)];
  return lang == Lang::kEn ? def.en : def.zh;
}

std::string_view KindLabel(std::string_view kind) {
  for (const KindDef& def : kKindLabels) {
    if (def.kind == kind) return g_language == Lang::kEn ? def.en : def.zh;
  }
  return kind;
}

}  // namespace hearth
