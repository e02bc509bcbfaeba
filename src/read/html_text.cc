#include "read/html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <simdjson.h>

#include <climits>
#include <string>
#include <unordered_set>

namespace sitrep {
namespace {

// libxml2 options: recover from anything, stay quiet, never touch the network, keep the
// encoding we decoded to. Not HTML_PARSE_NOBLANKS: it drops the whitespace-only text
// between inline elements ("<b>a</b> <i>b</i>"), gluing words together.
constexpr int kParseOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                              HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;
// Deeper than any real page; guards the recursive walk against pathological input.
constexpr int kMaxDepth = 1000;
constexpr int kMaxJsonLdDepth = 16;

// Metadata sources, best first; a lower rank replaces a higher one.
enum class Rank : int {
  kMetaTag = 0,     // <meta property="article:published_time"> and friends
  kStructured = 1,  // JSON-LD, itemprop on <time>
  kVisibleTime = 2, // the first <time datetime> in the text
  kHiddenTime = 3,  // a <time datetime> inside dropped chrome
  kNone = 4,
};

bool Contains(const std::unordered_set<std::string_view>& set, std::string_view s) {
  return set.find(s) != set.end();
}

// Elements whose content a reader does not see, or that are page chrome.
const std::unordered_set<std::string_view>& DroppedElements() {
  static const std::unordered_set<std::string_view> kSet = {
      "script", "style", "noscript", "template", "svg",    "math",   "nav",   "footer",
      "aside",  "form",  "iframe",   "button",   "select", "option", "textarea", "object",
      "embed",  "canvas", "audio",   "video",    "head",   "title",  "dialog", "map"};
  return kSet;
}

const std::unordered_set<std::string_view>& BlockElements() {
  static const std::unordered_set<std::string_view> kSet = {
      "address", "article", "blockquote", "body",    "caption", "center",   "dd",     "details",
      "dir",     "div",     "dl",         "dt",      "fieldset", "figcaption", "figure", "h1",
      "h2",      "h3",      "h4",         "h5",      "h6",      "header",   "hgroup", "hr",
      "html",    "legend",  "li",         "main",    "menu",    "ol",       "p",      "pre",
      "section", "summary", "table",      "tbody",   "tfoot",   "thead",    "tr",     "ul",
      "footer",  "nav",     "aside",      "form",    "noscript", "listing", "plaintext", "xmp"};
  return kSet;
}

// ARIA roles of page chrome.
const std::unordered_set<std::string_view>& ChromeRoles() {
  static const std::unordered_set<std::string_view> kSet = {
      "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"};
  return kSet;
}

// <meta> names and properties that carry the publication date.
const std::unordered_set<std::string_view>& PublishedMetaNames() {
  static const std::unordered_set<std::string_view> kSet = {
      "article:published_time", "og:article:published_time", "og:published_time",
      "article:published",      "article.published",         "datepublished",
      "pubdate",                "publishdate",               "publish-date",
      "publish_date",           "published_time",            "publication_date",
      "date",                   "dc.date",                   "dc.date.issued",
      "dc.date.created",        "dcterms.date",              "dcterms.issued",
      "dcterms.created",        "sailthru.date",             "parsely-pub-date",
      "article_date_original",  "original-publish-date",     "citation_publication_date"};
  return kSet;
}

std::string_view Name(const xmlNode* node) {
  return node->name == nullptr ? std::string_view() : reinterpret_cast<const char*>(node->name);
}

// The value of an attribute, or nullopt when absent. The HTML parser stores each value
// as one text child.
std::optional<std::string_view> Attribute(const xmlNode* node, std::string_view name) {
  for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
    if (attr->name == nullptr || reinterpret_cast<const char*>(attr->name) != name) continue;
    if (attr->children == nullptr || attr->children->content == nullptr) return std::string_view();
    return std::string_view(reinterpret_cast<const char*>(attr->children->content));
  }
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Collapses every whitespace run (no-break spaces included) into one space and trims.
std::string Collapse(std::string_view s) {
  constexpr std::string_view kNbsp = "\xC2\xA0";
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool nbsp = s.substr(i, kNbsp.size()) == kNbsp;
    if (IsSpace(s[i]) || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(s[i]);
  }
  return out;
}

std::string NodeText(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return "";
  std::string text(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return text;
}

// Builds the visible text: whitespace collapsed as a browser does, block boundaries
// as single line breaks, no blank lines, no spaces at line ends.
class TextBuilder {
 public:
  explicit TextBuilder(std::string* out) : out_(out) {}

  void Break() { pending_break_ = true; }
  void Space() { pending_space_ = true; }

  void Append(std::string_view s, bool preformatted) {
    constexpr unsigned char kNbspLead = 0xC2;
    constexpr unsigned char kNbspTrail = 0xA0;
    size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (preformatted && (c == '\n' || c == '\r')) {
        if (c == '\n') NewLine();
        ++i;
        continue;
      }
      if (!preformatted && IsSpace(c)) {
        pending_space_ = true;
        ++i;
        continue;
      }
      if (static_cast<unsigned char>(c) == kNbspLead && i + 1 < s.size() &&
          static_cast<unsigned char>(s[i + 1]) == kNbspTrail) {
        // A no-break space lays out as a space; downstream tokenizers expect one.
        if (preformatted) {
          Flush();
          out_->push_back(' ');
        } else {
          pending_space_ = true;
        }
        i += 2;
        continue;
      }
      Flush();
      // Copy the run of ordinary characters at once.
      size_t j = i + 1;
      while (j < s.size() && !IsSpace(s[j]) && static_cast<unsigned char>(s[j]) != kNbspLead) ++j;
      out_->append(s.data() + i, j - i);
      i = j;
    }
  }

  // Ends the text: no trailing whitespace.
  void Finish() {
    while (!out_->empty() && (out_->back() == ' ' || out_->back() == '\n')) out_->pop_back();
  }

  size_t size() const { return out_->size(); }
  const std::string& text() const { return *out_; }

 private:
  void NewLine() {
    Flush();
    TrimLineEnd();
    out_->push_back('\n');
    pending_space_ = false;
  }

  void TrimLineEnd() {
    while (!out_->empty() && out_->back() == ' ') out_->pop_back();
  }

  void Flush() {
    if (pending_break_) {
      TrimLineEnd();
      if (!out_->empty() && out_->back() != '\n') out_->push_back('\n');
      pending_break_ = false;
      pending_space_ = false;
      return;
    }
    if (pending_space_) {
      if (!out_->empty() && out_->back() != '\n' && out_->back() != ' ') out_->push_back(' ');
      pending_space_ = false;
    }
  }

  std::string* out_;
  bool pending_break_ = false;
  bool pending_space_ = false;
};

struct Context {
  bool visible = true;
  bool in_article = false;  // inside <article> or <main>: a <header> there is the article's
  bool preformatted = false;
  bool in_svg = false;
};

}  // namespace

class HtmlExtractor::Impl {
 public:
  bool Extract(std::string_view html, HtmlContent* out) {
    *out = HtmlContent();
    if (html.size() > static_cast<size_t>(INT_MAX)) return false;
    htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                    kParseOptions);
    if (doc == nullptr) return false;
    Reset();
    TextBuilder builder(&out->text);
    builder_ = &builder;
    if (const xmlNode* root = xmlDocGetRootElement(doc)) {
      Element(root, Context(), 0);
    }
    builder.Finish();
    builder_ = nullptr;
    xmlFreeDoc(doc);

