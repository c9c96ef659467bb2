#include "ingest/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/messages.h"
#include "core/text.h"
#include "ingest/row_cells.h"

namespace hearth {
namespace {

constexpr int kXmlChunk = 64 * 1024;
// Days from the 1900 date system's day 0 to the 1904 system's (workbookPr date1904="1").
constexpr double k1904Offset = 1462;

struct ZipDiscard {
  void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
struct ParserFree {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;
using ParserPtr = std::unique_ptr<XML_ParserStruct, ParserFree>;

// Why libzip failed (code ZIP_ER_…), in the reader's language: libzip's own text is English.
std::string ZipReason(int code) {
  switch (code) {
    case ZIP_ER_NOZIP: return Tr(Msg::kXlsxZipNotZip);
    case ZIP_ER_CRC: return Tr(Msg::kXlsxZipChecksum);
    case ZIP_ER_COMPNOTSUPP:
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD: return Tr(Msg::kXlsxZipUnsupported);
    case ZIP_ER_READ:
    case ZIP_ER_SEEK: return Tr(Msg::kXlsxZipRead);
    default: return Tr(Msg::kXlsxZipDamaged, code);
  }
}
std::string ZipReason(zip_file_t* file) { return ZipReason(zip_error_code_zip(zip_file_get_error(file))); }
std::string ZipReason(zip_t* zip) { return ZipReason(zip_error_code_zip(zip_get_error(zip))); }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "x:row" -> "row": parts written by some tools carry a namespace prefix.
std::string_view LocalName(const XML_Char* name) {
  std::string_view s(name);
  size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

// The value of the attribute whose local name is `local`, or nullptr.
const XML_Char* FindAttr(const XML_Char** attrs, std::string_view local) {
  for (; attrs[0] != nullptr; attrs += 2) {
    if (LocalName(attrs[0]) == local) return attrs[1];
  }
  return nullptr;
}

std::string AttrOr(const XML_Char** attrs, std::string_view local, std::string_view fallback) {
  const XML_Char* value = FindAttr(attrs, local);
  return std::string(value != nullptr ? std::string_view(value) : fallback);
}

template <typename T>
bool ParseNumber(std::string_view text, T* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

int IntAttr(const XML_Char** attrs, std::string_view local, int fallback) {
  const XML_Char* text = FindAttr(attrs, local);
  int value = fallback;
  if (text == nullptr || !ParseNumber(std::string_view(text), &value)) return fallback;
  return value;
}

// Routes expat's callbacks to H::OnStart(name, attrs), H::OnEnd(name), H::OnText(text).
template <typename H>
ParserPtr MakeParser(H* handler) {
  ParserPtr parser(XML_ParserCreate(nullptr));
  if (!parser) return parser;
  XML_SetUserData(parser.get(), handler);
  XML_SetElementHandler(
      parser.get(),
      [](void* h, const XML_Char* name, const XML_Char** attrs) {
        static_cast<H*>(h)->OnStart(LocalName(name), attrs);
      },
      [](void* h, const XML_Char* name) { static_cast<H*>(h)->OnEnd(LocalName(name)); });
  XML_SetCharacterDataHandler(parser.get(), [](void* h, const XML_Char* text, int length) {
    static_cast<H*>(h)->OnText(std::string_view(text, static_cast<size_t>(length)));
  });
  return parser;
}

// Feeds one zip entry to an expat parser in chunks. A handler may suspend the parser (at
// the end of a row) or abort it after leaving its reason in *handler_error.
class XmlStream {
 public:
  XmlStream(ZipFilePtr file, ParserPtr parser, std::string file_name, std::string part,
            const Status* handler_error)
      : file_(std::move(file)),
        parser_(std::move(parser)),
        file_name_(std::move(file_name)),
        part_(std::move(part)),
        handler_error_(handler_error) {}

  XML_Parser parser() const { return parser_.get(); }
  uint64_t consumed() const { return consumed_; }

  //! Parses until a handler suspends the parser (true) or the document ends (false).
  StatusOr<bool> Run() {
    XML_Status status = suspended_ ? XML_ResumeParser(parser_.get()) : XML_STATUS_OK;
    while (true) {
      if (status == XML_STATUS_ERROR) return ParseError();
      suspended_ = status == XML_STATUS_SUSPENDED;
      if (suspended_) return true;
      if (finished_) return false;
      HEARTH_ASSIGN_OR_RETURN(status, ParseChunk());
    }
  }

 private:
  StatusOr<XML_Status> ParseChunk() {
    void* buffer = XML_GetBuffer(parser_.get(), kXmlChunk);
    if (buffer == nullptr) return ParseError();
    zip_int64_t got = zip_fread(file_.get(), buffer, kXmlChunk);
    if (got < 0) {
      return Error(StatusCode::kDataLoss, Msg::kXlsxNotZip, file_name_, ZipReason(file_.get()));
    }
    consumed_ += static_cast<uint64_t>(got);
    finished_ = got == 0;
    return XML_ParseBuffer(parser_.get(), static_cast<int>(got), finished_);
  }

  Status ParseError() const {
    if (!handler_error_->ok()) return *handler_error_;
    return Error(StatusCode::kDataLoss, Msg::kXlsxXmlError, file_name_, part_,
                 XML_GetCurrentLineNumber(parser_.get()),
                 Tr(Msg::kXlsxXmlReason, static_cast<int>(XML_GetErrorCode(parser_.get()))));
  }

  ZipFilePtr file_;
  ParserPtr parser_;
  std::string file_name_;
  std::string part_;
  const Status* handler_error_;
  uint64_t consumed_ = 0;
  bool suspended_ = false;
  bool finished_ = false;
};

// ---- The package: parts and their relationships ----

bool HasPart(zip_t* zip, const std::string& part) {
  return zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

StatusOr<ZipFilePtr> OpenPart(zip_t* zip, const std::string& file, const std::string& part,
                              uint64_t* size = nullptr) {
  zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return Error(StatusCode::kDataLoss, Msg::kXlsxPartMissing, file, part);
  ZipFilePtr entry(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0));
  if (!entry) return Error(StatusCode::kDataLoss, Msg::kXlsxNotZip, file, ZipReason(zip));
  zip_stat_t stat;
  if (size != nullptr && zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &stat) == 0) {
    *size = stat.size;
  }
  return entry;
}

// Parses a whole part with a handler that never suspends.
template <typename H>
Status ParsePart(zip_t* zip, const std::string& file, const std::string& part, H* handler) {
  HEARTH_ASSIGN_OR_RETURN(ZipFilePtr entry, OpenPart(zip, file, part));
  ParserPtr parser = MakeParser(handler);
  if (!parser) return Error(StatusCode::kInternal, Msg::kInternalError, "XML_ParserCreate");
  const Status no_handler_error;
  XmlStream stream(std::move(entry), std::move(parser), file, part, &no_handler_error);
  HEARTH_ASSIGN_OR_RETURN(bool suspended, stream.Run());
  (void)suspended;
  return Status::Ok();
}

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

struct RelsHandler {
  std::vector<Relationship> rels;

  void OnStart(std::string_view name, const XML_Char** attrs) {
    if (name != "Relationship" || AttrOr(attrs, "TargetMode", "") == "External") return;
    rels.push_back({AttrOr(attrs, "Id", ""), AttrOr(attrs, "Type", ""), AttrOr(attrs, "Target", "")});
  }
  void OnEnd(std::string_view) {}
  void OnText(std::string_view) {}
};

// "xl/workbook.xml" -> "xl/".
std::string DirOf(std::string_view part) {
  size_t slash = part.rfind('/');
  return std::string(slash == std::string_view::npos ? "" : part.substr(0, slash + 1));
}

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels".
std::string RelsPartOf(std::string_view part) {
  return DirOf(part) + "_rels/" + std::string(part.substr(DirOf(part).size())) + ".rels";
}

// Resolves a relationship target: "/xl/worksheets/sheet1.xml" is absolute; anything else is
// relative to the source part's folder ("worksheets/sheet1.xml", "../xl/styles.xml").
std::string ResolveTarget(const std::string& dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1)) : dir + std::string(target);
  std::vector<std::string> segments;
  size_t begin = 0;
  while (begin <= joined.size()) {
    size_t end = std::min(joined.find('/', begin), joined.size());
    std::string segment = joined.substr(begin, end - begin);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    begin = end + 1;
  }
  std::string path;
  for (const std::string& segment : segments) {
    if (!path.empty()) path += '/';
    path += segment;
  }
  return path;
}

const Relationship* FindRel(const std::vector<Relationship>& rels, std::string_view type_suffix) {
  for (const Relationship& rel : rels) {
    if (rel.type.ends_with(type_suffix)) return &rel;
  }
  return nullptr;
}

StatusOr<std::vector<Relationship>> ReadRels(zip_t* zip, const std::string& file,
                                             const std::string& part) {
  RelsHandler handler;
  HEARTH_RETURN_IF_ERROR(ParsePart(zip, file, part, &handler));
  return std::move(handler.rels);
}

// The workbook part named by the package relationships (normally xl/workbook.xml).
StatusOr<std::string> FindWorkbookPart(zip_t* zip, const std::string& file) {
  const std::string fallback = "xl/workbook.xml";
  if (!HasPart(zip, "_rels/.rels")) return fallback;
  HEARTH_ASSIGN_OR_RETURN(std::vector<Relationship> rels, ReadRels(zip, file, "_rels/.rels"));
  const Relationship* office = FindRel(rels, "/officeDocument");
  return office != nullptr ? ResolveTarget("", office->target) : fallback;
}

// ---- The workbook: sheets, styles, shared strings ----

struct SheetInfo {
  std::string name;
  std::string part;
  bool hidden = false;
};

struct WorkbookHandler {
  struct Sheet {
    std::string name;
    std::string rel_id;
    bool hidden;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;

