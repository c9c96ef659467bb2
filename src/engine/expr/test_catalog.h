// A catalog of household features for the tests of this folder.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "core/messages.h"
#include "engine/expr/expr.h"

namespace hearth::expr::testing {

//! Tests whose assertions quote messages: Chinese, the default language, before and after.
class ZhMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLanguage(Lang::kZh); }
  void TearDown() override { SetLanguage(Lang::kZh); }
};

//! An expression with the one problem it must report: where, and part of what it says.
struct ProblemCase {
  std::string_view text;
  int offset;
  int length;
  std::string_view message_part;
};

//! Columns: is_tuopin (bool, 0), income_pc_12m (money, 1), income_pc_prev_12m (money, 2),
//! medical_selfpay_12m (money, 3), income_prev_12m (money, 4), has_assistance (bool, 5),
//! disaster_loss_12m (money, 6), members (number scale 0, 7), ratio (number scale 3, 8),
//! trigger.medical_selfpay (money, 9). Constants: line = 6000.00 yuan, factor = 1.5,
//! strict = true, trig_x = 100.00 yuan.
inline Catalog HouseholdCatalog() {
  Catalog c;
  c.AddColumn("is_tuopin", Type::kBool, 0, 0);
  c.AddColumn("income_pc_12m", Type::kMoney, 2, 1);
  c.AddColumn("income_pc_prev_12m", Type::kMoney, 2, 2);
  c.AddColumn("medical_selfpay_12m", Type::kMoney, 2, 3);
  c.AddColumn("income_prev_12m", Type::kMoney, 2, 4);
  c.AddColumn("has_assistance", Type::kBool, 0, 5);
  c.AddColumn("disaster_loss_12m", Type::kMoney, 2, 6);
  c.AddColumn("members", Type::kNumber, 0, 7);
  c.AddColumn("ratio", Type::kNumber, 3, 8);
  c.AddColumn("trigger.medical_selfpay", Type::kMoney, 2, 9);
  c.AddConstant("line", Type::kMoney, 600000, 2);
  c.AddConstant("factor", Type::kNumber, 15, 1);
  c.AddConstant("strict", Type::kBool, 1, 0);
  c.AddConstant("trig_x", Type::kMoney, 10000, 2);
  return c;
}

}  // namespace hearth::expr::testing
