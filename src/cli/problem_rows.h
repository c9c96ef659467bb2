// The problem rows of an import as a table: what `hearth import feed --xlsx-report` and
// `hearth imports --rejects` print or export. Each row: line, outcome, kind, column, raw value,
// reason and fix, then the row's own cells under the file's header, so that a department can
// correct its file from the workbook alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/output.h"
#include "feeds/feed_spec.h"
#include "store/records.h"

namespace hearth::cli {

//! The outcome in the user's language (拒收, 未关联, 重复, 已接收，需核实).
std::string OutcomeLabel(RowOutcome outcome);

//! A problem row with the ID numbers in its raw value, reason and cells masked.
RejectRecord MaskedReject(const RejectRecord& r);

//! Short names of kinds beyond messages/kinds.inc (a feed's own checks), kind -> label.
using KindLabels = std::map<std::string, std::string>;

//! The labels a feed definition gives its checks, in the current language (else in the other
//! one; where it gives none, a generic 行内校验未通过, not the kind's code).
KindLabels CheckKindLabels(const FeedSpec& spec);

//! The problem rows as a table; the kind column shows each kind's label (KindLabel, then
//! `labels`). With `reveal` false, ID numbers in raw values, reasons and cells
//! are masked; `hearth imports --rejects … --reveal` and the import's own --xlsx-report, for the
//! department that sent the file, keep them whole (the caller audits the former).
TextTable ProblemRowsTable(const std::vector<std::string>& header, const std::vector<RejectRecord>& rows, bool reveal,
                           const KindLabels& labels = {});

}  // namespace hearth::cli
