#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/text.h"

namespace hearth {
namespace {

const std::vector<size_t> kChunkSizes = {1, 2, 3, 5, 64, kCsvChunkSize};

// What a reader produced: "line:cell|cell;line:cell" (CR and LF inside cells as \r, \n),
// then the error kind if reading stopped on an error.
struct Outcome {
  std::string rows;
  std::string error_kind;
  std::string error_message;
  Encoding encoding = Encoding::kAuto;
};

std::string Escape(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

// "line:cells", or "line?cell:cells" when the row's cell `cell` opened a quote never closed.
std::string Render(const TableRow& row) {
  std::string out = std::to_string(row.line);
  if (row.open_quote_cell >= 0) out += "?" + std::to_string(row.open_quote_cell);
  out += ":";
  for (size_t i = 0; i < row.cells.size(); ++i) {
    if (i > 0) out += "|";
    out += Escape(row.cells[i]);
  }
  return out;
}

Outcome ReadAll(TableReader& reader) {
  Outcome outcome;
  TableRow row;
  while (true) {
    StatusOr<bool> more = reader.Next(&row);
    if (!more.ok()) {
      outcome.error_kind = more.status().kind();
      outcome.error_message = more.status().message();
      break;
    }
    if (!*more) break;
    if (!outcome.rows.empty()) outcome.rows += ';';
    outcome.rows += Render(row);
  }
  outcome.encoding = reader.encoding();
  return outcome;
}

Outcome ReadCsv(const std::string& bytes, const TableOptions& options = {},
                size_t chunk_size = kCsvChunkSize) {
  CsvReader reader(MakeStringSource(bytes), "test.csv", options, chunk_size);
  Status started = reader.Start();
  if (!started.ok()) return {"", started.kind(), started.message()};
  return ReadAll(reader);
}

struct CsvCase {
  std::string name;
  std::string input;
  std::string want_rows;
  std::string want_error = "";  // kind
  std::string want_in_message = "";
};

const std::vector<CsvCase>& Cases() {
  static const std::vector<CsvCase> cases = {
      {"simple", "a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3"},
      {"no final newline", "a,b\n1,2", "1:a|b;2:1|2"},
      {"crlf", "a,b\r\n1,2\r\n", "1:a|b;2:1|2"},
      {"lone cr", "a,b\r1,2\r", "1:a|b;2:1|2"},
      {"cr cr lf", "a\r\r\nb", "1:a;2:;3:b"},
      {"quoted comma", "\"x,y\",z\n", "1:x,y|z"},
      {"doubled quotes", "\"say \"\"hi\"\"\",2\n", "1:say \"hi\"|2"},
      {"only a doubled quote", "\"\"\"\"\n", "1:\""},
      {"quoted empty", "\"\",x\n", "1:|x"},
      {"embedded lf", "id,note\n1,\"line1\nline2\"\n2,x\n", "1:id|note;2:1|line1\\nline2;4:2|x"},
      {"embedded crlf", "a,\"x\r\ny\"\r\nb,c\r\n", "1:a|x\\r\\ny;3:b|c"},
      {"embedded lone cr", "a,\"x\ry\"\nb\n", "1:a|x\\ry;3:b"},
      {"two embedded lines", "\"1\n2\n3\",z\nnext\n", "1:1\\n2\\n3|z;4:next"},
      {"empty fields", ",,\n", "1:||"},
      {"trailing delimiter at end", "a,", "1:a|"},
      {"blank line", "a\n\nb\n", "1:a;2:;3:b"},
      {"empty input", "", ""},
      {"only a newline", "\n", "1:"},
      {"text after closing quote", "\"ab\"c,d\n", "1:abc|d"},
      {"quote inside unquoted cell", "ab\"c,d\n", "1:ab\"c|d"},
      {"quoted cell at end of file", "x,\"a\"", "1:x|a"},
      {"spaces kept", " a , b \n", "1: a | b "},
      {"bom", "\xEF\xBB\xBF姓名,证件号码\n张三,1\n", "1:姓名|证件号码;2:张三|1"},
      {"bom only", "\xEF\xBB\xBF", ""},
      {"chinese", "序号,姓名\n1,阿卜杜拉·艾买提\n", "1:序号|姓名;2:1|阿卜杜拉·艾买提"},
      // A quote never closed ends its row at its line (the quote kept as text); the lines after it
      // are rows again.
      {"unterminated quote", "a,b\n1,\"open\nmore\n", "1:a|b;2?1:1|\"open;3:more"},
      {"unterminated quote on line 1", "\"abc", "1?0:\"abc"},
      {"unterminated after doubled quote", "x\n\"a\"\"", "1:x;2?0:\"a\"\""},
      {"stray quote before a name: the next line is a row", "姓名,证件号码,地址,金额\n\"张三,653,乡,1\n李四,654,乡,2\n王五,655,乡,3\n",
       "1:姓名|证件号码|地址|金额;2?0:\"张三|653|乡|1;3:李四|654|乡|2;4:王五|655|乡|3"},
      {"stray quote in the last cell: the next line is a whole row", "a,b,c,d\n1,2,3,\"4\n5,6,7,8\n9,10,11,12\n",
       "1:a|b|c|d;2?3:1|2|3|\"4;3:5|6|7|8;4:9|10|11|12"},
      {"stray quote closed by a later row's quoted cell", "a,b,c,d\n1,\"x,2\n3,\"y\",z,w\n5,6,7,8\n",
       "1:a|b|c|d;2?1:1|\"x|2;3:3|y|z|w;4:5|6|7|8"},
      {"stray quote whose runaway a later quote would close", "a,b,c,d\n\"1,2,3,4\n5,6,x\",8\n9,10,11,12\n",
       "1:a|b|c|d;2?0:\"1|2|3|4;3:5|6|x\"|8;4:9|10|11|12"},
      {"two stray quotes", "a,b,c,d\n\"1,2,3,4\n\"5,6,7,8\n9,10,11,12\n",
       "1:a|b|c|d;2?0:\"1|2|3|4;3?0:\"5|6|7|8;4:9|10|11|12"},
      {"stray quote, crlf", "a,b,c,d\r\n\"1,2,3,4\r\n5,6,7,8\r\n", "1:a|b|c|d;2?0:\"1|2|3|4;3:5|6|7|8"},
      {"stray quote on the last line", "a,b,c,d\n1,2,3,4\n\"5,6,7,8", "1:a|b|c|d;2:1|2|3|4;3?0:\"5|6|7|8"},
      {"quote inside a name (张\"三) is text", "姓名,证件号码,金额\n张\"三,653,1\n李四,654,2\n",
       "1:姓名|证件号码|金额;2:张\"三|653|1;3:李四|654|2"},
      // Look-alikes that are sound: a quoted address over two lines, closed, with commas in it.
      {"quoted address over two lines", "姓名,地址,金额,备注\n张三,\"新疆,喀什\n疏附县\",100,无\n李四,乡,2,无\n",
       "1:姓名|地址|金额|备注;2:张三|新疆,喀什\\n疏附县|100|无;4:李四|乡|2|无"},
      {"quoted address over three lines, crlf", "a,b,c,d\r\n1,\"x,y\r\nz\r\nw\",3,4\r\n5,6,7,8\r\n",
       "1:a|b|c|d;2:1|x,y\\r\\nz\\r\\nw|3|4;5:5|6|7|8"},
      {"quoted cell over two lines ends the file", "a,b,c,d\n1,2,3,\"x\ny\"", "1:a|b|c|d;2:1|2|3|x\\ny"},
      {"cut utf-8 at end", "a,\xE5\xBC", "", "encoding_invalid", "第 1 行"},
  };
  return cases;
}

TEST(CsvReaderTest, TableOfInputsAtEveryChunkSize) {
  for (const CsvCase& c : Cases()) {
    for (size_t chunk : kChunkSizes) {
      Outcome got = ReadCsv(c.input, {}, chunk);
      EXPECT_EQ(got.rows, c.want_rows) << c.name << " chunk " << chunk;
      EXPECT_EQ(got.error_kind, c.want_error) << c.name << " chunk " << chunk;
      EXPECT_NE(got.error_message.find(c.want_in_message), std::string::npos)
          << c.name << " chunk " << chunk << ": " << got.error_message;
    }
  }
}

// A quoted cell running on for more lines than any address is taken for a stray quote, even in
// a table too narrow for its lines to look like rows: the rest of the file is not one cell.
TEST(CsvReaderTest, AQuoteRunningOverManyLinesIsAStrayOne) {
  std::string text = "a,b\n1,\"x\n";
  for (int i = 0; i < 2 * kMaxQuotedLines; ++i) text += "y" + std::to_string(i) + "\n";
  text += "end\",z\n";  // a quote that would close the cell, had it not been let go
  for (size_t chunk : {size_t{7}, kCsvChunkSize}) {
    CsvReader reader(MakeStringSource(text), "test.csv", {}, chunk);
    ASSERT_TRUE(reader.Start().ok());
    TableRow row;
    std::vector<std::string> got;
    while (*reader.Next(&row)) got.push_back(Render(row));
    ASSERT_EQ(got.size(), 3u + 2 * kMaxQuotedLines) << chunk;
    EXPECT_EQ(got[1], "2?1:1|\"x");
    EXPECT_EQ(got[2], "3:y0");
    EXPECT_EQ(got.back(), std::to_string(3 + 2 * kMaxQuotedLines) + ":end\"|z");
  }
  // A cell over a few lines is not.
  Outcome short_cell = ReadCsv("a,b\n1,\"x\ny\nz\"\n2,w\n");
  EXPECT_EQ(short_cell.rows, "1:a|b;2:1|x\\ny\\nz;5:2|w");
}

TEST(CsvReaderTest, ErrorMessagesNameTheFile) {
  Outcome got = ReadCsv("a\n\xE5\xBC");
  EXPECT_NE(got.error_message.find("test.csv"), std::string::npos) << got.error_message;
}

TEST(CsvReaderTest, TabDelimiter) {
  TableOptions options;
  options.delimiter = '\t';
  EXPECT_EQ(ReadCsv("a\tb,c\n\"x\ty\"\t2\n", options).rows, "1:a|b,c;2:x\ty|2");
}

const char kText[] = "序号,姓名,证件号码\r\n1,张三,\"地址,含逗号\"\r\n2,阿卜杜拉·艾买提,\"多\n行\"\r\n3,𠀀,x\r\n";
const char kTextRows[] = "1:序号|姓名|证件号码;2:1|张三|地址,含逗号;3:2|阿卜杜拉·艾买提|多\\n行;5:3|𠀀|x";

TEST(CsvReaderTest, GbkIsDetected) {
  std::string gbk = *Utf8ToGbk(kText);
  Outcome got = ReadCsv(gbk);
  EXPECT_EQ(got.encoding, Encoding::kGbk);
  EXPECT_EQ(got.rows, kTextRows);
  EXPECT_EQ(got.error_kind, "");
}

TEST(CsvReaderTest, Utf8IsDetected) {
  Outcome got = ReadCsv(kText);
  EXPECT_EQ(got.encoding, Encoding::kUtf8);
  EXPECT_EQ(got.rows, kTextRows);
}

TEST(CsvReaderTest, GbkAcrossChunkBoundaries) {
  std::string gbk = *Utf8ToGbk(kText);
  TableOptions options;
  options.encoding = Encoding::kGbk;
  for (size_t chunk : kChunkSizes) {
    Outcome got = ReadCsv(gbk, options, chunk);
    EXPECT_EQ(got.rows, kTextRows) << chunk;
    EXPECT_EQ(got.error_kind, "") << chunk;
  }
}

TEST(CsvReaderTest, GbkBytesReadAsUtf8Fail) {
  std::string bytes = "a,b\n" + *Utf8ToGbk("张三,1\n");
  TableOptions options;
  options.encoding = Encoding::kUtf8;
  for (size_t chunk : kChunkSizes) {
    Outcome got = ReadCsv(bytes, options, chunk);
    EXPECT_EQ(got.rows, "1:a|b") << chunk;
    EXPECT_EQ(got.error_kind, "encoding_invalid") << chunk;
    EXPECT_NE(got.error_message.find("第 2 行"), std::string::npos) << got.error_message;
    EXPECT_NE(got.error_message.find("utf-8"), std::string::npos) << got.error_message;
  }
}

TEST(CsvReaderTest, InvalidGbkFailsOnItsLine) {
  std::string bytes = *Utf8ToGbk("序号,姓名\n1,张三\n2,") + "\x81\x20" + "\n";
  for (size_t chunk : kChunkSizes) {
    TableOptions options;
    options.encoding = Encoding::kGbk;
    Outcome got = ReadCsv(bytes, options, chunk);
    EXPECT_EQ(got.rows, "1:序号|姓名;2:1|张三") << chunk;
    EXPECT_EQ(got.error_kind, "encoding_invalid") << chunk;
    EXPECT_NE(got.error_message.find("第 3 行"), std::string::npos) << got.error_message;
    EXPECT_NE(got.error_message.find("UTF-8"), std::string::npos) << "advice is to save as UTF-8, not to use gbk";
    EXPECT_EQ(got.error_message.find("指定为 gbk"), std::string::npos) << got.error_message;
  }
}

// A line pasted in the other encoding: the file is read in the encoding most of it is in, and
// the line (and cell) at fault is named, at every chunk size.
TEST(CsvReaderTest, MixedEncodingsFailOnTheLineAtFault) {
  struct Case {
    std::string name;
    std::string bytes;
    std::string want_rows, want_in_message;
  };
  const std::string gbk_name = *Utf8ToGbk("吐尔逊·阿卜杜拉");
  const std::vector<Case> cases = {
      {"utf-8 file, gbk cell", "证件号码,姓名,参保状态\n1,阿不都,参保\n2," + gbk_name + ",参保\n3,张三,参保\n",
       "1:证件号码|姓名|参保状态;2:1|阿不都|参保", "第 3 行 B 列含有既不是 UTF-8 也不是 GBK 的文字"},
      {"utf-8 file, gbk row start", "证件号码,姓名\n1,阿不都\n" + gbk_name + ",2\n", "1:证件号码|姓名;2:1|阿不都",
       "第 3 行 A 列"},
      {"gbk file, utf-8 cell", *Utf8ToGbk("证件号码,姓名,参保状态\n1,阿不都,参保\n") + "2,吐尔逊·阿卜杜拉,参保\n",
       "1:证件号码|姓名|参保状态;2:1|阿不都|参保", "第 3 行 B 列"},
  };
  for (const Case& c : cases) {
    for (size_t chunk : kChunkSizes) {
      Outcome got = ReadCsv(c.bytes, {}, chunk);
      EXPECT_EQ(got.error_kind, "encoding_invalid") << c.name << " chunk " << chunk;
      if (chunk < 64) continue;  // detection sees only the first chunk: too short to tell
      EXPECT_EQ(got.rows, c.want_rows) << c.name << " chunk " << chunk;
      EXPECT_NE(got.error_message.find(c.want_in_message), std::string::npos)
          << c.name << " chunk " << chunk << ": " << got.error_message;
    }
  }
}

TEST(CsvReaderTest, Utf8ReadAsGbkSaysItIsUtf8) {
  TableOptions options;
  options.encoding = Encoding::kGbk;
  // 张 is E5 BC A0 in UTF-8: E5 BC pairs as GBK, A0 before the line feed does not.
  Outcome got = ReadCsv("a,b\n1,张\n", options);
  EXPECT_EQ(got.error_kind, "encoding_invalid");
  EXPECT_NE(got.error_message.find("UTF-8"), std::string::npos) << got.error_message;
  EXPECT_NE(got.error_message.find("--encoding gbk"), std::string::npos) << got.error_message;
}

TEST(CsvReaderTest, ReusesCellStrings) {
  CsvReader reader(MakeStringSource("a long first cell value,another long second cell\nx,y\n"),
                   "t.csv", {});
  ASSERT_TRUE(reader.Start().ok());
  TableRow row;
  ASSERT_TRUE(*reader.Next(&row));
  const char* first = row.cells[0].data();
  const char* second = row.cells[1].data();
  ASSERT_TRUE(*reader.Next(&row));
  EXPECT_EQ(row.cells[0], "x");
  EXPECT_EQ(row.cells[0].data(), first);
  EXPECT_EQ(row.cells[1].data(), second);
}

// Makes a CSV of `rows` ten-column rows on the fly, so the test holds none of it.
class GeneratedSource final : public ByteSource {
 public:
  explicit GeneratedSource(int rows) : rows_(rows) {}

  StatusOr<size_t> Read(char* buffer, size_t n) override {
    size_t written = 0;
    while (written < n) {
      if (offset_ == line_.size() && !NextLine()) break;
      size_t count = std::min(n - written, line_.size() - offset_);
      std::memcpy(buffer + written, line_.data() + offset_, count);
      offset_ += count;
      written += count;
    }
    return written;
  }
  uint64_t Size() const override { return 0; }

 private:
  bool NextLine() {
    if (made_ == rows_) return false;
    ++made_;
    line_ = std::to_string(made_) + ",张三,65322119900101" + std::to_string(1000 + made_ % 9000) +
            ",\"乌鲁木齐市, 天山区\",2025-03-05,1234.50,男,户主,\"备注 \"\"重要\"\"\",X\r\n";
    offset_ = 0;
    return true;
  }

  int rows_;
  int made_ = 0;
  std::string line_;
  size_t offset_ = 0;
};

TEST(CsvReaderTest, StreamsWithBoundedBuffers) {
  constexpr int kRows = 200000;
  constexpr size_t kChunk = 64 * 1024;
  CsvReader reader(std::make_unique<GeneratedSource>(kRows), "big.csv", {}, kChunk);
  ASSERT_TRUE(reader.Start().ok());
  TableRow row;
  int rows = 0;
  size_t capacity_after_first = 0;
  while (*reader.Next(&row)) {
    ++rows;
    ASSERT_EQ(row.cells.size(), 10u);
    if (rows == 1) capacity_after_first = reader.BufferCapacity();
  }
  EXPECT_EQ(rows, kRows);
  EXPECT_EQ(row.line, kRows);
  EXPECT_EQ(row.cells[3], "乌鲁木齐市, 天山区");
  EXPECT_EQ(row.cells[8], "备注 \"重要\"");
  EXPECT_EQ(reader.BufferCapacity(), capacity_after_first);
  EXPECT_LE(reader.BufferCapacity(), 2 * kChunk);
}

TEST(CsvReaderTest, GbkStreamsWithBoundedBuffers) {
  std::string block;
  for (int i = 0; i < 20000; ++i) block += std::to_string(i) + ",张三,\"天山区, 某村\"\n";
  std::string gbk = *Utf8ToGbk(block);
  TableOptions options;
  options.encoding = Encoding::kGbk;
  CsvReader reader(MakeStringSource(gbk), "big.csv", options, 4096);
  ASSERT_TRUE(reader.Start().ok());
  TableRow row;
  int rows = 0;
  size_t capacity_after_first = 0;
  while (*reader.Next(&row)) {
    if (++rows == 1) capacity_after_first = reader.BufferCapacity();
  }
  EXPECT_EQ(rows, 20000);
  EXPECT_EQ(reader.BufferCapacity(), capacity_after_first);
  EXPECT_EQ(row.cells[2], "天山区, 某村");
  EXPECT_LE(reader.BufferCapacity(), 4 * 4096u);
  EXPECT_EQ(reader.BytesRead(), gbk.size());
}

}  // namespace
}  // namespace hearth
