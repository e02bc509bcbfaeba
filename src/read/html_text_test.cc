#include "read/html_text.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

HtmlContent Extract(std::string_view html) {
  HtmlExtractor extractor;
  HtmlContent content;
  EXPECT_TRUE(extractor.Extract(html, &content));
  return content;
}

constexpr std::string_view kPage = R"(<!DOCTYPE html>
<html><head>
<title>Counteroffensive
  reaches the river</title>
<meta property="og:title" content="OG headline">
<meta property="article:published_time" content="2023-06-14T08:30:00+03:00">
<meta property="og:url" content="https://example.org/news/river">
<link rel="canonical" href="https://example.org/canonical/river">
<style>p { color: red; }</style>
<script>var tracking = "do not read me";</script>
</head>
<body>
<header class="site"><a href="/">Example News</a> <span>Menu</span></header>
<nav><ul><li>World</li><li>Politics</li></ul></nav>
<article>
  <header><h1>Counteroffensive reaches the river</h1><p>By A. Writer</p></header>
  <p>Ukrainian units   advanced
     near the village on Tuesday.</p>
  <p>The ministry said <b>three</b> <i>bridges</i> were damaged.<br>Another line.</p>
  <blockquote>We will hold, a commander said.</blockquote>
  <ul><li>First point</li><li>Second point</li></ul>
  <figure><img src="x.jpg" alt="not visible"><figcaption>A caption.</figcaption></figure>
  <form><button>Subscribe</button><input name="q"></form>
  <noscript>Enable scripts</noscript>
  <svg><title>icon</title><text>svg text</text></svg>
  <div hidden>hidden text</div>
  <div aria-hidden="true">aria hidden text</div>
  <div style="display: none">styled away</div>
</article>
<aside>Related: other stories</aside>
<footer>Copyright Example</footer>
</body></html>)";

TEST(ReaderHtml, VisibleTextAsLines) {
  const HtmlContent content = Extract(kPage);
  EXPECT_EQ(content.text,
            "Counteroffensive reaches the river\n"
            "By A. Writer\n"
            "Ukrainian units advanced near the village on Tuesday.\n"
            "The ministry said three bridges were damaged.\n"
            "Another line.\n"
            "We will hold, a commander said.\n"
            "First point\n"
            "Second point\n"
            "A caption.");
}

TEST(ReaderHtml, Metadata) {
  const HtmlContent content = Extract(kPage);
  ASSERT_TRUE(content.title.has_value());
  EXPECT_EQ(*content.title, "Counteroffensive reaches the river");
  ASSERT_TRUE(content.published.has_value());
  EXPECT_EQ(*content.published, (CivilDate{2023, 6, 14}));
  EXPECT_EQ(content.url, "https://example.org/news/river");
}

TEST(ReaderHtml, TitleFallbacks) {
  EXPECT_EQ(Extract("<html><head><meta property=\"og:title\" content=\"From  OG\"></head>"
                    "<body><h1>From H1</h1></body></html>")
                .title.value_or(""),
            "From OG");
  EXPECT_EQ(Extract("<html><body><div><h1>From <em>the</em> H1</h1><p>Text.</p></div></body></html>")
                .title.value_or(""),
            "From the H1");
  EXPECT_FALSE(Extract("<html><body><p>No title at all.</p></body></html>").title.has_value());
}

TEST(ReaderHtml, CanonicalUrlWhenNoOgUrl) {
  EXPECT_EQ(Extract("<html><head><link rel=\"Canonical\" href=\" https://example.org/a \">"
                    "</head><body><p>x</p></body></html>")
                .url,
            "https://example.org/a");
}

TEST(ReaderHtml, PublishedSources) {
  EXPECT_EQ(Extract("<html><head><meta name=\"date\" content=\"2022-03-01\"></head>"
                    "<body><p>x</p><time datetime=\"2021-01-01\">then</time></body></html>")
                .published,
            (CivilDate{2022, 3, 1}));
  EXPECT_EQ(Extract("<html><body><p>Filed <time datetime=\"2022-09-10T12:00\">Sept 10</time>"
                    "</p></body></html>")
                .published,
            (CivilDate{2022, 9, 10}));
  EXPECT_EQ(Extract("<html><head><script type=\"application/ld+json\">"
                    "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebPage\"},"
                    "{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-02-24T06:00:00Z\"}]}"
                    "</script></head><body><time datetime=\"2020-01-01\">old</time></body></html>")
                .published,
            (CivilDate{2024, 2, 24}));
  // Not ISO: ignored rather than guessed.
  EXPECT_FALSE(Extract("<html><head><meta name=\"date\" content=\"June 5, 2023\"></head>"
                       "<body><p>x</p></body></html>")
                   .published.has_value());
}

TEST(ReaderHtml, WhitespaceAndInlineElements) {
  EXPECT_EQ(Extract("<p>Kharkiv<span>-</span>based &amp; <b>well</b>known&nbsp;unit</p>").text,
            "Kharkiv-based & wellknown unit");
  EXPECT_EQ(Extract("<div>one<div>two</div>three</div>").text, "one\ntwo\nthree");
  EXPECT_EQ(Extract("<p>a</p>\n\n\n<p>b</p><br><br><p>c</p>").text, "a\nb\nc");
  EXPECT_EQ(Extract("<table><tr><td>Bakhmut</td><td>held</td></tr><tr><td>Avdiivka</td>"
                    "<td>lost</td></tr></table>")
                .text,
            "Bakhmut held\nAvdiivka lost");
}

TEST(ReaderHtml, Preformatted) {
  EXPECT_EQ(Extract("<pre>line one\n  line two</pre><p>after</p>").text,
            "line one\n  line two\nafter");
}

TEST(ReaderHtml, PageHeaderDroppedArticleHeaderKept) {
  EXPECT_EQ(Extract("<body><header>Site name</header><main><header>Story head</header>"
                    "<p>Body.</p></main></body>")
                .text,
            "Story head\nBody.");
  EXPECT_EQ(Extract("<body><div role=\"navigation\">Menu</div><p>Body.</p></body>").text, "Body.");
}

TEST(ReaderHtml, BrokenMarkupRecovers) {
  const HtmlContent content = Extract("<p>Unclosed paragraph <b>bold<p>Second <div>third");
  EXPECT_EQ(content.text, "Unclosed paragraph bold\nSecond\nthird");
}

TEST(ReaderHtml, ReusableExtractor) {
  HtmlExtractor extractor;
  HtmlContent content;
  ASSERT_TRUE(extractor.Extract("<title>First</title><p>one</p>", &content));
  EXPECT_EQ(content.title.value_or(""), "First");
  ASSERT_TRUE(extractor.Extract("<p>two</p>", &content));
  EXPECT_EQ(content.text, "two");
  EXPECT_FALSE(content.title.has_value());
}

}  // namespace
}  // namespace sitrep
