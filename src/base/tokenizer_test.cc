#include "base/tokenizer.h"

#include <gtest/gtest.h>

#include "base/fold.h"
#include "base/phrase_trie.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

std::vector<std::string> Folded(std::string_view text) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(text, 0, folded, tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(folded.substr(t.fold_begin, t.fold_len));
  return out;
}

TEST(Fold, LowersAndDropsAccentsAndApostrophes) {
  EXPECT_EQ(Fold("Luk'yantsi"), "lukyantsi");
  EXPECT_EQ(Fold("Luk’yantsi"), "lukyantsi");
  EXPECT_EQ(Fold("Kyïv"), "kyiv");
  EXPECT_EQ(Fold("Łódź"), "lodz");
  EXPECT_EQ(Fold("Костянтинівка"), "костянтинівка");
  EXPECT_EQ(Fold("Київ"), "киів") << "ї folds to Cyrillic і";
}

TEST(Fold, PhraseSplitsHyphensAndPossessives) {
  EXPECT_EQ(FoldPhrase("Kleban-Byk"), "kleban byk");
  EXPECT_EQ(FoldPhrase("Kharkiv’s"), "kharkiv 's");
  EXPECT_EQ(FoldPhrase("  Siverskyi   Donets "), "siverskyi donets");
}

TEST(Tokenizer, PossessiveAfterOneStraySpaceIsStillPossessive) {
  EXPECT_EQ(Folded("surrendered to Ukraine ’s brigade"),
            (std::vector<std::string>{"surrendered", "to", "ukraine", "'s", "brigade"}));
  EXPECT_EQ(Folded("the boys ’ socks"),
            (std::vector<std::string>{"the", "boys", "'", "socks"}));
}

TEST(Tokenizer, NumbersKeepSeparatorsAndOrdinalsStayWords) {
  EXPECT_EQ(Folded("17,800 troops, 21.7 miles, the 93rd Brigade in the 1990s"),
            (std::vector<std::string>{"17,800", "troops", ",", "21.7", "miles", ",", "the",
                                      "93rd", "brigade", "in", "the", "1990s"}));
  double v = 0;
  EXPECT_TRUE(ParseNumberToken("17,800", &v));
  EXPECT_DOUBLE_EQ(v, 17800);
  EXPECT_TRUE(ParseNumberToken("21.7", &v));
  EXPECT_DOUBLE_EQ(v, 21.7);
  EXPECT_FALSE(ParseNumberToken("93rd", &v));
}

TEST(Tokenizer, AbbreviationsAndQuotes) {
  EXPECT_EQ(Folded("the U.S. said “no”"),
            (std::vector<std::string>{"the", "u.s.", "said", "\"", "no", "\""}));
}

TEST(Tokenizer, FlagsCapitalisationAndHyphens) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize("NATO and pro-Russian Separatists", 10, folded, tokens);
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_TRUE(tokens[0].Is(kTokAllCaps));
  EXPECT_FALSE(tokens[1].Is(kTokCapitalized));
  EXPECT_TRUE(tokens[3].Is(kTokHyphenBefore));
  EXPECT_TRUE(tokens[4].Is(kTokCapitalized));
  EXPECT_EQ(tokens[0].span.begin, 10u);
}

TEST(PhraseTrie, LongestMatchAndWildcard) {
  PhraseTrie trie;
  trie.Add("pull back", 1);
  trie.Add("pulled back", 2);
  trie.Add("pulled * back", 3);
  trie.Add("Siverskyi Donets", 4);
  trie.Add("Siverskyi Donets River", 5);
  std::string folded;
  std::vector<Token> tokens;
  Tokenize("Troops pulled forces back to the Siverskyi Donets River.", 0, folded, tokens);
  const auto matches = trie.LongestMatches(tokens, 0, static_cast<uint32_t>(tokens.size()));
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ((*matches[0].payloads)[0], 3u);
  EXPECT_EQ(matches[0].end - matches[0].begin, 3u);
  EXPECT_EQ((*matches[1].payloads)[0], 5u);
}

TEST(Tsv, ExpandsBraces) {
  EXPECT_EQ(ExpandBraces("{pull,pulled} {back,out}"),
            (std::vector<std::string>{"pull back", "pulled back", "pull out", "pulled out"}));
  EXPECT_EQ(ExpandBraces("drone{,s}"), (std::vector<std::string>{"drone", "drones"}));
}

TEST(Tsv, ParsesHeaderCommentsAndReportsBadRows) {
  std::string error;
  auto t = TsvTable::Parse("# comment\nword\tclass\nGen.\ttitle\n\nNov.\tmonth\n", "x.tsv", &error);
  ASSERT_TRUE(t.has_value()) << error;
  ASSERT_EQ(t->rows().size(), 2u);
  EXPECT_EQ(t->Get(t->rows()[1], "class"), "month");
  EXPECT_EQ(t->rows()[1].line, 5u);
  auto bad = TsvTable::Parse("a\tb\n1\t2\t3\n", "y.tsv", &error);
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(error, "y.tsv:2: 3 fields, the header has 2");
}

}  // namespace
}  // namespace sitrep
