"""Realistic news pages for the extraction benchmark, with the true article text beside each.

Each page is what a news site serves: inline CSS and scripts (analytics, JSON-LD,
a framework's state blob), a cookie banner, a header with a long navigation, a
breaking-news ticker, ads, share buttons, the article (~800 words, a lead,
subheads, a pull quote, an image caption, "Read more" links), "Related" and
"Most read" lists, a newsletter box, comments and a fat footer. Four layouts
(semantic HTML5, div soup, a WordPress-like theme, a right-to-left Arabic site)
in three variants each. Deterministic: ``python bench/support/news_pages.py``
rewrites bench/pages/ identically.

The truth file (``<name>.txt``) is the article's headline and paragraphs only;
byline, caption and pull quote are left out of it (an extractor may keep them
or not without penalty: see ``score`` in bench/extraction.py).
"""

import json
import random
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "pages"

EN_SUBJECTS = [
    "The harbour authority",
    "The city council",
    "A spokesperson for the ministry",
    "Local traders",
    "The opposition leader",
    "Engineers at the port",
    "Residents of the old quarter",
    "The finance committee",
    "Health officials",
    "The union representing dock workers",
    "Independent auditors",
    "The regional governor",
]
EN_VERBS = [
    "said on Tuesday that",
    "confirmed in a statement that",
    "warned that",
    "told reporters that",
    "argued during the meeting that",
    "wrote in a letter to the council that",
    "announced that",
]
EN_CLAIMS = [
    "the new cranes would arrive before the end of the year",
    "the budget for the bridge repairs had doubled since the first estimate",
    "more than 400 families had been affected by the flooding in the spring",
    "the decision would be reviewed after the summer recess",
    "the contract had been awarded without a public tender",
    "the number of container ships calling at the port had fallen by a third",
    "the school would reopen in September after months of delays",
    "the water supply in the eastern districts was safe to drink again",
    "a second inquiry into the accident would begin next month",
    "the fares on the harbour ferry would rise by ten per cent in January",
    "the old warehouse could be turned into affordable housing",
    "it was too early to say how many jobs would be lost",
]
EN_TAILS = [
    "",
    " The figures were published in a report that was seen by this newspaper.",
    " Critics say the plan does not go far enough.",
    " It is not clear who will pay for the work.",
    " The council is expected to vote on the proposal next week.",
    " Officials did not respond to a request for comment.",
]
AR_SENTENCES = [
    "قالت هيئة الميناء يوم الثلاثاء إن الرافعات الجديدة ستصل قبل نهاية العام.",
    "وأكد متحدث باسم الوزارة في بيان أن ميزانية إصلاح الجسر تضاعفت منذ التقدير الأول.",
    "وحذر زعيم المعارضة من أن القرار سيؤثر على أكثر من أربعمئة عائلة في الأحياء الشرقية.",
    "وأضاف المهندسون أن عدد السفن التي ترسو في الميناء انخفض بمقدار الثلث خلال العامين الماضيين.",
    "وقال سكان الحي القديم للصحفيين إنهم ينتظرون منذ سنوات إعادة فتح المدرسة.",
    "ومن المتوقع أن يصوت المجلس البلدي على المقترح في الأسبوع المقبل بعد نقاش طويل.",
    "وأشار التقرير الذي اطلعت عليه الصحيفة إلى أن العقد منح دون مناقصة عامة.",
    "ولم يرد المسؤولون على طلب للتعليق حتى وقت نشر هذا التقرير.",
    "ويقول المنتقدون إن الخطة لا تذهب بعيدا بما فيه الكفاية لحماية العمال.",
    "وأوضحت لجنة المالية أن تكلفة المشروع ستوزع على ثلاث سنوات.",
    "وذكر مسؤولو الصحة أن مياه الشرب في المناطق الشرقية أصبحت آمنة مرة أخرى.",
    "وسيبدأ تحقيق ثان في الحادث الشهر المقبل بحسب ما أعلنته السلطات.",
    "وأعرب التجار المحليون عن أملهم في أن تعيد حركة الحاويات الوظائف التي فقدت.",
    "وقال الحاكم الإقليمي إن من السابق لأوانه تحديد عدد الوظائف التي ستفقد.",
]
EN_HEADLINES = [
    "Storm closes the coast road for a second day",
    "Council votes to raise parking fees",
    "Ferry fares to rise in January",
    "Old warehouse to become housing",
    "Inquiry into crane accident opens",
    "School reopens after months of delay",
    "Water safe to drink again, officials say",
    "Bridge repair costs double",
    "Port traffic falls by a third",
    "Union threatens strike over contracts",
    "Budget row deepens at city hall",
    "New cranes on their way",
]
AR_HEADLINES = [
    "العاصفة تغلق الطريق الساحلي لليوم الثاني",
    "المجلس يصوت على رفع رسوم المواقف",
    "ارتفاع أسعار العبارة في يناير",
    "تحويل المستودع القديم إلى مساكن",
    "فتح تحقيق في حادث الرافعة",
    "إعادة فتح المدرسة بعد تأخير",
    "المياه آمنة للشرب مجددا",
    "تكلفة إصلاح الجسر تتضاعف",
    "تراجع حركة الميناء بمقدار الثلث",
    "النقابة تهدد بالإضراب",
    "خلاف الميزانية يتعمق",
    "الرافعات الجديدة في الطريق",
]


