// Reading fields of a feed event's payload: a flat JSON object written by src/feeds (string,
// integer or null values, no nesting). The engine reads a few fields of millions of payloads
// while it builds; a full JSON parse per event would dominate that, so this scans the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.h"

namespace hearth {

//! The value of `key` in a flat JSON object: a string's characters between the quotes (escapes
//! left as written), or the literal text of a number; empty when absent or null.
std::string_view PayloadText(std::string_view json, std::string_view key);
//! A date field ("2025-03-01"); nullopt when absent, null or not a date.
std::optional<Date> PayloadDate(std::string_view json, std::string_view key);
//! An integer field; nullopt when absent, null or not an integer.
std::optional<int64_t> PayloadInt(std::string_view json, std::string_view key);

}  // namespace hearth
