// ReadAhead gives what the reader it wraps gives: the same rows in the same order, the same
// error after the same rows, and it can be let go of midway.
#include "ingest/read_ahead.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/testing/temp_dir.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

// Every row as "line:cell|cell", then "!kind" when reading stopped on an error.
std::string ReadAll(TableReader& reader) {
  std::string out;
  TableRow row;
  while (true) {
    StatusOr<bool> more = reader.Next(&row);
    if (!more.ok()) return out + "!" + more.status().kind();
    if (!*more) return out;
    out += std::to_string(row.line) + ":";
    for (const std::string& cell : row.cells) out += cell + "|";
    out += "\n";
  }
}

class ReadAheadTest : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    fs::path path = tmp_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Rows(int n) {
    std::string text = "证件号码,姓名\n";
    for (int i = 0; i < n; ++i) text += std::to_string(653221198001020000LL + i) + ",姓名" + std::to_string(i) + "\n";
    return text;
  }
  hearth::testing::ScopedTempDir tmp_{"hearth_read_ahead_test"};
};

TEST_F(ReadAheadTest, GivesTheRowsAndErrorsOfTheReaderItWraps) {
  struct Case {
    std::string name;
    std::string text;
    size_t batch_rows;
    size_t batches = 3;
  };
  const Case cases[] = {
      {"empty", "", 512},
      {"header only", Rows(0), 512},
      {"one row", Rows(1), 512},
      {"one batch less one", Rows(510), 512},
      {"one batch exactly", Rows(511), 512},
      {"one batch and one", Rows(512), 512},
      {"several batches", Rows(1600), 512},
      {"a row a batch", Rows(7), 1},
      {"two batches of one row", Rows(9), 1, 2},
      {"the default", Rows(9000), 1024, 8},
      {"an error after rows", Rows(700) + "1,\"open\nmore\n", 512},
      {"an error at a batch's end", Rows(511) + "\"open", 512},
      {"an error first", "\"open", 512},
      {"bad bytes midway", Rows(600) + "653221,\xff\xfe\n" + Rows(3), 512},
  };
  for (const Case& c : cases) {
    fs::path path = Write("t.csv", c.text);
    auto plain = OpenTable(path, {});
    ASSERT_TRUE(plain.ok()) << c.name;
    const std::string expected = ReadAll(**plain);
    auto inner = OpenTable(path, {});
    ASSERT_TRUE(inner.ok()) << c.name;
    std::unique_ptr<TableReader> ahead = ReadAhead(std::move(*inner), c.batch_rows, c.batches);
    EXPECT_EQ(ReadAll(*ahead), expected) << c.name;
    EXPECT_EQ(ahead->format(), "csv");
    TableRow row;
    StatusOr<bool> again = ahead->Next(&row);  // at the end it stays there
    if (expected.find('!') == std::string::npos) {
      ASSERT_TRUE(again.ok()) << c.name;
      EXPECT_FALSE(*again) << c.name;
      EXPECT_EQ(ahead->BytesRead(), ahead->TotalBytes()) << c.name;
    } else {
      EXPECT_FALSE(again.ok()) << c.name;
    }
  }
}

TEST_F(ReadAheadTest, CanBeLetGoOfMidway) {
  fs::path path = Write("big.csv", Rows(20000));
  for (int read : {0, 1, 3, 600}) {
    auto inner = OpenTable(path, {});
    ASSERT_TRUE(inner.ok());
    std::unique_ptr<TableReader> ahead = ReadAhead(std::move(*inner), 64);
    TableRow row;
    for (int i = 0; i < read; ++i) ASSERT_TRUE(*ahead->Next(&row));
    if (read > 0) {
      EXPECT_EQ(row.line, read) << "the header is line 1";
    }
    ahead.reset();  // joins the reading thread wherever it is
  }
}

}  // namespace
}  // namespace hearth