def en_paragraph(rng: random.Random, short: bool = False) -> str:
    sentences = []
    for _ in range(1 if short else rng.randint(3, 4)):
        sentences.append(
            f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_CLAIMS)}.{rng.choice(EN_TAILS)}"
        )
    return " ".join(sentences)


def ar_paragraph(rng: random.Random, short: bool = False) -> str:
    return " ".join(rng.sample(AR_SENTENCES, 1 if short else rng.randint(3, 5)))


def _comment(rng: random.Random, arabic: bool) -> str:
    """A reader's comment or a teaser's summary: sentences much like an article's, which is what makes them hard."""
    if arabic:
        return " ".join(rng.sample(AR_SENTENCES, 2))
    return (
        f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_CLAIMS)}? I doubt it.{rng.choice(EN_TAILS)}"
    )


def article(rng: random.Random, arabic: bool, short: bool, words: int = 800) -> tuple[str, list[str]]:
    """A headline and paragraphs adding up to about ``words`` words (one sentence each if ``short``, as on many news sites)."""
    headline = rng.choice(AR_HEADLINES if arabic else EN_HEADLINES)
    paragraphs, count = [], 0
    while count < words:
        paragraph = ar_paragraph(rng, short) if arabic else en_paragraph(rng, short)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return headline, paragraphs


def script_blob(rng: random.Random, kilobytes: int) -> str:
    """A framework's state blob and analytics, as big as real pages carry inline."""
    state = {
        "items": [
            {"id": i, "slug": f"story-{rng.randrange(10**6)}", "score": rng.random()} for i in range(kilobytes * 12)
        ]
    }
    return (
        "<script>window.__STATE__=" + json.dumps(state) + ";</script>\n"
        "<script>(function(w,d){var s=d.createElement('script');s.async=1;s.src='https://ads.example/tag.js';"
        "d.head.appendChild(s);w.dataLayer=w.dataLayer||[];w.dataLayer.push({event:'pageview'});})(window,document);</script>\n"
    )


def css(rng: random.Random, rules: int) -> str:
    return (
        "<style>"
        + "".join(f".c{i}{{margin:{rng.randint(0, 20)}px;color:#{rng.randrange(16**6):06x}}}" for i in range(rules))
        + "</style>"
    )


def link_list(items: list[str], cls: str) -> str:
    return (
        f'<ul class="{cls}">' + "".join(f'<li><a href="/{i}">{text}</a></li>' for i, text in enumerate(items)) + "</ul>"
    )


