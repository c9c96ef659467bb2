// hearth init: create a database (a SQLite file, or a PostgreSQL database named by a URI) and
// load the administrative divisions.
#include <iostream>

#include "cli/commands.h"
#include "core/messages.h"
#include "core/paths.h"
#include "ingest/divisions.h"
#include "store/postgres/pg_store.h"

namespace hearth::cli {

void AddInitCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("init", Tr(Msg::kCliInitHelp));
  cmd->callback([&global] {
    std::filesystem::path data = Check(FindDataDir(global.data_dir));
    std::unique_ptr<Store> store = Check(OpenStore(global.db, OpenMode::kCreate));
    DivisionCounts n = Check(LoadDivisions(*store, data / "admin-divisions"));
    std::cout << Tr(Msg::kCliInitDone, DisplayDatabase(global.db), store->SchemaVersion(), n.provinces, n.prefectures, n.counties,
                    n.townships, n.villages)
              << '\n';
  });
}

}  // namespace hearth::cli
