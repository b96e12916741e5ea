// Actor identities (actor.h): one person, one identity, however the name is typed.
#include "common/actor.h"

#include <gtest/gtest.h>

namespace oppgjor::common {
namespace {

std::string id_of(std::string_view name) {
  auto a = normalise_actor(name);
  EXPECT_TRUE(a.ok()) << name;
  return a.ok() ? a->str() : std::string();
}

TEST(Actor, CaseAndBlanksDoNotMakeAnotherPerson) {
  EXPECT_EQ(id_of("saksbehandler.a"), "saksbehandler.a");
  EXPECT_EQ(id_of("SAKSBEHANDLER.A"), "saksbehandler.a");
  EXPECT_EQ(id_of("  Saksbehandler.A \t"), "saksbehandler.a");
  EXPECT_EQ(id_of("ÆRLIG.ØSTBY.ÅSEN"), "ærlig.østby.åsen");
  EXPECT_EQ(id_of("Émile"), "émile");
  EXPECT_EQ(id_of("a×b"), "a×b");  // × is not a letter
}

TEST(Actor, RefusesWhatIsNoName) {
  for (const std::string& bad :
       {std::string(""), std::string("   "), std::string("a\x1b]0;x\x07"), std::string("a\nb"),
        std::string("a\x7f"), std::string("a\xc2\x9b"), std::string("\xff"),
        std::string("15108695088"), std::string("user12345678901"), std::string(129, 'a')}) {
    auto a = normalise_actor(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.error().code, actor_invalid);
    EXPECT_EQ(a.error().message.find("15108695088"), std::string::npos);
  }
  EXPECT_TRUE(normalise_actor(std::string(128, 'a')).ok());
  EXPECT_TRUE(normalise_actor("bruker1234567890123").ok());  // 19 digits: not an id
}

TEST(Actor, NamesFromOlderLogsAreFoldedTheSameWay) {
  EXPECT_TRUE(same_actor("saksbehandler.a", "SAKSBEHANDLER.A "));
  EXPECT_TRUE(actor_from_log(" Leder.B") == *normalise_actor("leder.b"));
  EXPECT_FALSE(same_actor("saksbehandler.a", "saksbehandler.b"));
}

}  // namespace
}  // namespace oppgjor::common
