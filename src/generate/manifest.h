// manifest.json: what a run wrote, so that tests and demos can tell expected rejects from
// bugs: every file with its kind, rows, shape (format, encoding, title and 合计 rows, date
// and amount styles) and received date (the 5th of the next month), and every deliberate
// fault with its file, line and kind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "generate/context.h"
#include "generate/feeds.h"
#include "generate/generator.h"
#include "generate/output.h"

namespace hearth::gen {

struct ManifestFile {
  std::string path;  //!< relative, '/' separated
  std::string kind;  //!< "registry-households", "registry-persons", "registry-incomes", "truth", or a feed slug
  int64_t rows = 0;  //!< data rows (without title, header and 合计)
  // Feeds only:
  std::optional<FileVariant> variant;
  std::string department;
  Date month;
  Date received;
  int64_t header_line = 1;
};

//! The day a monthly file arrives: the 5th of the month after `month`.
Date ReceivedDate(Date month);

//! Writes <out>/manifest.json.
Status WriteManifest(const std::filesystem::path& out, const GenerateOptions& options, const RunContext& ctx,
                     const std::vector<ManifestFile>& files, const std::vector<FaultRecord>& faults,
                     const GenerateSummary& summary);

}  // namespace hearth::gen