  void OnStart(std::string_view name, const XML_Char** attrs) {
    if (name == "sheet") {
      std::string state = AttrOr(attrs, "state", "visible");
      sheets.push_back({AttrOr(attrs, "name", ""), AttrOr(attrs, "id", ""), state != "visible"});
    } else if (name == "workbookPr") {
      std::string value = AttrOr(attrs, "date1904", "0");
      date1904 = value == "1" || value == "true";
    }
  }
  void OnEnd(std::string_view) {}
  void OnText(std::string_view) {}
};

struct Workbook {
  std::vector<SheetInfo> sheets;  // worksheets only, in workbook order
  std::string shared_strings_part;
  std::string styles_part;
  bool date1904 = false;
};

const Relationship* FindRelById(const std::vector<Relationship>& rels, std::string_view id) {
  for (const Relationship& rel : rels) {
    if (rel.id == id) return &rel;
  }
  return nullptr;
}

std::string PartOfType(const std::vector<Relationship>& rels, const std::string& dir,
                       std::string_view type_suffix) {
  const Relationship* rel = FindRel(rels, type_suffix);
  return rel != nullptr ? ResolveTarget(dir, rel->target) : "";
}

StatusOr<Workbook> ReadWorkbook(zip_t* zip, const std::string& file) {
  HEARTH_ASSIGN_OR_RETURN(std::string workbook_part, FindWorkbookPart(zip, file));
  WorkbookHandler handler;
  HEARTH_RETURN_IF_ERROR(ParsePart(zip, file, workbook_part, &handler));
  HEARTH_ASSIGN_OR_RETURN(std::vector<Relationship> rels,
                          ReadRels(zip, file, RelsPartOf(workbook_part)));
  const std::string dir = DirOf(workbook_part);
  Workbook book;
  book.date1904 = handler.date1904;
  for (const WorkbookHandler::Sheet& sheet : handler.sheets) {
    const Relationship* rel = FindRelById(rels, sheet.rel_id);
    if (rel == nullptr || !rel->type.ends_with("/worksheet")) continue;
    book.sheets.push_back({sheet.name, ResolveTarget(dir, rel->target), sheet.hidden});
  }
  book.shared_strings_part = PartOfType(rels, dir, "/sharedStrings");
  book.styles_part = PartOfType(rels, dir, "/styles");
  if (book.sheets.empty()) return Error(StatusCode::kDataLoss, Msg::kXlsxNoSheet, file);
  return book;
}

// Sheet names are compared as Excel does, ignoring ASCII case (and surrounding spaces).
bool SameSheetName(std::string_view a, std::string_view b) {
  a = TrimSpace(a);
  b = TrimSpace(b);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// "[h]", "[mm]", "[ss]": elapsed-time brackets.
bool IsElapsedTime(std::string_view bracket) {
  if (bracket.empty()) return false;
  for (char c : bracket) {
    if (LowerAscii(c) != 'h' && LowerAscii(c) != 'm' && LowerAscii(c) != 's') return false;
  }
  return true;
}

// True when a custom number format shows a date: it has y or d, or m without h or s (which
// would make m minutes), outside quoted text, [brackets] and escaped characters.
bool IsDateFormatCode(std::string_view code) {
  bool date = false, month = false, time = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"' || c == '[') {
      size_t close = code.find(c == '"' ? '"' : ']', i + 1);
      if (close == std::string_view::npos) break;
      time |= c == '[' && IsElapsedTime(code.substr(i + 1, close - i - 1));
      i = close;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {
      ++i;
      continue;
    }
    char lower = LowerAscii(c);
    date |= lower == 'y' || lower == 'd';
    month |= lower == 'm';
    time |= lower == 'h' || lower == 's';
  }
  return date || (month && !time);
}

struct StylesHandler {
  std::map<int, std::string> custom_formats;  // numFmtId -> formatCode
  std::vector<int> cell_formats;              // numFmtId of each cellXfs <xf>
  bool in_cell_xfs = false;

