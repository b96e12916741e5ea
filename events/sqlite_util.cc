#include "events/sqlite_util.h"

namespace oppgjor::events {

Error sqlite_error(sqlite3* db, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : "no database";
  return make_error("storage_error", "", std::move(msg));
}

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown";
    sqlite3_free(err);
    return make_error("storage_error", "", std::string(sql).substr(0, 60) + ": " + msg);
  }
  return ok_status();
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
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
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()),
                    stable ? SQLITE_STATIC : SQLITE_TRANSIENT);
}

void Stmt::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
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
