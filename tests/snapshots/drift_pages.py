"""News pages as a site serves them on different days, for the drift tests and bench/drift.py.

``news_page`` wraps an article in the boilerplate that rotates on every visit
(a byline date, a cookie banner, an ad, a "most read" list, a footer year),
so a test can change the article, the boilerplate, or both.
"""

import html

ENGLISH = [
    "The harbour authority confirmed on Tuesday that the cranes, dismantled three years ago for repairs, "
    "will return to the north quay before the end of the season.",
    "Dock workers had campaigned for their return since the closure, arguing that the smaller mobile cranes "
    "brought in as a stopgap slowed unloading by almost half.",
    "The authority's chair, Miriam Okafor, said the refurbished cranes would be fitted with electric drives, "
    "cutting diesel use in the port by a fifth.",
    "Shipping lines welcomed the decision but warned that berth fees would have to rise to cover the cost "
    "of the refit, estimated at 14 million euros.",
    "Local residents, who had complained about night-time noise from the temporary equipment, were promised "
    "quieter operations and a new sound barrier along the promenade.",
    "The first of the four cranes is expected to be lifted into place in March, weather permitting, with the "
    "rest following over the summer months.",
]
# Half the article rewritten: what "no longer says what we cited" looks like.
ENGLISH_REWRITTEN = ENGLISH[:3] + [
    "The plan was abandoned on Friday after the shipping lines refused to accept any rise in berth fees.",
    "Residents were told that the temporary cranes will stay on the quay for at least another two years.",
    "The authority said it would now look for a private operator to run the north quay instead.",
]
ARABIC = [
    "أكدت سلطة الميناء يوم الثلاثاء أن الرافعات التي فككت قبل ثلاث سنوات للإصلاح ستعود إلى الرصيف الشمالي "
    "قبل نهاية الموسم.",
    "وكان عمال الميناء قد طالبوا بعودتها منذ الإغلاق، مؤكدين أن الرافعات المتنقلة الصغيرة أبطأت التفريغ "
    "إلى النصف تقريبا.",
    "وقالت رئيسة السلطة ميريام أوكافور إن الرافعات المجددة ستزود بمحركات كهربائية تخفض استهلاك الديزل في "
    "الميناء بمقدار الخمس.",
    "ورحبت شركات الشحن بالقرار لكنها حذرت من أن رسوم الأرصفة سترتفع لتغطية كلفة الترميم.",
]

DAY_ONE = {
    "date": "27 November 2026, 14:03",
    "most_read": ["Storm closes ferry routes", "Council votes on bus lanes", "Fishermen protest quotas"],
    "ad": "Advertisement",
    "cookie": "We use cookies to improve your experience. Accept all",
    "views": "1,204 views",
}
# Thirty-one days on: every piece of boilerplate is different, the article is not.
A_MONTH_LATER = {
    "date": "28 December 2026, 09:12",
    "most_read": ["Bridge reopens after repairs", "Schools shut early for winter", "Mayor resigns over budget"],
    "ad": "Sponsored",
    "cookie": "This site uses cookies. Manage cookies",
    "views": "88,310 views",
}


def news_page(title: str, paragraphs: list[str], *, boilerplate=DAY_ONE, notice: str = "", lang: str = "en") -> bytes:
    """A whole news page. ``notice`` is raw HTML put at the top of the article (a correction box...)."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    most_read = "".join(
        f"<li><a href='/story-{i}'>{html.escape(t)}</a></li>" for i, t in enumerate(boilerplate["most_read"])
    )
    direction = "rtl" if lang == "ar" else "ltr"
    return f"""<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title></head><body>
<div class="cookie-banner">{boilerplate["cookie"]}</div>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
<p class="byline">By Ana Lopes · Updated {boilerplate["date"]} · {boilerplate["views"]}</p>
{notice}
{body}
<div class="ad-slot"><span>{boilerplate["ad"]}</span></div>
</article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside></main>
<footer>© 2026 Harbour Gazette · Contact · Privacy</footer></body></html>""".encode()