  void OnStart(std::string_view name, const XML_Char** attrs) {
    if (name == "numFmt") {
      custom_formats[IntAttr(attrs, "numFmtId", -1)] = AttrOr(attrs, "formatCode", "");
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      cell_formats.push_back(IntAttr(attrs, "numFmtId", 0));
    }
  }
  void OnEnd(std::string_view name) {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  void OnText(std::string_view) {}

  std::vector<bool> DateStyles() const {
    std::vector<bool> dates;
    for (int id : cell_formats) {
      auto custom = custom_formats.find(id);
      dates.push_back(custom != custom_formats.end() ? IsDateFormatCode(custom->second)
                                                     : IsBuiltinDateFormat(id));
    }
    return dates;
  }
};

StatusOr<std::vector<bool>> ReadDateStyles(zip_t* zip, const std::string& file,
                                           const std::string& part) {
  if (part.empty() || !HasPart(zip, part)) return std::vector<bool>();
  StylesHandler handler;
  HEARTH_RETURN_IF_ERROR(ParsePart(zip, file, part, &handler));
  return handler.DateStyles();
}

bool HexDigit(char c, char32_t* value) {
  if (c >= '0' && c <= '9') *value = (*value << 4) | static_cast<char32_t>(c - '0');
  else if (c >= 'A' && c <= 'F') *value = (*value << 4) | static_cast<char32_t>(c - 'A' + 10);
  else if (c >= 'a' && c <= 'f') *value = (*value << 4) | static_cast<char32_t>(c - 'a' + 10);
  else return false;
  return true;
}

// Reads an "_xHHHH_" escape at the start of s (OOXML's way to store control characters).
bool ReadEscape(std::string_view s, char32_t* code_point) {
  if (s.size() < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_') return false;
  *code_point = 0;
  for (size_t i = 2; i < 6; ++i) {
    if (!HexDigit(s[i], code_point)) return false;
  }
  return *code_point < 0xD800 || *code_point > 0xDFFF;
}

// Replaces the "_xHHHH_" escapes in text[from..] ("_x000D_" -> CR, "_x005F_" -> '_').
void DecodeEscapes(std::string* text, size_t from) {
  if (text->find("_x", from) == std::string::npos) return;
  std::string_view s = std::string_view(*text).substr(from);
  std::string decoded;
  for (size_t i = 0; i < s.size();) {
    char32_t code_point;
    if (ReadEscape(s.substr(i), &code_point)) {
      AppendUtf8(code_point, &decoded);
      i += 7;
    } else {
      decoded.push_back(s[i++]);
    }
  }
  text->resize(from);
  text->append(decoded);
}

// All shared strings in one pool.
struct SharedStrings {
  std::string pool;
  std::vector<size_t> ends;  // end offset in pool of each string

  size_t size() const { return ends.size(); }
  std::string_view Get(size_t i) const {
    size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(pool).substr(begin, ends[i] - begin);
  }
};

// Collects <si> items: plain <t>, or the <t> of rich-text runs; phonetic runs (<rPh>) skipped.
struct SharedStringsHandler {
  SharedStrings* out;
  size_t start = 0;
  int phonetic_depth = 0;
  bool in_item = false;
  bool collect = false;

  void OnStart(std::string_view name, const XML_Char** attrs) {
    if (name == "si") {
      in_item = true;
      start = out->pool.size();
    } else if (name == "t") {
      collect = in_item && phonetic_depth == 0;
    } else if (name == "rPh") {
      ++phonetic_depth;
    } else if (name == "sst") {
      out->ends.reserve(static_cast<size_t>(std::max(0, IntAttr(attrs, "uniqueCount", 0))));
    }
  }
  void OnEnd(std::string_view name) {
    if (name == "t") {
      collect = false;
    } else if (name == "rPh") {
      --phonetic_depth;
    } else if (name == "si") {
      in_item = false;
      DecodeEscapes(&out->pool, start);
      out->ends.push_back(out->pool.size());
    }
  }
  void OnText(std::string_view text) {
    if (collect) out->pool.append(text);
  }
};

StatusOr<std::unique_ptr<SharedStrings>> ReadSharedStrings(zip_t* zip, const std::string& file,
                                                           const std::string& part) {
  auto strings = std::make_unique<SharedStrings>();
  if (part.empty() || !HasPart(zip, part)) return strings;
  SharedStringsHandler handler{strings.get()};
  HEARTH_RETURN_IF_ERROR(ParsePart(zip, file, part, &handler));
  return strings;
}

// ---- The worksheet ----

enum class CellType { kNumber, kShared, kInline, kFormulaString, kBool, kError, kDate };

CellType ParseCellType(const XML_Char* t) {
  std::string_view type = t != nullptr ? std::string_view(t) : "n";
  if (type == "s") return CellType::kShared;
  if (type == "inlineStr") return CellType::kInline;
  if (type == "str") return CellType::kFormulaString;
  if (type == "b") return CellType::kBool;
  if (type == "e") return CellType::kError;
  if (type == "d") return CellType::kDate;
  return CellType::kNumber;
}

// "C5" -> 2; -1 when the reference has no letters.
int ColumnOfRef(std::string_view ref) {
  int column = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    column = column * 26 + (ref[i] - 'A' + 1);
  }
  return i == 0 ? -1 : column - 1;
}

// A merged range that spans rows (<mergeCell ref="E2:E4"/>): Excel shows its value, stored in
// the first row, in every row of it.
struct VerticalMerge {
  int64_t first_row = 0, last_row = 0;  // 1-based, as in the sheet
  size_t column = 0;                    // the range's first column, 0-based
};

// "E12" -> column 4, row 12; false for anything else.
bool ParseCellRef(std::string_view ref, size_t* column, int64_t* row) {
  const int c = ColumnOfRef(ref);
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') ++i;
  if (c < 0 || i == ref.size()) return false;
  int64_t r = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9' || r > 10'000'000) return false;
    r = r * 10 + (ref[i] - '0');
  }
  *column = static_cast<size_t>(c);
  *row = r;
  return r > 0;
}

// Sheets larger than this (uncompressed XML, about 30,000 rows) are machine exports, which do not
// merge data cells; their merges are not looked for (it would mean inflating the sheet twice).
constexpr uint64_t kMaxSheetForMerges = 16u << 20;

// The sheet's merged ranges that span rows, by first row. The <mergeCells> list follows the rows
// in the XML, so the part is read once ahead, keeping only what follows </sheetData>.
StatusOr<std::vector<VerticalMerge>> ReadVerticalMerges(zip_t* zip, const std::string& file, const std::string& part,
                                                        uint64_t sheet_size) {
  std::vector<VerticalMerge> merges;
  if (sheet_size > kMaxSheetForMerges) return merges;
  HEARTH_ASSIGN_OR_RETURN(ZipFilePtr entry, OpenPart(zip, file, part));
  std::string window, tail;
  bool after_rows = false;
  std::vector<char> buffer(64 * 1024);
  while (true) {
    const zip_int64_t got = zip_fread(entry.get(), buffer.data(), buffer.size());
    if (got < 0) return Error(StatusCode::kDataLoss, Msg::kXlsxNotZip, file, ZipReason(entry.get()));
    if (got == 0) break;
    if (after_rows) {
      tail.append(buffer.data(), static_cast<size_t>(got));
      continue;
    }
    window.append(buffer.data(), static_cast<size_t>(got));
    for (size_t end = window.find("sheetData>"); end != std::string::npos; end = window.find("sheetData>", end + 1)) {
      const size_t open = window.rfind('<', end);
      if (open != std::string::npos && open + 1 < end && window[open + 1] == '/') {  // </sheetData>, </x:sheetData>
        after_rows = true;
        tail = window.substr(end);
        break;
      }
    }
    if (after_rows) {
      window.clear();
    } else if (window.size() > 64) {
      window.erase(0, window.size() - 64);
    }
  }
  for (size_t at = tail.find("mergeCell"); at != std::string::npos; at = tail.find("mergeCell", at + 1)) {
    const size_t close = tail.find('>', at);
    const size_t ref = tail.find("ref=\"", at);
    if (close == std::string::npos || ref == std::string::npos || ref > close) continue;
    const size_t quote = tail.find('"', ref + 5);
    if (quote == std::string::npos) break;
    const std::string_view range = std::string_view(tail).substr(ref + 5, quote - ref - 5);
    const size_t colon = range.find(':');
    VerticalMerge m;
    size_t last_column = 0;
    if (colon == std::string_view::npos || !ParseCellRef(range.substr(0, colon), &m.column, &m.first_row) ||
        !ParseCellRef(range.substr(colon + 1), &last_column, &m.last_row) || m.last_row <= m.first_row) {
      continue;
    }
    merges.push_back(m);
  }
  std::sort(merges.begin(), merges.end(),
            [](const VerticalMerge& a, const VerticalMerge& b) { return a.first_row < b.first_row; });
  return merges;
}

// Integers up to 2^53 are exact in a double: such a whole number lost no digit, whoever wrote it.
constexpr double kExactIntegers = 9007199254740992.0;
// From here on a number is shown in scientific notation even in a spreadsheet's formula bar.
constexpr double kPlainDigitsBelow = 1e21;

// A whole number written out digit by digit with more than 15 digits ("653221199001011234", as
// writers other than Excel store an integer): it lost nothing, unless it is what a double
// prints: the digits of "653221199001011200" (a JavaScript writer's double in full) or
// "653221199001011000" are a rounded number's, not an ID's. Below 2^53 every integer is exact.
bool IsWrittenOutInteger(const std::string& stored, size_t digits, double value) {
  if (digits <= 15 || digits != stored.size()) return false;
  if (stored.find_first_not_of('0', 15) == std::string::npos) return false;  // see MayHaveLostDigits
  if (value < kExactIntegers) return true;
  char shortest[64];
  auto [end, error] = std::to_chars(shortest, shortest + sizeof shortest, value, std::chars_format::fixed);
  return error == std::errc() && std::string_view(shortest, static_cast<size_t>(end - shortest)) != stored;
}

// A large or whole number in plain digits, as a spreadsheet's formula bar shows it: an exact
// integer in full ("6530221022030000"); beyond that, its 15 significant digits, then zeros
// ("6.53221199001011E+17" -> "653221199001011000"). `value` is whole or at least 1e15, and
// below kPlainDigitsBelow.
std::string PlainDigits(double value) {
  char buf[64];
  const double magnitude = std::fabs(value);
  if (magnitude < kExactIntegers && magnitude == std::floor(magnitude)) {
    int n = std::snprintf(buf, sizeof buf, "%.0f", magnitude == 0 ? 0.0 : value);
    return std::string(buf, static_cast<size_t>(n));
  }
  std::snprintf(buf, sizeof buf, "%.14e", magnitude);  // "6.53221199001011e+17"
  const std::string_view text(buf);
  const size_t e = text.find('e');
  const int exponent = std::atoi(buf + e + 1);
  std::string digits = std::string(1, text[0]) + std::string(text.substr(2, e - 2));  // 15 digits
  digits.resize(static_cast<size_t>(std::max(exponent + 1, 15)), '0');
  return (value < 0 ? "-" : "") + digits;
}

// Excel keeps 15 significant digits of a number typed in: a longer code entered as a number
// ("6530221022030001", an ID) has its further digits turned to zeros before it is stored, and
// cannot be told from a code that ends in zeros. Such a number reads as Excel shows it in a
// General cell, in scientific notation ("6.53022102203E+15"), which importers reject as a
// spreadsheet number (IsSpreadsheetNumberText) rather than link to another household or person.
bool MayHaveLostDigits(const std::string& plain) {
  const size_t start = plain.starts_with('-') ? 1 : 0;
  return plain.size() - start > 15 && plain.find_first_not_of('0', start + 15) == std::string::npos;
}

std::string ExcelScientific(double value) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.15G", value);  // "6.53221199001011E+17"
  return std::string(buf, static_cast<size_t>(n));
}

// A number cell's text as a spreadsheet shows it: the stored text when it has at most 15
// significant digits (a double holds no more) and no exponent, and a written-out integer (see
// IsWrittenOutInteger) as it is. A long code stored as a number reads in plain digits when
// none can have been lost ("6530221022030001"), else as Excel shows it (MayHaveLostDigits). Other stored text with
// more digits is binary noise ("36001.200000000004" from a formula) and reads with 15.
void RenderPlainNumber(const std::string& stored, std::string* cell) {
  size_t digits = 0;
  bool exponent = false;
  for (char c : stored) {
    if (c == 'E' || c == 'e') {
      exponent = true;
      break;
    }
    digits += std::isdigit(static_cast<unsigned char>(c)) != 0;
  }
  double value = 0;
  const bool parsed = ParseNumber(std::string_view(stored), &value);
  if (!parsed || (digits <= 15 && !exponent) || IsWrittenOutInteger(stored, digits, value)) {
    cell->assign(stored);
    return;
  }
  const double magnitude = std::fabs(value);
  if (magnitude < kPlainDigitsBelow && (magnitude >= 1e15 || magnitude == std::floor(magnitude))) {
    std::string plain = PlainDigits(value);
    cell->assign(MayHaveLostDigits(plain) ? ExcelScientific(value) : std::move(plain));
    return;
  }
  if (digits <= 15) {  // a tiny or huge number in scientific notation ("1.5E-7"): as stored
    cell->assign(stored);
    return;
  }
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.15g", value);
  cell->assign(buf, static_cast<size_t>(n));
}

// Turns <row>/<c> events into TableRows; suspends the parser after each row with a value.
class SheetHandler {
 public:
  SheetHandler(const SharedStrings* strings, const std::vector<bool>* date_styles, bool date1904,
               std::string file)
      : strings_(strings), date_styles_(date_styles), date1904_(date1904), file_(std::move(file)) {}