def boilerplate(rng: random.Random, arabic: bool) -> dict[str, str]:
    heads = AR_HEADLINES if arabic else EN_HEADLINES
    sections = (
        ["أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة", "رأي", "تكنولوجيا", "صحة"]
        if arabic
        else [
            "News",
            "Politics",
            "Business",
            "Sport",
            "Culture",
            "Opinion",
            "Technology",
            "Health",
            "Weather",
            "Travel",
        ]
    )
    cookie = (
        "نستخدم ملفات تعريف الارتباط لتحسين تجربتك. بمتابعة التصفح فإنك توافق على ذلك."
        if arabic
        else "We use cookies and similar technologies to improve your experience, show you personalised ads and "
        "measure our audience. By clicking Accept all you agree to this. You can change your choices at any time."
    )
    return {
        "cookie": f'<div id="cookie-consent" class="consent-banner"><p>{cookie}</p><button>Accept all</button><button>Manage</button></div>',
        "nav": "<nav>" + link_list(sections * 3, "menu") + "</nav>",
        "ticker": '<div class="ticker"><strong>'
        + ("عاجل" if arabic else "Breaking")
        + "</strong> "
        + rng.choice(heads)
        + "</div>",
        "ad": '<div class="ad-slot"><span>'
        + ("إعلان" if arabic else "Advertisement")
        + '</span><iframe src="https://ads.example/1"></iframe></div>',
        "share": '<div class="share">'
        + ("شارك" if arabic else "Share this article")
        + ' <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a></div>',
        "related": '<section class="related"><h2>'
        + ("اقرأ أيضا" if arabic else "Related stories")
        + "</h2>"
        + "".join(
            f'<div class="teaser"><a href="/r{i}"><h3>{h}</h3></a><p>{_comment(rng, arabic)}</p></div>'
            for i, h in enumerate(rng.sample(heads, 4))
        )
        + "</section>",
        "most_read": '<aside class="most-read"><h2>'
        + ("الأكثر قراءة" if arabic else "Most read")
        + "</h2>"
        + link_list(rng.sample(heads, 10), "ranked")
        + "</aside>",
        "newsletter": '<div class="newsletter"><h3>'
        + ("النشرة البريدية" if arabic else "Get the morning briefing")
        + "</h3><p>"
        + (
            "اشترك لتصلك أهم الأخبار كل صباح."
            if arabic
            else "Sign up to receive the day's top stories in your inbox every morning."
        )
        + '</p><form><input type="email"><button>Sign up</button></form></div>',
        "comments": '<div class="comments"><h3>'
        + ("التعليقات" if arabic else "Comments (37)")
        + "</h3>"
        + "".join(f'<div class="comment"><b>user{i}</b><p>{_comment(rng, arabic)}</p></div>' for i in range(5))
        + "</div>",
        "bio": '<div class="author-bio"><p>'
        + (
            "ميرا حداد مراسلة الجريدة في الميناء منذ عام 2015، وتغطي شؤون النقل والبلدية والعمل، وحصلت على جائزة الصحافة المحلية مرتين."
            if arabic
            else "Mira Haddad has been our harbour correspondent since 2015. She covers transport, the city council "
            "and labour, and has twice won the regional press award for her reporting on the port and its workers."
        )
        + "</p></div>",
        "footer": "<footer>"
        + link_list(
            sections
            + (
                ["من نحن", "اتصل بنا", "الخصوصية"]
                if arabic
                else ["About us", "Contact", "Privacy policy", "Terms of use", "Advertise"]
            ),
            "footer-links",
        )
        + "<p>"
        + (
            "© 2026 جريدة الميناء. جميع الحقوق محفوظة."
            if arabic
            else "© 2026 Harbour Gazette Media Ltd. All rights reserved."
        )
        + "</p></footer>",
    }


