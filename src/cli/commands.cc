#include "cli/commands.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/messages.h"

namespace hearth::cli {

void AddFormatOption(CLI::App* cmd, std::string* format) {
  cmd->add_option("--format", *format, Tr(Msg::kCliOptFormat))->default_val("table");
}

StatusOr<Format> ParseFormat(const std::string& text) {
  if (text == "table") return Format::kTable;
  if (text == "json") return Format::kJson;
  return Error(StatusCode::kInvalidArgument, Msg::kCliFormatInvalid, text);
}

StatusOr<std::unique_ptr<Store>> OpenExisting(const GlobalOptions& global) {
  return OpenStore(global.db, OpenMode::kExisting);
}

void Fail(const Status& status) {
  std::cerr << Tr(Msg::kCliError, status.message()) << " [" << status.kind() << "]\n";
  throw CLI::RuntimeError(1);
}

void Check(const Status& status) {
  if (!status.ok()) Fail(status);
}

std::string AreaLevelLabel(AreaLevel level) {
  static constexpr Msg kLabels[] = {Msg::kLevelProvince, Msg::kLevelPrefecture, Msg::kLevelCounty,
                                    Msg::kLevelTownship, Msg::kLevelVillage};
  return Tr(kLabels[static_cast<int>(level) - 1]);
}

std::string LocalPrincipal() {
  const char* user = std::getenv("USER");
  return "local:" + (user != nullptr && *user != '\0' ? std::string(user) : "uid" + std::to_string(::getuid()));
}

}  // namespace hearth::cli