  void set_parser(XML_Parser parser) { parser_ = parser; }
  void set_merges(std::vector<VerticalMerge> merges) { merges_ = std::move(merges); }
  void set_row(TableRow* row) { row_ = row; }
  bool date1904() const { return date1904_; }
  const Status* error() const { return &error_; }
  //! Whether the row last handed out is hidden in the sheet.
  bool row_hidden() const { return row_hidden_; }

  void OnStart(std::string_view name, const XML_Char** attrs) {
    if (name == "c") {
      StartCell(attrs);
    } else if (name == "v") {
      collect_ = in_cell_;
      has_value_ = in_cell_;
    } else if (name == "f") {
      collect_formula_ = in_cell_;
      has_formula_ = in_cell_;
    } else if (name == "t") {
      collect_ = in_inline_ && phonetic_depth_ == 0;
    } else if (name == "row") {
      StartRow(attrs);
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    }
  }

  void OnEnd(std::string_view name) {
    if (name == "v" || name == "t") {
      collect_ = false;
    } else if (name == "f") {
      collect_formula_ = false;
    } else if (name == "c") {
      EndCell();
    } else if (name == "row") {
      EndRow();
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    }
  }

  void OnText(std::string_view text) {
    if (collect_) text_.append(text);
    if (collect_formula_) formula_.append(text);
  }

