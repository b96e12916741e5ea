#include "sample/sample_generator.h"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/date.h"
#include "events/canonical_json.h"

namespace oppgjor::sample {

namespace {

std::uint64_t next(std::uint64_t& s) {  // splitmix64
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
int uniform(std::uint64_t& s, int lo, int hi) {  // inclusive
  return lo + static_cast<int>(next(s) % static_cast<std::uint64_t>(hi - lo + 1));
}

std::string uuid(std::uint64_t& s) {
  const std::uint64_t a = next(s);
  const std::uint64_t b = next(s);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

constexpr std::array<const char*, 15> districts = {
    "bydel_alna",   "bydel_bjerke",        "bydel_frogner",     "bydel_gamle_oslo",
    "bydel_grorud", "bydel_grunerlokka",   "bydel_nordre_aker", "bydel_nordstrand",
    "bydel_sagene", "bydel_st_hanshaugen", "bydel_stovner",     "bydel_sondre_nordstrand",
    "bydel_ullern", "bydel_vestre_aker",   "bydel_ostensjo"};
constexpr std::array<const char*, 12> given = {"Ola",    "Kari",  "Nora",  "Jakob", "Emma", "Lukas",
                                               "Ingrid", "Aksel", "Sofie", "Filip", "Maja", "Olav"};
constexpr std::array<const char*, 10> family = {"Hansen",   "Johansen", "Olsen",  "Larsen",
                                                "Andersen", "Pedersen", "Nilsen", "Kristiansen",
                                                "Jensen",   "Karlsen"};
constexpr std::array<const char*, 8> streets = {
    "Thorvald Meyers gate", "Bogstadveien", "Trondheimsveien", "Kirkeveien",
    "Ekebergveien",         "Tvetenveien",  "Sognsveien",      "Lambertseterveien"};
constexpr const char* month_names[] = {"januar",    "februar", "mars",     "april",
                                       "mai",       "juni",    "juli",     "august",
                                       "september", "oktober", "november", "desember"};

struct Writer {
  const std::function<void(std::string_view)>& emit;
  SampleStats stats;
  std::uint64_t rng;
  std::string last_line;

  void line(const std::string& l) {
    ++stats.lines;
    stats.bytes += static_cast<std::int64_t>(l.size());
    last_line = l;
    emit(l);
  }
};

// Builds an envelope line. `payload` must be a JSON object (any key order).
std::string envelope(std::uint64_t& rng, std::string_view type, std::string_view stream,
                     std::string_view occurred_at, std::string_view source,
                     const std::string& payload, int schema_version = 1) {
  std::string out = "{\"event_id\":\"" + uuid(rng) + "\",\"type\":\"";
  out += type;
  out += "\",\"schema_version\":" + std::to_string(schema_version) + ",\"stream\":\"";
  out += stream;
  out += "\",\"occurred_at\":\"";
  out += occurred_at;
  out += "\",\"source\":\"";
  out += source;
  out += "\",\"payload\":" + payload + "}";
  return out;
}

std::string q(std::string_view s) {
  std::string out;
  events::append_json_string(s, out);
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

std::string customer_id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "C%07d", i + 1);
  return buf;
}

std::string address_json(std::uint64_t& rng) {
  return "{\"street\":" +
         q(std::string(streets[next(rng) % streets.size()]) + " " +
           std::to_string(uniform(rng, 1, 120))) +
         ",\"postal_code\":\"0" + std::to_string(uniform(rng, 150, 990)) + "\",\"city\":\"OSLO\"}";
}

void rule_parameters(Writer& w, int year) {
  struct P {
    const char* name;
    const char* value;
    const char* unit;
    const char* from;
    const char* source;
  };
  const std::string y = std::to_string(year);
  const P params[] = {
      {"collection.inkassosats_nok", "700", "nok", "2017-01-01", "inkassoforskriften § 1-1"},
      {"collection.reminder_fee_nok", "35", "nok", "2017-01-01", "inkassoforskriften § 1-2"},
      {"invoicing.payment_terms_days", "14", "days", "2020-01-01", "Oslo kommune betalingsvilkår"},
  };
  for (const auto& p : params) {
    const std::string payload = "{\"parameter\":" + q(p.name) + ",\"value\":" + q(p.value) +
                                ",\"unit\":" + q(p.unit) + ",\"effective_from\":" + q(p.from) +
                                ",\"rule_version\":\"" + y + ".1\",\"source\":" + q(p.source) + "}";
    w.line(envelope(w.rng, "rules.parameter_set", std::string("rules/") + p.name,
                    std::string(p.from), "oppgjor.rules", payload));
  }
}

struct Customer {
  std::string id;
  bool person = true;
  const char* district = "";
  bool resident = false;
};

Customer register_customer(Writer& w, int i, int year, int residents_pct) {
  Customer c;
  c.id = customer_id(i);
  c.person = next(w.rng) % 20 != 0;  // 5 % organisations
  c.district = districts[next(w.rng) % districts.size()];
  c.resident = c.person && uniform(w.rng, 1, 100) <= residents_pct;
  std::string payload = "{\"customer_id\":" + q(c.id);
  if (c.person) {
    const int birth = c.resident ? uniform(w.rng, 1930, 1950) : uniform(w.rng, 1955, 1998);
    payload += ",\"kind\":\"person\",\"national_id\":" + q(synthetic_national_id(w.rng, birth)) +
               ",\"name\":" +
               q(std::string(given[next(w.rng) % given.size()]) + " " +
                 family[next(w.rng) % family.size()]);
  } else {
    payload += ",\"kind\":\"organisation\",\"organisation_number\":" +
               q(synthetic_organisation_number(w.rng)) +
               ",\"name\":" + q(std::string(family[next(w.rng) % family.size()]) + " Eiendom AS");
  }
  payload += ",\"address\":" + address_json(w.rng) + ",\"district\":" + q(c.district) +
             ",\"preferred_channel\":" + q(c.person ? "efaktura" : "ehf") + "}";
  const std::string day = std::to_string(year - 1) + "-12-" + std::to_string(10 + i % 18);
  w.line(envelope(w.rng, "customers.customer_registered", "customer/" + c.id, day,
                  "folkeregister_sync", payload));
  return c;
}

// A nursing-home resident: a long-term stay from before the year, provisional income for the
// year, and (later in the file) the final tax assessment, a little different from it.
void resident_events(Writer& w, const Customer& c, int year) {
  const std::string y = std::to_string(year);
  const std::string stream = "resident/" + c.id;
  const std::int64_t pension = 180000 + static_cast<std::int64_t>(next(w.rng) % 220000);
  const std::int64_t tax = pension * (12 + static_cast<std::int64_t>(next(w.rng) % 8)) / 100;
  w.line(envelope(
      w.rng, "care_fees.stay_started", stream, std::to_string(year - 1) + "-11-01", "care_records",
      "{\"customer_id\":" + q(c.id) + ",\"stay_id\":" + q("OPPH-" + c.id.substr(1)) +
          ",\"kind\":\"long_term\",\"institution_id\":\"SYKEHJEM-" + upper(c.district + 6) +
          "\",\"institution_type\":\"nursing_home\",\"admission_date\":\"" +
          std::to_string(year - 1) +
          "-11-01\",\"from_home\":true,\"double_room_against_wish\":false,"
          "\"district\":" +
          q(c.district) + "}"));
  w.line(envelope(w.rng, "care_fees.income_reported", stream, y + "-01-05", "nav_pension",
                  "{\"customer_id\":" + q(c.id) + ",\"income_year\":" + y +
                      ",\"status\":\"provisional\",\"source\":\"nav\","
                      "\"items\":[{\"kind\":\"pension\",\"amount\":\"" +
                      std::to_string(pension) +
                      ".00\",\"joint\":false}],\"deductions\":[{"
                      "\"kind\":\"tax\",\"amount\":\"" +
                      std::to_string(tax) + ".00\"}]}"));
}

void final_assessment(Writer& w, const Customer& c, int year, int index) {
  const std::string y = std::to_string(year);
  const std::int64_t pension = 170000 + static_cast<std::int64_t>(next(w.rng) % 240000);
  const std::int64_t tax = pension * 15 / 100;
  const std::int64_t interest = index % 3 == 0 ? 2400 : 0;
  w.line(envelope(w.rng, "care_fees.income_reported", "resident/" + c.id,
                  std::to_string(year + 1) + "-06-20", "tax_authority",
                  "{\"customer_id\":" + q(c.id) + ",\"income_year\":" + y +
                      ",\"status\":\"final\",\"source\":\"tax_assessment\",\"items\":[{"
                      "\"kind\":\"pension\",\"amount\":\"" +
                      std::to_string(pension) +
                      ".00\",\"joint\":false},{\"kind\":\"interest\",\"amount\":\"" +
                      std::to_string(interest) +
                      ".00\",\"joint\":false}],\"deductions\":[{\"kind\":\"tax\",\"amount\":\"" +
                      std::to_string(tax) + ".00\"}]}"));
}

struct Product {
  const char* claim_type;
  const char* code;
  const char* name;
  const char* short_name;  // the compact form's vare.navn
  const char* art;
  const char* funksjon;
  std::int64_t price_ore;
  const char* source;
  const char* prefix;
};

constexpr Product products[] = {
    {"kindergarten", "BHG_HEL", "Foreldrebetaling, hel plass", "Hel plass", "16000", "201", 170000,
     "kindergarten_admin", "BHG"},
    {"after_school", "AKS_HEL", "Aktivitetsskolen, heltid", "AKS heltid", "16000", "215", 129000,
     "aks_admin", "AKS"},
    {"home_care", "HJT_PRAKT", "Praktisk bistand", "Praktisk bistand", "16500", "254", 21500,
     "care_records", "HJT"},
    {"municipal_fees", "VA_ABON", "Vann og avløp, abonnement", "VA abonnement", "16300", "350",
     287500, "property_fees", "KOM"},
};

void invoice_basis(Writer& w, const Customer& c, const Product& p, int year, int month,
                   std::int64_t seq, bool compact) {
  const int last = common::Date::days_in_month(year, static_cast<unsigned>(month));
  char from[16], to[16], order[40];
  std::snprintf(from, sizeof from, "%04d-%02d-01", year, month);
  std::snprintf(to, sizeof to, "%04d-%02d-%02d", year, month, last);
  std::snprintf(order, sizeof order, "%s-%04d-%02d-%06lld", p.prefix, year, month,
                static_cast<long long>(seq));
  const std::int64_t amount = p.price_ore;
  const std::string a = std::to_string(amount);
  std::string payload =
      std::string("{\"ordrenummer\":") + q(order) + ",\"customer_id\":" + q(c.id) +
      ",\"fakturautsteder\":" + q(std::string(p.prefix) + "_" + upper(c.district + 6)) +
      ",\"claim_type\":" + q(p.claim_type);
  if (!compact) payload += ",\"leveringsdato\":" + q(to);
  payload += ",\"period\":{\"from\":" + q(from) + ",\"to\":" + q(to) +
             "},\"fakturalinjer\":[{\"vare\":{\"kode\":" + q(p.code) +
             ",\"navn\":" + q(compact ? p.short_name : p.name) +
             ",\"kontering\":{\"art\":" + q(p.art) + ",\"funksjon\":" + q(p.funksjon) +
             ",\"ansvar\":\"OK_01\"}},\"antall\":\"1\",\"pris_ore\":" + a + ",\"mva_kode\":\"0\"";
  if (!compact) {
    payload += ",\"fritekst\":[" +
               q(std::string(p.name) + " " + month_names[month - 1] + " " + std::to_string(year)) +
               "]";
  }
  payload += "}],\"nettobelop_ore\":" + a + ",\"avgiftsbelop_ore\":0,\"totalbelop_ore\":" + a + "}";
  w.line(envelope(w.rng, "invoicing.invoice_basis_received", "customer/" + c.id, to, p.source,
                  payload));
}

void closed_days(Writer& w, int year, int month) {
  const int last = common::Date::days_in_month(year, static_cast<unsigned>(month));
  for (int d = 1; d <= last; ++d) {
    const auto date =
        common::Date::ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(d));
    if (!common::is_business_day(date)) continue;
    const std::string iso = date.to_iso();
    w.line(envelope(w.rng, "calendar.day_closed", "calendar/business", iso, "oppgjor.scheduler",
                    "{\"date\":" + q(iso) + ",\"calendar\":\"business\"}"));
  }
}

void faults(Writer& w, const std::vector<Customer>& customers, int year) {
  const std::string first = w.last_line;
  const std::string& cid = customers.front().id;
  const std::string y = std::to_string(year);
  auto bad = [&](const std::string& l) {
    w.line(l);
    ++w.stats.faulty_lines;
  };
  // malformed_json: cut short.
  bad(envelope(w.rng, "customers.customer_changed", "customer/" + cid, y + "-06-01", "crm", "{")
          .substr(0, 90));
  // invalid_utf8.
  bad(envelope(w.rng, "customers.customer_changed", "customer/" + cid, y + "-06-01", "crm",
               "{\"customer_id\":" + q(cid) + ",\"name\":\"Bj\xf8rn\",\"reason\":\"navn\"}"));
  // invalid_identifier: a fødselsnummer with a wrong check digit.
  bad(envelope(w.rng, "customers.customer_registered", "customer/C9999901", y + "-06-01",
               "folkeregister_sync",
               "{\"customer_id\":\"C9999901\",\"kind\":\"person\",\"national_id\":\"15108695077\","
               "\"name\":\"Feil Nummer\",\"address\":{\"street\":\"Gate 1\",\"postal_code\":"
               "\"0150\",\"city\":\"OSLO\"}}"));
  // unknown_type and unknown_version.
  bad(envelope(w.rng, "invoicing.invoice_basis_recieved", "customer/" + cid, y + "-06-01",
               "kindergarten_admin", "{}"));
  bad(envelope(w.rng, "calendar.day_closed", "calendar/business", y + "-06-02", "oppgjor.scheduler",
               "{\"date\":\"" + y + "-06-02\"}", 9));
  // schema_violation: an amount as a JSON number, not a decimal string / øre integer.
  bad(envelope(w.rng, "rules.parameter_set", "rules/collection.inkassosats_nok", y + "-01-01",
               "oppgjor.rules",
               "{\"parameter\":\"collection.inkassosats_nok\",\"value\":700,\"unit\":\"nok\","
               "\"effective_from\":\"" +
                   y + "-01-01\",\"rule_version\":\"x\",\"source\":\"x\"}"));
  // stale_version: claims to be the first event of a stream that already has one.
  std::string stale =
      envelope(w.rng, "customers.customer_changed", "customer/" + cid, y + "-06-03", "crm",
               "{\"customer_id\":" + q(cid) +
                   ",\"email\":\"ny@example.no\","
                   "\"reason\":\"ny e-post\"}");
  stale.insert(stale.find(",\"occurred_at\""), ",\"stream_version\":1");
  bad(stale);
  // too_large.
  bad(envelope(w.rng, "customers.customer_changed", "customer/" + cid, y + "-06-04", "crm",
               "{\"customer_id\":" + q(cid) + ",\"name\":\"" + std::string(300 * 1024, 'x') +
                   "\",\"reason\":\"x\"}"));
  // id_conflict: the first event's id with other content.
  std::string conflict = first;
  conflict.replace(conflict.find("\"occurred_at\":\"") + 15, 4, "1999");
  bad(conflict);
  // An exact resend: accepted as a duplicate, not refused.
  w.line(first);
  ++w.stats.duplicate_lines;
}

}  // namespace

std::string synthetic_national_id(std::uint64_t& state, int birth_year) {
  static constexpr int w1[] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
  static constexpr int w2[] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
  for (;;) {
    const int month = uniform(state, 1, 12);
    const int day =
        uniform(state, 1, common::Date::days_in_month(birth_year, static_cast<unsigned>(month)));
    const int individ = birth_year < 2000 ? uniform(state, 0, 499) : uniform(state, 500, 999);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d%03d", day, month, birth_year % 100, individ);
    int d[11];
    for (int i = 0; i < 9; ++i) d[i] = buf[i] - '0';
    int s = 0;
    for (int i = 0; i < 9; ++i) s += w1[i] * d[i];
    d[9] = (11 - s % 11) % 11;
    if (d[9] == 10) continue;
    s = 0;
    for (int i = 0; i < 10; ++i) s += w2[i] * d[i];
    d[10] = (11 - s % 11) % 11;
    if (d[10] == 10) continue;
    std::string out(buf, 9);
    out += static_cast<char>('0' + d[9]);
    out += static_cast<char>('0' + d[10]);
    return out;
  }
}

std::string synthetic_organisation_number(std::uint64_t& state) {
  static constexpr int w[] = {3, 2, 7, 6, 5, 4, 3, 2};
  for (;;) {
    std::string body = std::to_string(uniform(state, 8, 9));
    for (int i = 0; i < 7; ++i) body += static_cast<char>('0' + uniform(state, 0, 9));
    int s = 0;
    for (int i = 0; i < 8; ++i) s += w[i] * (body[static_cast<std::size_t>(i)] - '0');
    const int check = (11 - s % 11) % 11;
    if (check == 10) continue;
    return body + static_cast<char>('0' + check);
  }
}

SampleStats generate_sample(const SampleOptions& o,
                            const std::function<void(std::string_view line)>& emit) {
  Writer w{emit, {}, o.seed, {}};
  rule_parameters(w, o.year);
  std::vector<Customer> customers;
  customers.reserve(static_cast<std::size_t>(o.customers));
  for (int i = 0; i < o.customers; ++i) {
    customers.push_back(register_customer(w, i, o.year, o.residents_pct));
    if (customers.back().resident) resident_events(w, customers.back(), o.year);
  }
  std::int64_t order_seq = 0;
  for (int month = 1; month <= 12; ++month) {
    for (std::size_t i = 0; i < customers.size(); ++i) {
      const auto& c = customers[i];
      if (c.resident) continue;  // nursing-home residents are billed by the care-fee service
      const Product& p = c.person ? products[i % 3] : products[3];
      if (!c.person && month % 3 != 1) continue;  // municipal fees: four terms a year
      invoice_basis(w, c, p, o.year, month, ++order_seq, o.compact);
      if (next(w.rng) % 100 == 0) {  // about 1 % move each month
        w.line(envelope(
            w.rng, "customers.customer_changed", "customer/" + c.id,
            std::to_string(o.year) + "-" + (month < 10 ? "0" : "") + std::to_string(month) + "-15",
            "folkeregister_sync",
            "{\"customer_id\":" + q(c.id) + ",\"address\":" + address_json(w.rng) +
                ",\"reason\":\"flytting\"}"));
      }
    }
    closed_days(w, o.year, month);
  }
  if (o.final_assessments) {
    int index = 0;
    for (const auto& c : customers) {
      if (c.resident) final_assessment(w, c, o.year, index++);
    }
  }
  if (o.faults && !customers.empty()) faults(w, customers, o.year);
  return w.stats;
}

}  // namespace oppgjor::sample
