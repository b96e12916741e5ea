#include "events/index_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace oppgjor::events {

namespace {

constexpr char index_magic[8] = {'O', 'P', 'P', 'G', 'J', 'I', 'D', 'X'};
constexpr std::uint32_t index_format = 1;
constexpr std::uint32_t byte_order_mark = 0x01020304;  // a file from another byte order fails
constexpr std::size_t hash_chars = 64;

struct FileHeader {
  char magic[8];
  std::uint32_t format;
  std::uint32_t byte_order;
  std::int64_t through;
  char hash[hash_chars];
  std::uint64_t id_slots, id_used, id_live;
  std::uint64_t stream_slots, stream_used, stream_live;
};
static_assert(std::is_trivially_copyable_v<FileHeader> && sizeof(FileHeader) % 8 == 0);
static_assert(std::is_trivially_copyable_v<IdSlot> && std::is_trivially_copyable_v<StreamSlot>);

// A private mapping of the whole file; unmapped when the last table running over it lets go.
struct Mapping {
  void* base = MAP_FAILED;
  std::size_t length = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (base != MAP_FAILED) munmap(base, length);
  }
};

bool usable_count(std::uint64_t slots, std::uint64_t used, std::uint64_t live) {
  return slots > 0 && std::has_single_bit(slots) && live <= used && used < slots;
}

Status write_all(int fd, const void* data, std::size_t size, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return make_error("storage_error", "", "write " + path + ": " + std::strerror(errno));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return ok_status();
}

}  // namespace

std::string index_file_path(std::string_view log_path) {
  return std::string(log_path) + ".index";
}

std::optional<IndexFileHead> map_index_file(const std::string& path, IdIndex& ids,
                                            StreamIndex& streams) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  FileHeader h{};
  const bool read = ::fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof h) &&
                    ::pread(fd, &h, sizeof h, 0) == static_cast<ssize_t>(sizeof h);
  if (!read || std::memcmp(h.magic, index_magic, sizeof index_magic) != 0 ||
      h.format != index_format || h.byte_order != byte_order_mark || h.through < 1 ||
      !usable_count(h.id_slots, h.id_used, h.id_live) ||
      !usable_count(h.stream_slots, h.stream_used, h.stream_live) ||
      static_cast<std::uint64_t>(st.st_size) !=
          sizeof h + h.id_slots * sizeof(IdSlot) + h.stream_slots * sizeof(StreamSlot)) {
    ::close(fd);
    return std::nullopt;
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->length = static_cast<std::size_t>(st.st_size);
  // Private: what the tables write (the rows appended by this process) never reaches the file.
  mapping->base = ::mmap(nullptr, mapping->length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping->base == MAP_FAILED) return std::nullopt;
  char* at = static_cast<char*>(mapping->base) + sizeof h;
  auto* id_slots = reinterpret_cast<IdSlot*>(at);
  auto* stream_slots = reinterpret_cast<StreamSlot*>(at + h.id_slots * sizeof(IdSlot));
  ids.table().adopt(mapping, {id_slots, static_cast<std::size_t>(h.id_slots)},
                    static_cast<std::size_t>(h.id_used), static_cast<std::size_t>(h.id_live));
  streams.adopt(mapping, {stream_slots, static_cast<std::size_t>(h.stream_slots)},
                static_cast<std::size_t>(h.stream_used), static_cast<std::size_t>(h.stream_live));
  return IndexFileHead{h.through, std::string(h.hash, strnlen(h.hash, hash_chars))};
}

Status write_index_file(const std::string& path, const IndexFileHead& head, const IdIndex& ids,
                        const StreamIndex& streams) {
  if (head.through < 1 || head.hash.size() > hash_chars || ids.table().slots().empty() ||
      streams.slots().empty()) {
    return make_error("index_file_invalid", "", "nothing to write to " + path);
  }
  FileHeader h{};
  std::memcpy(h.magic, index_magic, sizeof index_magic);
  h.format = index_format;
  h.byte_order = byte_order_mark;
  h.through = head.through;
  std::memcpy(h.hash, head.hash.data(), head.hash.size());
  h.id_slots = ids.table().slots().size();
  h.id_used = ids.table().used();
  h.id_live = ids.table().live();
  h.stream_slots = streams.slots().size();
  h.stream_used = streams.used();
  h.stream_live = streams.live();
  // Unique per writer, also for two logs of one process closing on two threads at once.
  static std::atomic<std::uint64_t> writes{0};
  const std::string tmp =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++writes);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error("storage_error", "", "create " + tmp + ": " + std::strerror(errno));
  }
  Status st = write_all(fd, &h, sizeof h, tmp);
  if (st.ok()) {
    st = write_all(fd, ids.table().slots().data(), ids.table().slots().size_bytes(), tmp);
  }
  if (st.ok()) st = write_all(fd, streams.slots().data(), streams.slots().size_bytes(), tmp);
  // Synced before the name points at it: after a crash the name is the old file or this one
  // whole, never a torn one.
  if (st.ok() && ::fsync(fd) != 0) {
    st = make_error("storage_error", "", "sync " + tmp + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = make_error("storage_error", "", "rename " + tmp + ": " + std::strerror(errno));
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

}  // namespace oppgjor::events