 private:
  void StartRow(const XML_Char** attrs) {
    row_number_ = IntAttr(attrs, "r", static_cast<int>(row_number_ + 1));
    const XML_Char* hidden = FindAttr(attrs, "hidden");
    hidden_ = hidden != nullptr && (std::string_view(hidden) == "1" || std::string_view(hidden) == "true");
    plain_number_.clear();
    used_ = 0;
    filled_ = 0;
    next_column_ = 0;
  }

  void StartCell(const XML_Char** attrs) {
    const XML_Char* ref = FindAttr(attrs, "r");
    int column = ref != nullptr ? ColumnOfRef(ref) : -1;
    column_ = column >= 0 ? static_cast<size_t>(column) : next_column_;
    type_ = ParseCellType(FindAttr(attrs, "t"));
    style_ = IntAttr(attrs, "s", 0);
    text_.clear();
    formula_.clear();
    has_value_ = has_formula_ = false;
    in_cell_ = true;
  }

  // The cell at column_, emptied; the cells between the last one and it are emptied too.
  std::string* CellAtColumn() {
    if (column_ < used_) {
      row_->cells[column_].clear();
      return &row_->cells[column_];
    }
    while (used_ < column_) ResetCell(row_, used_++);
    ++used_;
    return ResetCell(row_, column_);
  }