    if (!title_.empty()) {
      out->title = title_;
    } else if (!og_title_.empty()) {
      out->title = og_title_;
    } else if (!h1_.empty()) {
      out->title = h1_;
    }
    out->published = published_;
    out->url = !og_url_.empty() ? og_url_ : canonical_;
    return true;
  }

 private:
  void Reset() {
    title_.clear();
    og_title_.clear();
    h1_.clear();
    og_url_.clear();
    canonical_.clear();
    published_.reset();
    published_rank_ = Rank::kNone;
  }

  void OfferDate(std::string_view value, Rank rank) {
    if (rank >= published_rank_) return;
    const std::optional<CivilDate> date = ParseIsoDate(Trim(value));
    if (!date) return;
    published_ = date;
    published_rank_ = rank;
  }

  void Children(const xmlNode* node, const Context& ctx, int depth) {
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
        if (ctx.visible && child->content != nullptr) {
          builder_->Append(reinterpret_cast<const char*>(child->content), ctx.preformatted);
        }
      } else if (child->type == XML_ELEMENT_NODE) {
        Element(child, ctx, depth + 1);
      }
    }
  }

  // Whether an element and its content stay out of the text.
  static bool Dropped(std::string_view name, const xmlNode* node, const Context& ctx) {
    if (Contains(DroppedElements(), name)) return true;
    if (name == "header" && !ctx.in_article) return true;
    if (Attribute(node, "hidden")) return true;
    if (auto aria = Attribute(node, "aria-hidden"); aria && Lower(*aria) == "true") return true;
    if (auto role = Attribute(node, "role"); role && Contains(ChromeRoles(), Lower(*role))) {
      return !(ctx.in_article && Lower(*role) == "banner");
    }
    if (auto style = Attribute(node, "style")) {
      std::string compact;
      for (char c : Lower(*style)) {
        if (!IsSpace(c)) compact.push_back(c);
      }
      if (compact.find("display:none") != std::string::npos ||
          compact.find("visibility:hidden") != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  void Metadata(std::string_view name, const xmlNode* node, const Context& ctx) {
    if (name == "meta") {
      const auto content = Attribute(node, "content");
      if (!content) return;
      for (std::string_view key_attr : {"property", "name", "itemprop"}) {
        const auto key = Attribute(node, key_attr);
        if (!key) continue;
        const std::string lower = Lower(Trim(*key));
        if (lower == "og:title" && og_title_.empty()) og_title_ = Collapse(*content);
        if (lower == "og:url" && og_url_.empty()) og_url_ = std::string(Trim(*content));
        if (Contains(PublishedMetaNames(), lower)) OfferDate(*content, Rank::kMetaTag);
      }
      return;
    }
    if (name == "link") {
      const auto rel = Attribute(node, "rel");
      const auto href = Attribute(node, "href");
      if (rel && href && canonical_.empty() && Lower(Trim(*rel)) == "canonical") {
        canonical_ = std::string(Trim(*href));
      }
      return;
    }
    if (name == "title") {
      if (title_.empty() && !ctx.in_svg) title_ = Collapse(NodeText(node));
      return;
    }
    if (name == "time") {
      const auto datetime = Attribute(node, "datetime");
      if (!datetime) return;
      const auto itemprop = Attribute(node, "itemprop");
      const bool declared = (itemprop && Lower(*itemprop) == "datepublished") ||
                            Attribute(node, "pubdate").has_value();
      OfferDate(*datetime, declared ? Rank::kStructured
                                    : (ctx.visible ? Rank::kVisibleTime : Rank::kHiddenTime));
      return;
    }
    if (name == "script") {
      const auto type = Attribute(node, "type");
      if (type && Lower(*type).find("ld+json") != std::string::npos) JsonLd(NodeText(node));
    }
  }

  void JsonLd(const std::string& text) {
    if (published_rank_ <= Rank::kStructured) return;
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    if (json_.parse(padded).get(root) != simdjson::SUCCESS) return;
    FindDatePublished(root, 0);
  }

  void FindDatePublished(simdjson::dom::element element, int depth) {
    if (depth > kMaxJsonLdDepth || published_rank_ <= Rank::kStructured) return;
    simdjson::dom::object object;
    if (element.get(object) == simdjson::SUCCESS) {
      for (auto field : object) {
        std::string_view value;
        if (field.key == "datePublished" && field.value.get(value) == simdjson::SUCCESS) {
          OfferDate(value, Rank::kStructured);
          if (published_rank_ <= Rank::kStructured) return;
        } else {
          FindDatePublished(field.value, depth + 1);
        }
      }
      return;
    }
    simdjson::dom::array array;
    if (element.get(array) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : array) FindDatePublished(item, depth + 1);
    }
  }

  void Element(const xmlNode* node, const Context& parent, int depth) {
    if (depth > kMaxDepth) return;
    const std::string_view name = Name(node);
    Metadata(name, node, parent);
    Context ctx = parent;
    if (ctx.visible && Dropped(name, node, parent)) ctx.visible = false;
    if (name == "article" || name == "main") ctx.in_article = true;
    if (name == "pre" || name == "listing" || name == "plaintext" || name == "xmp") {
      ctx.preformatted = true;
    }
    if (name == "svg") ctx.in_svg = true;
    if (!ctx.visible) {
      // Dropped chrome can still hold metadata (JSON-LD lives in <script>).
      Children(node, ctx, depth);
      return;
    }
    if (name == "br") {
      builder_->Break();
      return;
    }
    const bool block = Contains(BlockElements(), name);
    const bool cell = name == "td" || name == "th";
    if (block) builder_->Break();
    if (cell) builder_->Space();
    const size_t start = builder_->size();
    Children(node, ctx, depth);
    if (name == "h1" && h1_.empty()) h1_ = Collapse(builder_->text().substr(start));
    if (block) builder_->Break();
    if (cell) builder_->Space();
  }

  TextBuilder* builder_ = nullptr;
  simdjson::dom::parser json_;
  std::string title_;
  std::string og_title_;
  std::string h1_;
  std::string og_url_;
  std::string canonical_;
  std::optional<CivilDate> published_;
  Rank published_rank_ = Rank::kNone;
};

HtmlExtractor::HtmlExtractor() : impl_(std::make_unique<Impl>()) { xmlInitParser(); }

HtmlExtractor::~HtmlExtractor() = default;

bool HtmlExtractor::Extract(std::string_view html, HtmlContent* out) {
  return impl_->Extract(html, out);
}

}  // namespace sitrep