def body_html(
    rng: random.Random, headline: str, paragraphs: list[str], arabic: bool, layout: str, parts: dict, split: bool
) -> str:
    byline = "بقلم ميرا حداد" if arabic else "By Mira Haddad, Harbour correspondent"
    caption = (
        "الرافعات القديمة في الميناء عام 2019"
        if arabic
        else "The old cranes at the harbour in 2019. Photo: Port archive"
    )
    tag_p = "p" if layout != "divsoup" else 'div class="para"'
    close_p = "p" if layout != "divsoup" else "div"
    blocks = []
    for i, paragraph in enumerate(paragraphs):
        blocks.append(f"<{tag_p}>{paragraph}</{close_p}>")
        if i == 2:
            blocks.append(parts["ad"])
        if i == 4:
            blocks.append(f'<figure><img src="/crane.jpg" alt=""><figcaption>{caption}</figcaption></figure>')
        if i == 6:
            more = "اقرأ المزيد: " if arabic else "Read more: "
            blocks.append(
                f'<p class="read-more"><a href="/r9">{more}{rng.choice(AR_HEADLINES if arabic else EN_HEADLINES)}</a></p>'
            )
        if i == 8:
            blocks.append(parts["share"])
        if i == len(paragraphs) // 2 and split:
            # The body in two containers with a related-stories box between them, as many CMSs render it.
            blocks.append("</div>" + parts["related"] + '<div class="story-body">')
    inner = "\n".join(blocks)
    head = f'<h1 class="headline">{headline}</h1><div class="byline">{byline}</div><time>2026-11-27</time>'
    if layout in ("semantic", "arabic"):
        return f'<main><article class="story">{head}<div class="story-body">{inner}</div></article></main>'
    if layout == "wordpress":
        return (
            f'<div id="primary" class="content-area"><main id="main"><article class="post type-post">'
            f'<header class="entry-header">{head}</header><div class="entry-content">{inner}</div></article></main></div>'
        )
    return f'<div class="container"><div class="col-8"><div class="story-body__inner">{head}{inner}</div></div></div>'


def page(seed: int, layout: str) -> tuple[str, str]:
    """The HTML of one page and its true text (headline and paragraphs, one per line)."""
    rng = random.Random(seed)
    arabic = layout == "arabic"
    headline, paragraphs = article(rng, arabic, short=seed % 3 == 1)
    parts = boilerplate(rng, arabic)
    lang = 'lang="ar" dir="rtl"' if arabic else 'lang="en"'
    site = "جريدة الميناء" if arabic else "Harbour Gazette"
    ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline}, ensure_ascii=False
    )
    html = f"""<!doctype html>
<html {lang}><head><meta charset="utf-8"><title>{headline} | {site}</title>
<meta name="viewport" content="width=device-width"><meta property="og:title" content="{headline}">
<script type="application/ld+json">{ld}</script>
{css(rng, 300 + 100 * (seed % 3))}
{script_blob(rng, 20 + 30 * (seed % 3))}
</head><body>
{parts["cookie"]}
<header><a class="logo" href="/">{site}</a>{parts["nav"]}</header>
{parts["ticker"]}
{parts["ad"]}
{body_html(rng, headline, paragraphs, arabic, layout, parts, split=seed % 3 == 2)}
{parts["bio"]}
{parts["related"]}
{parts["most_read"]}
{parts["newsletter"]}
{parts["comments"]}
{parts["footer"]}
</body></html>
"""
    return html, "\n".join([headline, *paragraphs])


def main() -> None:
    PAGES.mkdir(exist_ok=True)
    for index, layout in enumerate(("semantic", "divsoup", "wordpress", "arabic")):
        for variant in range(3):
            html, truth = page(seed=100 * index + variant, layout=layout)
            (PAGES / f"{layout}-{variant}.html").write_text(html)
            (PAGES / f"{layout}-{variant}.txt").write_text(truth + "\n")


if __name__ == "__main__":
    main()
