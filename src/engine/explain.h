// Rendering a stored warning for a reader: the explanation data (rule ids and parameters) put
// into the sentences of the policy version the warning was made under, with persons named as
// the reader may see them.
//
//   std::string text = RenderExplanation(w, policy, [&](int64_t ref) { return names.Label(ref); });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "policy/policy.h"
#include "store/records.h"

namespace hearth {

//! Names a person by internal reference, e.g. "阿卜杜拉·艾买提（653221********123X）".
using PersonRefLabeler = std::function<std::string(int64_t ref)>;

//! The warning's explanation in the current language: one sentence per fired rule, joined by
//! "；". Money is shown in yuan with thousands separators (whole yuan without decimals).
//! A rule the policy no longer has is shown by its id and raw parameters.
std::string RenderExplanation(const WarningRecord& w, const Policy& policy, const PersonRefLabeler& person);

//! An explanation's `{trigger.NAME}` placeholder: the policy's trigger value as a reader reads
//! it (money in yuan with thousands separators, "5,000"; a number as written, "0.7");
//! `{trigger.NAME%}` a share as a percentage ("0.5" -> "50"). nullopt when `placeholder` names
//! no trigger of the policy (or % of a money trigger).
std::optional<std::string> TriggerText(const Policy& policy, std::string_view placeholder);

//! The category's label in the current language ("脱贫不稳定户"); the id when unknown.
std::string CategoryLabel(const Policy& policy, std::string_view id);
//! The risk type's label ("因病"); the key when unknown.
std::string RiskLabel(std::string_view key);

}  // namespace hearth
