#include "events/sqlite_util.h"

namespace oppgjor::events {

namespace {

bool is_busy(int rc) {
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

Error busy_error(sqlite3* db) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  return make_error("log_busy", "",
                    std::string("another process is writing to ") +
                        (file != nullptr && *file != '\0' ? file : "the log") + "; try again");
}

}  // namespace

Error sqlite_error(sqlite3* db, std::string_view what) {
  if (db != nullptr && is_busy(sqlite3_extended_errcode(db))) return busy_error(db);
  std::string msg(what);
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : "no database";
  return make_error("storage_error", "", std::move(msg));
}

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown";
    sqlite3_free(err);
    if (is_busy(rc)) return busy_error(db);
    return make_error("storage_error", "", std::string(sql).substr(0, 60) + ": " + msg);
  }
  return ok_status();
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
    bind_rc_ = o.bind_rc_;
    o.s_ = nullptr;
  }
  return *this;
}

Result<Stmt> Stmt::prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    return sqlite_error(db, std::string("prepare ") + sql);
  }
  return Stmt(s);
}

void Stmt::bind(int i, std::string_view v, bool stable) {
  check(sqlite3_bind_text64(s_, i, v.data(), v.size(), stable ? SQLITE_STATIC : SQLITE_TRANSIENT,
                            SQLITE_UTF8));
}

void Stmt::bind_blob(int i, std::string_view v) {
  check(sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT));
}

void Stmt::bind_blob_static(int i, std::string_view v) {
  check(sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC));
}

std::string_view Stmt::text_col(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i))};
}

std::optional<std::string> Stmt::opt_text_col(int i) const {
  if (is_null(i)) return std::nullopt;
  return std::string(text_col(i));
}

}  // namespace oppgjor::events