  void EndCell() {
    in_cell_ = false;
    next_column_ = column_ + 1;
    std::string* cell = CellAtColumn();
    // An empty <v></v> (openpyxl writes one) saves no result either, unless the formula gave
    // text, which may be empty.
    const bool no_result = !has_value_ || (text_.empty() && type_ != CellType::kFormulaString);
    if (has_formula_ && no_result) {
      // A formula whose result was never saved (files written by programs, not by Excel or
      // WPS): shown as the formula, "=DATE(2025,3,31)", so that it reads as what it is and is
      // never taken for an empty cell.
      cell->assign("=" + (formula_.empty() ? std::string("?") : formula_));
      DecodeEscapes(cell, 0);
    } else {
      RenderValue(cell);
    }
    if (!merges_.empty()) {
      if (column_ >= plain_number_.size()) plain_number_.resize(column_ + 1, false);
      plain_number_[column_] = rendered_plain_number_;
      rendered_plain_number_ = false;
    }
    if (!cell->empty() && column_ + 1 > filled_) filled_ = column_ + 1;
  }

  // A vertically merged range's value, stored in its first row, is given to the rows below it
  // (only in its first column: a value is never copied into another field). Not a plain number:
  // an amount merged over a household's member rows is the household's, once, and copying it
  // to every member would multiply it; text and dates are the same for every row.
  void FillMerged() {
    std::erase_if(open_merges_, [&](const OpenMerge& m) { return m.last_row < row_number_; });
    for (const OpenMerge& m : open_merges_) {
      if (m.number) {  // not copied: the row says where the amount is
        if (m.column >= used_ || row_->cells[m.column].empty()) {
          if (row_->merged_from.size() <= m.column) row_->merged_from.resize(m.column + 1, 0);
          row_->merged_from[m.column] = m.first_row;
        }
        continue;
      }
      if (m.column < used_) {
        if (!row_->cells[m.column].empty()) continue;
        row_->cells[m.column] = m.value;
      } else {
        while (used_ < m.column) ResetCell(row_, used_++);
        ++used_;
        ResetCell(row_, m.column)->assign(m.value);
      }
      filled_ = std::max(filled_, m.column + 1);
    }
    for (; next_merge_ < merges_.size() && merges_[next_merge_].first_row <= row_number_; ++next_merge_) {
      const VerticalMerge& m = merges_[next_merge_];
      const bool number = m.column < plain_number_.size() && plain_number_[m.column];
      if (m.first_row == row_number_ && m.column < used_ && !row_->cells[m.column].empty()) {
        open_merges_.push_back({m.last_row, m.column, number ? std::string() : row_->cells[m.column], m.first_row, number});
      }
    }
  }

