"""Golden pages in the Indian languages khabar reads from data files alone
(Punjabi, Gujarati, Odia, Assamese, Tamil, Telugu, Kannada, Malayalam, Urdu).

Each page in ``pages/<code>.txt`` is a portal page scraped to text, written
for these tests in that language's news register: section crumbs, byline,
a dateline with the month in words, share and ad lines, a "read also" link
inside the body, a tag line and link-list headings. No shared data set has
news in these languages, so these pages are what says the languages work.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from khabar import brief, extract, lang
from khabar.models import Brief

PAGES = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class Page:
    code: str
    title: str
    date: str
    related: tuple[str, ...]
    tags: tuple[str, ...]
    chrome: tuple[str, ...]


CASES = [
    Page('pa',
         'ਅੰਮ੍ਰਿਤਸਰ ਤੋਂ ਦਿੱਲੀ ਲਈ ਦੂਜੀ ਵੰਦੇ ਭਾਰਤ ਰੇਲਗੱਡੀ 2 ਅਕਤੂਬਰ ਤੋਂ, ਸਫ਼ਰ ਸਾਢੇ ਪੰਜ ਘੰਟਿਆਂ ਵਿੱਚ',
         '2025-09-22',
         (
             'ਲੁਧਿਆਣਾ ਰੇਲਵੇ ਸਟੇਸ਼ਨ ਦੀ ਨਵੀਂ ਇਮਾਰਤ ਦਾ ਕੰਮ ਮਾਰਚ ਤੱਕ ਪੂਰਾ ਹੋਵੇਗਾ',
         ),
         (
             'ਅੰਮ੍ਰਿਤਸਰ',
             'ਵੰਦੇ ਭਾਰਤ',
             'ਭਾਰਤੀ ਰੇਲਵੇ',
         ),
         (
             'ਸ਼ੇਅਰ ਕਰੋ',
             'ਇਸ਼ਤਿਹਾਰ',
             'ਤਾਜ਼ਾ ਖ਼ਬਰਾਂ ਲਈ ਸਾਨੂੰ ਗੂਗਲ ਨਿਊਜ਼ ਉੱਤੇ ਫਾਲੋ ਕਰੋ',
             'ਸਭ ਤੋਂ ਵੱਧ ਪੜ੍ਹੀਆਂ',
             'ਹੋਰ ਖ਼ਬਰਾਂ',
         )),
    Page('gu',
         'ગુજરાતમાં આગામી ત્રણ દિવસ ભારે વરસાદની આગાહી, સરદાર સરોવર ડેમ 85 ટકા ભરાયો',
         '2025-07-18',
         (
             'અમદાવાદમાં 48 કલાકમાં 6 ઇંચ વરસાદ, અનેક અંડરપાસ બંધ કરાયા',
         ),
         (
             'ગુજરાત વરસાદ',
             'હવામાન વિભાગ',
             'સરદાર સરોવર ડેમ',
         ),
         (
             'શેર કરો',
             'જાહેરાત',
             'તાજા સમાચાર માટે અમને ગૂગલ ન્યૂઝ પર ફોલો કરો',
             'સૌથી વધુ વંચાયેલા',
             'વધુ સમાચાર',
         )),
    Page('or',
         'ଭୁବନେଶ୍ୱରରୁ ସିଙ୍ଗାପୁର ଓ ଦୁବାଇ ପାଇଁ ସିଧାସଳଖ ବିମାନ ସେବା ଅକ୍ଟୋବରରୁ ଆରମ୍ଭ',
         '2025-09-09',
         (
             'ପୁରୀ ଶ୍ରୀମନ୍ଦିର ପରିକ୍ରମା ପ୍ରକଳ୍ପ ପାଇଁ ଅତିରିକ୍ତ 120 କୋଟି ଟଙ୍କା ମଞ୍ଜୁର',
         ),
         (
             'ଭୁବନେଶ୍ୱର',
             'ଆନ୍ତର୍ଜାତିକ ଉଡ଼ାଣ',
             'ମୋହନ ଚରଣ ମାଝୀ',
         ),
         (
             'ସେୟାର କରନ୍ତୁ',
             'ବିଜ୍ଞାପନ',
             'ସଦ୍ୟତମ ଖବର ପାଇଁ ଆମକୁ ଗୁଗଲ ନ୍ୟୁଜରେ ଫଲୋ କରନ୍ତୁ',
             'ସର୍ବାଧିକ ପଠିତ',
             'ଅଧିକ ଖବର',
         )),
    Page('as',
         'পৰ্যটকৰ বাবে পুনৰ মুকলি কাজিৰঙা ৰাষ্ট্ৰীয় উদ্যান, প্ৰথম দিনাই 1,200 জন দৰ্শনাৰ্থী',
         '2025-10-01',
         (
             'গুৱাহাটীত ব্ৰহ্মপুত্ৰৰ ওপৰত নিৰ্মীয়মাণ নতুন দলঙৰ 70 শতাংশ কাম সম্পূৰ্ণ',
         ),
         (
             'কাজিৰঙা',
             'পৰ্যটন',
             'হিমন্ত বিশ্ব শৰ্মা',
         ),
         (
             'শ্বেয়াৰ কৰক',
             'বিজ্ঞাপন',
             'শেহতীয়া খবৰৰ বাবে গুগল নিউজত আমাক ফলো কৰক',
             'সৰ্বাধিক পঠিত',
             'অধিক খবৰ',
         )),
    Page('ta',
         'தீபாவளிக்கு சென்னையிலிருந்து 120 சிறப்பு ரயில்கள்: தெற்கு ரயில்வே அறிவிப்பு',
         '2025-10-06',
         (
             'சென்னை மெட்ரோ இரண்டாம் கட்டப் பணிகள் 2027-க்குள் நிறைவடையும் என அதிகாரிகள் தகவல்',
         ),
         (
             'தீபாவளி',
             'சிறப்பு ரயில்கள்',
             'தெற்கு ரயில்வே',
         ),
         (
             'பகிரவும்',
             'விளம்பரம்',
             'உடனுக்குடன் செய்திகளுக்கு கூகுள் நியூஸில் எங்களைப் பின்தொடருங்கள்',
             'அதிகம் படிக்கப்பட்டவை',
             'மேலும் செய்திகள்',
         )),
    Page('te',
         'శ్రీహరికోట నుంచి పీఎస్ఎల్వీ ప్రయోగం విజయవంతం, కక్ష్యలోకి ఇస్రో భూ పరిశీలన ఉపగ్రహం',
         '2025-11-12',
         (
             'విశాఖపట్నం తీరానికి మరో అల్పపీడనం, మత్స్యకారులకు హెచ్చరిక',
         ),
         (
             'ఇస్రో',
             'శ్రీహరికోట',
             'పీఎస్ఎల్వీ',
         ),
         (
             'షేర్ చేయండి',
             'ప్రకటన',
             'తాజా వార్తల కోసం గూగుల్ న్యూస్\u200cలో మమ్మల్ని ఫాలో అవ్వండి',
             'ఎక్కువగా చదివినవి',
             'మరిన్ని వార్తలు',
         )),
    Page('kn',
         'ಬೆಂಗಳೂರಿನಲ್ಲಿ ಧಾರಾಕಾರ ಮಳೆ: ನೂರಕ್ಕೂ ಹೆಚ್ಚು ಬಡಾವಣೆಗಳು ಜಲಾವೃತ, ಇನ್ನೂ ಎರಡು ದಿನ ಯೆಲ್ಲೋ ಅಲರ್ಟ್',
         '2025-05-20',
         (
             'ಕರಾವಳಿ ಜಿಲ್ಲೆಗಳಲ್ಲಿ ಮುಂಗಾರುಪೂರ್ವ ಮಳೆ ಚುರುಕು, ಮೀನುಗಾರಿಕೆಗೆ ತಾತ್ಕಾಲಿಕ ನಿರ್ಬಂಧ',
         ),
         (
             'ಬೆಂಗಳೂರು ಮಳೆ',
             'ಹವಾಮಾನ ಇಲಾಖೆ',
             'ಯೆಲ್ಲೋ ಅಲರ್ಟ್',
         ),
         (
             'ಹಂಚಿಕೊಳ್ಳಿ',
             'ಜಾಹೀರಾತು',
             'ತಾಜಾ ಸುದ್ದಿಗಳಿಗಾಗಿ ಗೂಗಲ್ ನ್ಯೂಸ್\u200cನಲ್ಲಿ ನಮ್ಮನ್ನು ಫಾಲೋ ಮಾಡಿ',
             'ಹೆಚ್ಚು ಓದಿದ ಸುದ್ದಿಗಳು',
             'ಇನ್ನಷ್ಟು ಸುದ್ದಿಗಳು',
         )),
    Page('ml',
         'തദ്ദേശ തിരഞ്ഞെടുപ്പ്: അന്തിമ വോട്ടർ പട്ടിക പ്രസിദ്ധീകരിച്ചു, സംസ്ഥാനത്ത് 2.84 കോടി വോട്ടർമാർ',
         '2025-09-10',
         (
             'കൊച്ചി മെട്രോ കാക്കനാട് പാതയുടെ നിർമാണം അടുത്ത വർഷം പൂർത്തിയാകും',
         ),
         (
             'തദ്ദേശ തിരഞ്ഞെടുപ്പ്',
             'വോട്ടർ പട്ടിക',
             'തിരഞ്ഞെടുപ്പ് കമ്മിഷൻ',
         ),
         (
             'ഷെയർ ചെയ്യുക',
             'പരസ്യം',
             'ഏറ്റവും പുതിയ വാർത്തകൾക്കായി ഗൂഗിൾ ന്യൂസിൽ ഞങ്ങളെ ഫോളോ ചെയ്യുക',
             'ഏറ്റവും കൂടുതൽ വായിച്ചവ',
             'കൂടുതൽ വാർത്തകൾ',
         )),
    Page('ur',
         'امرناتھ یاترا شروع، پہلے ہی دن 12 ہزار سے زائد یاتریوں نے درشن کیے',
         '2025-07-03',
         (
             'سری نگر میں ڈل جھیل کے کنارے نیا سیاحتی مرکز عوام کے لیے کھول دیا گیا',
         ),
         (
             'امرناتھ یاترا',
             'عمر عبداللہ',
             'جموں و کشمیر',
         ),
         (
             'شیئر کریں',
             'اشتہار',
             'تازہ ترین خبروں کے لیے ہمیں گوگل نیوز پر فالو کریں',
             'سب سے زیادہ پڑھی جانے والی خبریں',
             'مزید خبریں',
         )),
]


def _text(code: str) -> str:
    return (PAGES / f"{code}.txt").read_text(encoding="utf-8")


@cache
def _brief(code: str) -> Brief:
    return brief(_text(code))


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in lang.tokenize(lang.normalize(text))]


def _is_deletion(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(tok == other for other in it) for tok in short)


@pytest.mark.parametrize("page", CASES, ids=lambda p: p.code)
def test_page_is_extracted_with_its_fields_and_without_its_chrome(page: Page) -> None:
    art = extract(_text(page.code))
    assert art.language == page.code
    assert art.page_type == "article"
    assert art.title == lang.normalize(page.title)
    assert art.date == page.date
    assert art.related_links == tuple(lang.normalize(r) for r in page.related)
    assert art.tags == tuple(lang.normalize(t) for t in page.tags)
    body = "\n".join(art.paragraphs)
    assert not [c for c in page.chrome if lang.normalize(c) in body]
    assert lang.normalize(page.title) not in body
    # Every body paragraph of the page is kept, whole.
    assert 5 <= len(art.paragraphs) <= 6


@pytest.mark.parametrize("page", CASES, ids=lambda p: p.code)
def test_page_gets_three_verified_bullets_in_its_own_script(page: Page) -> None:
    b = _brief(page.code)
    assert b.article.language == page.code
    assert len(b.bullets) == 3
    assert not b.notes, b.notes  # no bullet dropped or replaced by the verifier
    full_stop = lang.get_language(page.code).full_stop
    sources = [s.text for s in b.sentences]
    for bullet in b.bullets:
        assert bullet.source_sentences
        source = " ".join(sources[i] for i in bullet.source_sentences)
        assert _is_deletion(_tokens(bullet.text), _tokens(source)), bullet.text
        assert bullet.text.endswith((full_stop, "?", "!")), bullet.text
        assert not bullet.text.endswith(("।।", "۔।", ".।")), bullet.text
    assert 1 <= b.read_time_minutes <= 2


@pytest.mark.parametrize("page", CASES, ids=lambda p: p.code)
def test_publisher_tags_lead_and_every_tag_has_an_english_name(page: Page) -> None:
    tags = _brief(page.code).tags
    names = [t.name for t in tags]
    publisher = [lang.normalize(t) for t in page.tags]
    assert names[: len(publisher)] == publisher
    stop = lang.stopwords(page.code)
    for tag in tags:
        assert tag.english and tag.slug
        assert tag.name.casefold() not in stop
        if page.code != "ur":  # Urdu is not romanised: names only from the lists
            assert tag.english.isascii(), tag
