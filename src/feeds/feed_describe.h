// Feed facts as people read them: a stored event's payload (field names, amounts in fen, ISO
// dates) told with the definition's column headers, amounts in yuan and the department's label,
// for displays such as `hearth household show`. The payload itself stays as stored (JSON output).
//
//   std::map<std::string, FeedSpec> specs = FeedSpecsByEventType(data_dir);
//   if (auto s = specs.find(e.type); s != specs.end()) text = DescribeFeedPayload(s->second, e.payload);
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "feeds/feed_spec.h"

namespace hearth {

//! "就诊类型 住院，入院日期 2025-01-11，医疗总费用 2,426.16 元" in the definition's field order;
//! a field the definition no longer has is told by its stored name; a payload that is not a JSON
//! object is returned as it is.
std::string DescribeFeedPayload(const FeedSpec& spec, std::string_view payload);

//! The department and what its file lists: "医保：住院及门诊慢特病结算明细".
std::string FeedEventLabel(const FeedSpec& spec);

//! The definitions of `<data_dir>/feeds/` that load, by event type (a display does without the
//! others: their events are shown as stored).
std::map<std::string, FeedSpec> FeedSpecsByEventType(const std::filesystem::path& data_dir);

}  // namespace hearth