  void EndRow() {
    row_->merged_from.clear();
    if (!merges_.empty()) FillMerged();
    row_->cells.resize(filled_);  // trailing cells that only carry a style are dropped
    row_->line = row_number_;
    row_hidden_ = hidden_;
    if (filled_ > 0) XML_StopParser(parser_, XML_TRUE);
  }

  void RenderValue(std::string* cell) {
    switch (type_) {
      case CellType::kShared:
        return RenderShared(cell);
      case CellType::kBool:
        cell->assign(text_ == "1" ? "TRUE" : "FALSE");
        return;
      case CellType::kNumber:
        return RenderNumber(cell);
      case CellType::kInline:
      case CellType::kFormulaString:
        DecodeEscapes(&text_, 0);
        cell->assign(text_);
        return;
      case CellType::kError:
      case CellType::kDate:
        cell->assign(text_);
        return;
    }
  }

  void RenderShared(std::string* cell) {
    size_t index = 0;
    if (!ParseNumber(std::string_view(text_), &index) || index >= strings_->size()) {
      Fail(Error(StatusCode::kDataLoss, Msg::kXlsxBadSharedString, file_, row_number_,
                 ColumnLetters(static_cast<int>(column_)) + std::to_string(row_number_), text_));
      return;
    }
    cell->assign(strings_->Get(index));
  }

  // Numbers keep their stored text (see RenderPlainNumber); numbers in a date style become ISO dates.
  void RenderNumber(std::string* cell) {
    double serial = 0;
    bool is_date = style_ >= 0 && static_cast<size_t>(style_) < date_styles_->size() &&
                   (*date_styles_)[style_] && ParseNumber(std::string_view(text_), &serial);
    if (is_date) {
      StatusOr<Date> date = DateFromExcelSerial(std::floor(serial) + (date1904_ ? k1904Offset : 0));
      if (date.ok()) {
        cell->assign(date->ToIso());
        return;
      }
    }
    RenderPlainNumber(text_, cell);
    rendered_plain_number_ = true;
  }

  void Fail(Status status) {
    if (!error_.ok()) return;
    error_ = std::move(status);
    XML_StopParser(parser_, XML_FALSE);
  }

  const SharedStrings* strings_;
  const std::vector<bool>* date_styles_;
  bool date1904_;
  std::string file_;
  XML_Parser parser_ = nullptr;
  TableRow* row_ = nullptr;
  Status error_;

  int64_t row_number_ = 0;
  bool hidden_ = false;      // the row being read is hidden (<row hidden="1">)
  bool row_hidden_ = false;  // the row last handed out is
  size_t used_ = 0;         // cells of the row written so far (empty ones included)
  size_t filled_ = 0;       // 1 + the column of the last non-empty cell
  size_t next_column_ = 0;  // for cells without an r attribute
  size_t column_ = 0;
  CellType type_ = CellType::kNumber;
  int style_ = 0;
  struct OpenMerge {
    int64_t last_row;
    size_t column;
    std::string value;  // text and dates: given to the rows below
    int64_t first_row;
    bool number;        // a plain number: the rows below only name first_row (merged_from)
  };
  std::vector<VerticalMerge> merges_;  // by first row
  size_t next_merge_ = 0;
  std::vector<OpenMerge> open_merges_;  // ranges begun in an earlier row, with their value
  std::vector<bool> plain_number_;      // per column of the row (while there are merges): a plain number
  bool rendered_plain_number_ = false;
  std::string text_;
  std::string formula_;       // the cell's <f>, when it has one
  bool has_value_ = false;    // the cell has a <v> (a formula's cached result, or a value)
  bool has_formula_ = false;
  bool collect_formula_ = false;
  bool in_cell_ = false;
  bool in_inline_ = false;
  bool collect_ = false;
  int phonetic_depth_ = 0;
};

class XlsxReader final : public XlsxSheetReader {
 public:
  XlsxReader(std::shared_ptr<const XlsxWorkbookData> book, ZipFilePtr sheet, std::string part, uint64_t sheet_size,
             std::vector<VerticalMerge> merges);

  StatusOr<bool> Next(TableRow* row) override {
    handler_.set_row(row);
    row->date1904 = handler_.date1904();
    return stream_.Run();
  }
  bool RowHidden() const override { return handler_.row_hidden(); }
  uint64_t BytesRead() const override;
  uint64_t TotalBytes() const override;
  Encoding encoding() const override { return Encoding::kUtf8; }
  std::string_view format() const override { return "xlsx"; }
  std::string_view name() const override;

  bool ok() const { return stream_.parser() != nullptr; }

