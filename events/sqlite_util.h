// Thin RAII helpers over the SQLite C API, shared by the event log and the replay store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace oppgjor::events {

// An operating error from SQLite: code "storage_error", message with SQLite's text.
Error sqlite_error(sqlite3* db, std::string_view what);

Status exec(sqlite3* db, const char* sql);

class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : s_(o.s_), bind_rc_(o.bind_rc_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt() { sqlite3_finalize(s_); }

  static Result<Stmt> prepare(sqlite3* db, const char* sql);

  // Binding positions start at 1. Text is bound SQLITE_TRANSIENT unless `stable` (the caller
  // guarantees the bytes outlive the step).
  // A failed bind (out of range, too big, out of memory) is remembered and returned by the next
  // step(), so it cannot be lost.
  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(s_, i, v)); }
  void bind(int i, std::string_view v, bool stable = false);
  void bind(int i, const std::string& v, bool stable = false) {
    bind(i, std::string_view(v), stable);
  }
  void bind_blob(int i, std::string_view v);
  // Binds without a copy: REQUIRES v's bytes live until the statement is stepped and reset.
  void bind_blob_static(int i, std::string_view v);
  void bind_null(int i) { check(sqlite3_bind_null(s_, i)); }
  void bind(int i, const std::optional<std::string>& v) {
    if (v) {
      bind(i, std::string_view(*v));
    } else {
      bind_null(i);
    }
  }

  // SQLITE_ROW, SQLITE_DONE or an error code (also the first failed bind since the last reset).
  int step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(s_); }
  // Makes the statement ready to run again. The result of the last step is what step()
  // returned; sqlite3_reset only repeats it, so it is not looked at here.
  void reset() {
    (void)sqlite3_reset(s_);
    (void)sqlite3_clear_bindings(s_);  // always SQLITE_OK
    bind_rc_ = SQLITE_OK;
  }

  std::int64_t int_col(int i) const { return sqlite3_column_int64(s_, i); }
  std::string_view text_col(int i) const;
  std::optional<std::string> opt_text_col(int i) const;
  bool is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  sqlite3_stmt* get() { return s_; }

 private:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  void check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* s_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

}  // namespace oppgjor::events
