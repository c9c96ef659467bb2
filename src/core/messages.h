// The message catalogue: every user-facing sentence of Hearth, in zh-CN and English.
//
// Messages are declared with HEARTH_MESSAGE(Id, "kind", "中文模板", "English template") in the
// per-layer files of messages/ (core.inc, ingest.inc, store.inc, cli.inc, generate.inc), all of
// which form one enum `Msg` and one table. Templates use fmt syntax with positional
// arguments ({0}, {1} ...), so both languages may order them freely. `kind` is the stable
// snake_case key that a Status made from the message carries (reject kinds, JSON reports).
//
// The language is chosen once at start (`--lang`, default from LANG/LC_ALL) with SetLanguage.
//
//   Status s = Error(StatusCode::kInvalidArgument, Msg::kIdLength, raw, n);
//   std::cout << Tr(Msg::kCliImportSummary, read, accepted, rejected);
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth {

enum class Lang : int { kZh = 0, kEn = 1 };

enum class Msg : int {
#define HEARTH_MESSAGE(id, kind, zh, en) id,
#include "core/messages/all.inc"
#undef HEARTH_MESSAGE
  kMessageCount
};

//! Sets the language used by Tr() from now on. Not thread-safe: call at start.
void SetLanguage(Lang lang);
Lang CurrentLanguage();
//! "en", "en_US.UTF-8" ... -> kEn; "zh", "zh_CN" and anything else -> kZh (zh-CN first).
Lang ParseLanguage(std::string_view name);
//! The language from LC_ALL, LC_MESSAGES or LANG; kZh when unset or "C"/"POSIX".
Lang LanguageFromEnvironment();

//! The stable key of a message ("id_checksum").
std::string_view MessageKind(Msg id);
//! The short label of a problem-row kind in the current language ("id_checksum" ->
//! "证件号码校验位不对"), from messages/kinds.inc; a kind without a label is returned as is.
std::string_view KindLabel(std::string_view kind);
//! The raw template of a message in a language.
std::string_view MessageTemplate(Msg id, Lang lang);

//! Renders a message in the current language.
template <typename... Args>
std::string Tr(Msg id, const Args&... args) {
  return fmt::format(fmt::runtime(MessageTemplate(id, CurrentLanguage())), args...);
}

//! Renders a message in a given language.
template <typename... Args>
std::string TrIn(Lang lang, Msg id, const Args&... args) {
  return fmt::format(fmt::runtime(MessageTemplate(id, lang)), args...);
}

//! A non-OK Status whose kind and message come from the catalogue.
template <typename... Args>
Status Error(StatusCode code, Msg id, const Args&... args) {
  return Status(code, std::string(MessageKind(id)), Tr(id, args...));
}

}  // namespace hearth
