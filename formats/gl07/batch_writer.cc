#include "formats/gl07/batch_writer.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

#include "common/money.h"
#include "formats/gl07/errors.h"
#include "formats/gl07/field_text.h"

namespace oppgjor::formats::gl07 {

namespace {

namespace ec = error_code;

std::string voucher_label(std::int64_t voucher_no) {
  return "voucher " + std::to_string(voucher_no);
}

bool period_ok(std::int32_t yyyymm) {
  const std::int32_t year = yyyymm / 100;
  const std::int32_t month = yyyymm % 100;
  return year >= 1900 && year <= 9999 && month >= 1 && month <= 12;
}

std::string date_digits(const common::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year(), d.month(), d.day());
  return buf;
}

std::optional<std::string_view> text_value(std::string_view name, const Batch& b,
                                           const Transaction& t) {
  if (name == "batch_id") return b.batch_id;
  if (name == "interface") return b.interface;
  if (name == "voucher_type") return b.voucher_type;
  if (name == "client") return b.client;
  if (name == "trans_type") return t.trans_type;
  if (name == "account") return t.account;
  if (name == "tax_code") return t.tax_code;
  if (name == "currency") return t.currency;
  if (name == "description") return t.text;
  if (name.size() == 5 && name.substr(0, 4) == "dim_" && name[4] >= '1' && name[4] <= '7') {
    return t.dimensions[static_cast<std::size_t>(name[4] - '1')];
  }
  return std::nullopt;
}

std::optional<std::int64_t> number_value(std::string_view name, const Transaction& t) {
  if (name == "amount" || name == "cur_amount") return t.amount_ore;
  if (name == "dc_flag") return t.amount_ore < 0 ? -1 : 1;
  if (name == "voucher_no") return t.voucher_no;
  return std::nullopt;
}

Result<std::string> field_value(const FieldSpec& f, const Batch& b, const Transaction& t,
                                Encoding encoding) {
  const std::string where = voucher_label(t.voucher_no) + ": " + f.name;
  switch (f.type) {
    case FieldType::text:
      if (auto v = text_value(f.name, b, t)) return format_text(*v, f, encoding, where);
      break;
    case FieldType::number:
      if (auto v = number_value(f.name, t)) return format_number(*v, f, where);
      break;
    case FieldType::date:
      if (f.name == "voucher_date" || f.name == "trans_date") {
        return format_fixed(date_digits(t.voucher_date), f, where);
      }
      break;
    case FieldType::period:
      if (f.name == "period") return format_fixed(std::to_string(t.period_yyyymm), f, where);
      break;
  }
  return blank(f);
}

Result<std::string> record(const Batch& b, const Transaction& t, const Layout& layout,
                           const std::vector<const FieldSpec*>& by_start) {
  std::string out;
  std::size_t column = 1;  // next column to write, in characters
  for (const FieldSpec* f : by_start) {
    out.append(f->start - column, ' ');
    auto value = field_value(*f, b, t, layout.encoding);
    if (!value) return value.error();
    out += *value;
    column = f->start + f->length;
  }
  out.append(layout.record_length + 1 - column, ' ');
  out += layout.line_end;
  return out;
}

struct VoucherSum {
  std::int64_t sum_ore = 0;
  const Transaction* first = nullptr;
};

}  // namespace

Status check_vouchers(const Batch& batch) {
  if (batch.transactions.empty()) {
    return make_error(ec::no_transactions, "transactions", "a batch needs transactions");
  }
  if (batch.transactions.size() > transactions_max) {
    return make_error(ec::too_many_transactions, "transactions", "more than transactions_max");
  }
  std::map<std::int64_t, VoucherSum> vouchers;  // ordered: reports the lowest voucher first
  for (const Transaction& t : batch.transactions) {
    const std::string label = voucher_label(t.voucher_no);
    if (t.voucher_no <= 0) return make_error(ec::voucher_no_invalid, label, "must be > 0");
    if (!period_ok(t.period_yyyymm)) {
      return make_error(ec::period_invalid, label, "period must be YYYYMM");
    }
    if (t.amount_ore < -amount_ore_max || t.amount_ore > amount_ore_max) {
      return make_error(ec::amount_out_of_range, label + ": amount", "beyond amount_ore_max");
    }
    VoucherSum& v = vouchers[t.voucher_no];
    if (v.first == nullptr) v.first = &t;
    if (t.voucher_date != v.first->voucher_date || t.period_yyyymm != v.first->period_yyyymm) {
      return make_error(ec::voucher_inconsistent, label,
                        "transactions of one voucher share voucher date and period");
    }
    v.sum_ore += t.amount_ore;  // ≤ transactions_max × amount_ore_max = 1e18: fits
  }
  for (const auto& [voucher_no, v] : vouchers) {
    if (v.sum_ore != 0) {
      return make_error(
          ec::voucher_unbalanced, voucher_label(voucher_no),
          "debits and credits differ by " + common::ore_to_string(v.sum_ore) + " NOK");
    }
  }
  return ok_status();
}

Result<std::string> write_batch(const Batch& batch, const Layout& layout) {
  if (auto s = check_vouchers(batch); !s) return s.error();
  std::vector<const FieldSpec*> by_start;
  for (const FieldSpec& f : layout.fields) by_start.push_back(&f);
  std::sort(by_start.begin(), by_start.end(),
            [](const FieldSpec* a, const FieldSpec* b) { return a->start < b->start; });
  std::string out;
  for (const Transaction& t : batch.transactions) {
    auto r = record(batch, t, layout, by_start);
    if (!r) return r.error();
    out += *r;
  }
  return out;
}

}  // namespace oppgjor::formats::gl07
