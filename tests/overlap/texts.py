"""Texts the overlap tests compare: a wire story, our verbatim copy, a light rewrite, an unrelated story."""

WIRE_STORY = (
    "The port authority said on Monday that the three harbour cranes removed for repairs last spring would "
    "return to the eastern quay by the end of the month. Engineers replaced the cranes' steel cables and "
    "rebuilt the control cabins, which had been damaged by salt water during the winter storms. Dock workers, "
    "who had unloaded container ships by hand and with mobile cranes since April, welcomed the news. "
    '"It has been a long summer for everyone on the quay," said Maria Keane, a foreman with twenty years '
    "at the port. The authority expects traffic to return to normal levels in November, when the shipping "
    "lines that moved their calls to other ports have promised to come back. The repairs cost four million "
    "euros, most of it paid by the national infrastructure fund, according to figures released by the "
    "authority."
)

# What a site around the story adds: it is in the snapshot text, never in our article.
SITE_FURNITURE = "Subscribe to our newsletter for the latest port news. Most read: ferry timetable changes."

# A light rewrite: the same story, a word changed every dozen or so, one sentence reordered.
LIGHT_REWRITE = (
    "The port authority said on Monday that the three harbour cranes taken away for repairs last spring "
    "would return to the eastern quay before the end of the month. Engineers replaced the steel cables of "
    "the cranes and rebuilt the control cabins, which had been damaged by salt water during the winter "
    "storms. Dock workers, who had been unloading container ships by hand and with mobile cranes since "
    "April, welcomed the announcement. The authority expects traffic to return to normal levels in "
    "November, when the shipping lines that moved their calls elsewhere have promised to come back. "
    "Maria Keane, a foreman with twenty years at the port, said it had been a long summer for everyone. "
    "The repairs cost four million euros, most of it paid by the national infrastructure fund."
)

UNRELATED_STORY = (
    "The city library will open on Sunday afternoons from next week, the council announced, after a "
    "petition signed by more than two thousand readers. Staff will work the new hours on a rota, and the "
    "children's reading room will host a story hour at three o'clock. The council said the extra cost "
    "would be met from savings on heating after the roof was insulated last year."
)

# Arabic: the source with tashkeel (vowel marks) and a hamza on the alef; our copy without them, with
# a tatweel stretching one word and a different comma. The same words to a reader.
ARABIC_SOURCE = (
    "أعلنت هيئةُ الميناءِ يومَ الاثنين أنّ الرافعاتِ الثلاث التي أُزيلت للإصلاح في الربيع الماضي ستعود "
    "إلى الرصيف الشرقي قبل نهاية الشهر، وقال المهندسون إنهم استبدلوا الكابلات الفولاذية وأعادوا بناء "
    "غرف التحكم التي تضررت بمياه البحر خلال عواصف الشتاء."
)
ARABIC_COPY = (
    "اعلنت هيئة الميناء يوم الاثنين ان الرافعات الثلاث التي ازيلت للإصلاح في الربيع الماضي ستعــود "
    "الى الرصيف الشرقي قبل نهاية الشهر؛ وقال المهندسون انهم استبدلوا الكابلات الفولاذية واعادوا بناء "
    "غرف التحكم التي تضررت بمياه البحر خلال عواصف الشتاء."
)