 private:
  std::shared_ptr<const XlsxWorkbookData> book_;  // outlives the sheet's zip_file_t held by stream_
  uint64_t sheet_size_;
  SheetHandler handler_;
  XmlStream stream_;
};

bool LooksLikeOle2(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  return std::string_view(magic, sizeof magic) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
}

StatusOr<ZipPtr> OpenZip(const std::filesystem::path& path) {
  int code = 0;
  ZipPtr zip(zip_open(path.c_str(), ZIP_RDONLY, &code));
  if (zip) return zip;
  if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN) {
    // The system's reason, as for any file that cannot be opened (io_open).
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Error(StatusCode::kIoError, Msg::kIoOpen, path.string(), reason);
  }
  if (LooksLikeOle2(path)) {
    return Error(StatusCode::kInvalidArgument, Msg::kFormatXlsDisguised, path.string());
  }
  return Error(StatusCode::kDataLoss, Msg::kXlsxNotZip, path.string(), ZipReason(code));
}

uint64_t FileSize(const std::filesystem::path& path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(size);
}

}  // namespace

// What the readers of one workbook's sheets share: the package, the sheet list, the styles and
// the shared strings. Immutable once read.
struct XlsxWorkbookData {
  std::string file;
  uint64_t file_size = 0;
  ZipPtr zip;
  Workbook book;
  std::vector<bool> date_styles;
  std::unique_ptr<SharedStrings> strings;
};

namespace {

XlsxReader::XlsxReader(std::shared_ptr<const XlsxWorkbookData> book, ZipFilePtr sheet, std::string part,
                       uint64_t sheet_size, std::vector<VerticalMerge> merges)
    : book_(std::move(book)),
      sheet_size_(sheet_size),
      handler_(book_->strings.get(), &book_->date_styles, book_->book.date1904, book_->file),
      stream_(std::move(sheet), MakeParser(&handler_), book_->file, std::move(part), handler_.error()) {
  handler_.set_parser(stream_.parser());
  handler_.set_merges(std::move(merges));
}

uint64_t XlsxReader::BytesRead() const {
  if (sheet_size_ == 0) return 0;
  return static_cast<uint64_t>(static_cast<double>(book_->file_size) * stream_.consumed() / sheet_size_);
}

uint64_t XlsxReader::TotalBytes() const { return book_->file_size; }

std::string_view XlsxReader::name() const { return book_->file; }

// The uncompressed size of a part, or 0.
uint64_t PartSize(zip_t* zip, const std::string& part) {
  zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
  zip_stat_t stat;
  if (index < 0 || zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &stat) != 0) return 0;
  return (stat.valid & ZIP_STAT_SIZE) != 0 ? stat.size : 0;
}

}  // namespace

XlsxWorkbook::XlsxWorkbook(std::shared_ptr<const XlsxWorkbookData> data) : data_(std::move(data)) {
  for (const SheetInfo& sheet : data_->book.sheets) {
    sheets_.push_back({sheet.name, sheet.hidden, PartSize(data_->zip.get(), sheet.part)});
  }
}

XlsxWorkbook::~XlsxWorkbook() = default;

StatusOr<std::unique_ptr<XlsxWorkbook>> XlsxWorkbook::Open(const std::filesystem::path& path) {
  auto data = std::make_shared<XlsxWorkbookData>();
  data->file = path.string();
  data->file_size = FileSize(path);
  HEARTH_ASSIGN_OR_RETURN(data->zip, OpenZip(path));
  HEARTH_ASSIGN_OR_RETURN(data->book, ReadWorkbook(data->zip.get(), data->file));
  HEARTH_ASSIGN_OR_RETURN(data->date_styles, ReadDateStyles(data->zip.get(), data->file, data->book.styles_part));
  HEARTH_ASSIGN_OR_RETURN(data->strings,
                          ReadSharedStrings(data->zip.get(), data->file, data->book.shared_strings_part));
  return std::unique_ptr<XlsxWorkbook>(new XlsxWorkbook(std::move(data)));
}

const std::vector<XlsxWorkbook::Sheet>& XlsxWorkbook::sheets() const { return sheets_; }

StatusOr<size_t> XlsxWorkbook::FindSheet(std::string_view name) const {
  std::vector<std::string> names;
  for (size_t i = 0; i < sheets_.size(); ++i) {
    if (SameSheetName(sheets_[i].name, name)) return i;
    names.push_back(sheets_[i].name);
  }
  return Error(StatusCode::kNotFound, Msg::kXlsxSheetMissing, data_->file, name, JoinList(names));
}

size_t XlsxWorkbook::FirstVisibleSheet() const {
  for (size_t i = 0; i < sheets_.size(); ++i) {
    if (!sheets_[i].hidden) return i;
  }
  return 0;
}

StatusOr<std::unique_ptr<XlsxSheetReader>> XlsxWorkbook::OpenSheet(size_t index) const {
  const std::string& part = data_->book.sheets.at(index).part;
  uint64_t sheet_size = 0;
  HEARTH_ASSIGN_OR_RETURN(ZipFilePtr entry, OpenPart(data_->zip.get(), data_->file, part, &sheet_size));
  HEARTH_ASSIGN_OR_RETURN(std::vector<VerticalMerge> merges,
                          ReadVerticalMerges(data_->zip.get(), data_->file, part, sheet_size));
  auto reader = std::make_unique<XlsxReader>(data_, std::move(entry), part, sheet_size, std::move(merges));
  if (!reader->ok()) return Error(StatusCode::kInternal, Msg::kInternalError, "XML_ParserCreate");
  return std::unique_ptr<XlsxSheetReader>(std::move(reader));
}

StatusOr<std::vector<std::string>> XlsxSheetNames(const std::filesystem::path& path) {
  HEARTH_ASSIGN_OR_RETURN(ZipPtr zip, OpenZip(path));
  HEARTH_ASSIGN_OR_RETURN(Workbook book, ReadWorkbook(zip.get(), path.string()));
  std::vector<std::string> names;
  for (const SheetInfo& sheet : book.sheets) {
    if (!sheet.hidden) names.push_back(sheet.name);
  }
  return names;
}

StatusOr<std::unique_ptr<TableReader>> OpenXlsxFile(const std::filesystem::path& path,
                                                    const TableOptions& options) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxWorkbook> book, XlsxWorkbook::Open(path));
  size_t index = book->FirstVisibleSheet();
  if (!options.sheet.empty()) {
    HEARTH_ASSIGN_OR_RETURN(index, book->FindSheet(options.sheet));
  }
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxSheetReader> sheet, book->OpenSheet(index));
  return std::unique_ptr<TableReader>(std::move(sheet));
}

}  // namespace hearth
