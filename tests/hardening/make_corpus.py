"""Write the hostile-input corpus: pages built to break a news pipeline.

Every case says what khabar must do with it (``expect``): make a brief, or
raise one named :class:`~khabar.errors.KhabarError` subclass. Small cases are
committed under ``tests/hardening/corpus/`` (run this script to regenerate
them; a test checks they still match); big ones (``big=True``: the gzip bomb's
payload, the 10 MB line, the 100,000-deep nesting) are only ever written at
test time into a temporary directory.

    python tests/hardening/make_corpus.py            # rewrite the committed files
    python tests/hardening/make_corpus.py --all DIR  # every case, big ones too
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"

# An original Hindi news text (written for this corpus), long enough to brief.
PARAGRAPHS = (
    "राज्य सरकार ने सोमवार को शहर के सभी सरकारी स्कूलों में नई पुस्तकालय योजना शुरू करने"
    " का फैसला किया. शिक्षा मंत्री ने बताया कि पहले चरण में दो सौ स्कूलों को किताबें दी जाएंगी.",
    "अधिकारियों के मुताबिक योजना पर अगले तीन साल में पचास करोड़ रुपये खर्च होंगे. हर स्कूल में"
    " एक प्रशिक्षित पुस्तकालय सहायक की नियुक्ति भी की जाएगी, जो बच्चों को पढ़ने में मदद करेगा.",
    "अभिभावकों और शिक्षकों ने फैसले का स्वागत किया है. एक प्रधानाचार्य ने कहा कि इससे बच्चों में"
    " पढ़ने की आदत बढ़ेगी और गांव के स्कूलों को भी शहर जैसी सुविधा मिलेगी.",
    "विपक्ष ने योजना को देर से उठाया गया कदम बताया, लेकिन कहा कि वह इसका समर्थन करेगा. सरकार"
    " ने कहा है कि योजना की प्रगति की हर छह महीने में समीक्षा होगी.",
)
TITLE = "सरकारी स्कूलों में नई पुस्तकालय योजना, दो सौ स्कूलों से होगी शुरुआत"


def article_text(paragraphs: tuple[str, ...] = PARAGRAPHS, title: str = TITLE) -> str:
    """The base article as scraped text: a headline, then paragraphs."""
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def article_html(
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    title: str = TITLE,
    *,
    doctype: str = "<!DOCTYPE html>",
    head_extra: str = "",
    charset: str = "utf-8",
) -> str:
    """The base article as a small HTML page."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'{doctype}\n<html lang="hi"><head><meta charset="{charset}">{head_extra}'
        f"<title>{title}</title></head>\n<body><article><h1>{title}</h1>\n{body}\n"
        "</article></body></html>\n"
    )


# -- the builders -----------------------------------------------------------


def gzip_bomb() -> bytes:
    """100 MB of spaces gzipped to ~100 KB: must stop at max_input_bytes."""
    return gzip.compress(b" " * 100_000_000, compresslevel=9, mtime=0)


def gzip_nested() -> bytes:
    """A gzip inside a gzip: one layer is unwrapped, the rest is binary."""
    return gzip.compress(gzip.compress(article_html().encode(), mtime=0), mtime=0)


def gzip_truncated() -> bytes:
    """A gzipped article cut off three quarters of the way in."""
    data = gzip.compress(article_html(PARAGRAPHS * 2).encode(), mtime=0)
    return data[: len(data) * 3 // 4]


def gzip_garbage() -> bytes:
    """A gzip magic number followed by junk."""
    return b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8


_LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
_DTD = '<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n' + _LAUGHS + "]>\n"


def laughs_feed() -> bytes:
    """An RSS feed whose item text expands to 10^9 "lol"s if entities are resolved."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + _DTD + '<rss version="2.0"><channel>'
        "<title>&lol9;</title><link>https://example.com/</link><item><title>&lol9;</title>"
        "<link>https://example.com/a/1</link><description>&lol9;</description></item>"
        "</channel></rss>\n"
    ).encode()


def laughs_sitemap() -> bytes:
    """A sitemap whose <loc> expands to 10^9 "lol"s if entities are resolved."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + _DTD
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.com/&lol9;</loc></url>"
        "<url><loc>https://example.com/news/1</loc></url></urlset>\n"
    ).encode()


def laughs_html() -> bytes:
    """An XHTML-looking article whose DOCTYPE defines the billion laughs."""
    paragraphs = (*PARAGRAPHS[:2], "&lol9; &lol9;", *PARAGRAPHS[2:])
    return ('<?xml version="1.0"?>\n' + article_html(paragraphs, doctype=_DTD)).encode()


def xxe_html() -> bytes:
    """An external entity pointing at a local file: must never be read."""
    dtd = '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return article_html((*PARAGRAPHS, "&xxe;"), doctype=dtd).encode()


def deep_nesting() -> bytes:
    """The article inside 100,000 nested <div>s."""
    depth = 100_000
    inner = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body>"
        + "<div>" * depth + inner + "</div>" * depth + "</body></html>"
    ).encode()


def deep_unclosed() -> bytes:
    """100,000 opened <span>s and <b>s, never closed, around the text."""
    return (
        f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body>"
        + "<span><b>" * 50_000 + "".join(f"<p>{p}" for p in PARAGRAPHS)
    ).encode()


def nul_bytes_html() -> bytes:
    """NUL bytes sprinkled through the page's first kilobytes."""
    return article_html().encode().replace(b"</p>", b"\x00</p>")


def nul_late_text() -> bytes:
    """One NUL byte after 64 KB of good text: past the binary sniff window."""
    filler = "\n\n".join(PARAGRAPHS * 60)
    return (TITLE + "\n\n" + filler + "\n\n\x00" + PARAGRAPHS[0] + "\n").encode()


def nul_late_html() -> bytes:
    """One NUL byte after 64 KB of good HTML."""
    html = article_html(PARAGRAPHS * 60)
    return html.replace("</article>", "\x00</article>").encode()


def lone_surrogates() -> bytes:
    """Lone UTF-16 surrogates (as CESU bytes); read back with ``surrogatepass``."""
    paragraphs = tuple(p.replace("योजना", "यो\ud800जना\udfff") for p in PARAGRAPHS)
    return article_text(paragraphs, TITLE + "\udbff").encode("utf-8", "surrogatepass")


def invalid_utf8_few() -> bytes:
    """A good UTF-8 page with a handful of broken bytes."""
    data = bytearray(article_html().encode())
    for pos in range(300, len(data), 700):
        data[pos] = 0xFF
    return bytes(data)


def invalid_utf8_many() -> bytes:
    """Random-looking bytes with every 10th one invalid UTF-8."""
    return bytes((i * 37) % 94 + 33 if i % 10 else 0xC0 for i in range(50_000))


def utf8_overlong() -> bytes:
    """Overlong encodings of '<' and '/' (a classic filter bypass)."""
    return article_html().encode().replace(b"<p>", b"\xc0\xbcp>", 3)


def iscii_bytes() -> bytes:
    """Hindi in ISCII-91 (no codec in Python): bytes 0xA1..0xFB, not UTF-8."""
    # क=0xB3 ा=0xDA ि=0xDB र=0xCF न=0xC6 ् =0xE8 space; a plausible byte soup.
    word = bytes([0xB3, 0xDA, 0xCF, 0xE8, 0xD1, 0xDB, 0xC6, 0x20])
    return word * 4000


def krutidev_page() -> bytes:
    """A legacy-font page: Devanagari typed as Latin letters for Kruti Dev 010."""
    lines = (
        "jkT; ljdkj us lkseokj dks 'kgj ds lHkh ljdkjh LdwYkksa esa ubZ iqLrdky; ;kstuk "
        "'kq: djus dk QSlyk fd;kA f'k{kk ea=h us crk;k fd igys pj.k esa nks lkS LdwYkksa dks "
        "fdrkcsa nh tk,axhA",
        "vf/kdkfj;ksa ds eqrkfcd ;kstuk ij vxys rhu lky esaipkl djksM+ #i;s [kpZ gksaxsA gj "
        "Ldwy esa ,d izf'kf{kr iqLrdky; lgk;d dh fu;qfDr Hkh dh tk,xhA",
        "vfHkHkkodksa vkSj f'k{kdksa us QSlys dk Lokxr fd;k gSA ,d iz/kkukpk;Z us dgk fd blls "
        "cPpksa esa i<+us dh vknr c<+sxhA",
    )
    style = "<style>body{font-family:'Kruti Dev 010'}</style>"
    return article_html(
        lines * 2, "ljdkjh LdwYkksa esa ubZ iqLrdky; ;kstuk", head_extra=style
    ).encode()


def windows_1252_declared() -> bytes:
    """A page declaring windows-1252 but holding UTF-8 Hindi (mojibake risk)."""
    return article_html(charset="windows-1252").encode("utf-8")[:-1] + b"\x92"


def mixed_encodings() -> bytes:
    """UTF-8 Hindi paragraphs next to one paragraph in UTF-16-LE."""
    head = article_text(PARAGRAPHS[:3]).encode()
    return head + PARAGRAPHS[3].encode("utf-16-le") + b"\n"


def utf16_page() -> bytes:
    """The whole page in UTF-16 with a BOM: a legal encoding, must brief."""
    return article_html().encode("utf-16")


def ten_mb_line_text() -> bytes:
    """10 MB of Hindi on one line, no newline, no full stop."""
    words = " ".join(PARAGRAPHS).replace(".", " ").encode()
    return (words * (10_000_000 // len(words) + 1))[:10_000_000].rsplit(b" ", 1)[0]


def ten_mb_line_html() -> bytes:
    """An article followed by a 10 MB single-line attribute and text node."""
    junk = "क" * 1_700_000
    return article_html(head_extra=f'<meta name="x" content="{junk}">').replace(
        "</article>", f"</article><div>{junk}</div>"
    ).encode()


def many_tags() -> bytes:
    """A million empty tags on one line after the article."""
    return article_html().replace("</body>", "<i></i>" * 1_000_000 + "</body>").encode()


def rtl_overrides() -> bytes:
    """Bidi overrides and isolates inside the headline and body (Trojan Source)."""
    rlo, pdf, lri, pdi = "\u202e", "\u202c", "\u2066", "\u2069"
    title = f"{rlo}{TITLE}{pdf}"
    paragraphs = tuple(f"{lri}{p}{pdi} {rlo}moc.live{pdf}" for p in PARAGRAPHS)
    return article_html(paragraphs, title).encode()


def orphan_marks() -> bytes:
    """Devanagari matras, nukta and virama with no consonant before them."""
    marks = "ािीुूृेैोौंःँ़्"
    paragraphs = tuple(marks + " " + p.replace(" ", " " + marks[:3]) for p in PARAGRAPHS)
    return article_text(paragraphs, marks + TITLE).encode()


def only_marks() -> bytes:
    """A page of nothing but combining marks."""
    return ("\u094d\u093c\u0901" * 5_000).encode()


def zero_width_flood() -> bytes:
    """ZWJ/ZWNJ/ZWSP between every character of the article."""
    text = article_text()
    return "\u200d\u200c\u200b".join(text).encode()


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile input and what khabar must do with it."""

    name: str
    build: Callable[[], bytes]
    # "brief", or the name of the KhabarError subclass that must be raised.
    expect: str
    why: str
    big: bool = False
    # Decode with surrogatepass and call the API with str, not bytes.
    as_str: bool = False
    cli: bool = False  # also run through ``khabar brief FILE``


CASES: tuple[Case, ...] = (
    Case("gzip-bomb.gz", gzip_bomb, "InputError", "inflation stops at max_input_bytes", cli=True),
    Case("gzip-nested.gz", gzip_nested, "InputError", "the inner gzip is binary"),
    Case("gzip-truncated.gz", gzip_truncated, "ExtractError", "half a page is not an article"),
    Case("gzip-garbage.gz", gzip_garbage, "InputError", "corrupt gzip is refused"),
    Case("laughs-feed.xml", laughs_feed, "ExtractError", "a feed is not a page; no expansion"),
    Case("laughs-sitemap.xml", laughs_sitemap, "ExtractError", "a sitemap is not a page"),
    Case("laughs.html", laughs_html, "ExtractError", "a DTD page is refused unexpanded", cli=True),
    Case("xxe.html", xxe_html, "brief", "external entities are never read"),
    Case("deep-nesting.html", deep_nesting, "ExtractError", "the parser caps depth", big=True),
    Case("deep-unclosed.html", deep_unclosed, "ExtractError", "no stack overflow", big=True),
    Case("nul-bytes.html", nul_bytes_html, "InputError", "NUL in the sniff window is binary"),
    Case("nul-late.txt", nul_late_text, "brief", "a stray NUL is dropped", big=True),
    Case("nul-late.html", nul_late_html, "brief", "a stray NUL is dropped", big=True),
    Case("lone-surrogates.txt", lone_surrogates, "brief", "surrogates are replaced", as_str=True),
    Case("lone-surrogates-bytes.txt", lone_surrogates, "InputError", "too many bad sequences"),
    Case("invalid-utf8-few.html", invalid_utf8_few, "brief", "a few bad bytes are replaced"),
    Case("invalid-utf8-many.bin", invalid_utf8_many, "InputError", "mostly invalid is binary"),
    Case("utf8-overlong.html", utf8_overlong, "ExtractError", "overlong bytes never become '<'"),
    Case("iscii.txt", iscii_bytes, "InputError", "undecodable legacy bytes", cli=True),
    Case("krutidev.html", krutidev_page, "ExtractError", "legacy-font Latin is never briefed"),
    Case("cp1252-declared.html", windows_1252_declared, "brief", "UTF-8 wins over a wrong meta"),
    Case("mixed-encodings.txt", mixed_encodings, "InputError", "UTF-16 inside UTF-8 is binary"),
    Case("utf16.html", utf16_page, "brief", "UTF-16 with a BOM is legal"),
    Case("10mb-line.txt", ten_mb_line_text, "brief", "no quadratic step", big=True),
    Case("10mb-line.html", ten_mb_line_html, "brief", "huge attributes and text", big=True),
    Case("million-tags.html", many_tags, "ExtractError", "over MAX_ELEMENTS: refused fast",
         big=True),
    Case("rtl-overrides.html", rtl_overrides, "brief", "bidi controls are stripped", cli=True),
    Case("orphan-marks.txt", orphan_marks, "brief", "marks without bases are text"),
    Case("only-marks.txt", only_marks, "ExtractError", "no words at all"),
    Case("zero-width-flood.txt", zero_width_flood, "brief", "zero-width joiners everywhere"),
)

#: Cases that take a minute or more today (see docs/reliability.md): run by
#: ``KHABAR_HARDENING_SLOW=1`` / ``make fuzz``, not by the normal suite.
SLOW_CASES = frozenset({"10mb-line.txt"})
#: Cases whose expected outcome is not met yet, with the module that owns the fix.
KNOWN_FAILURES: dict[str, str] = {}

#: Committed files stay small; bigger generated inputs are built at test time.
MAX_COMMITTED_BYTES = 200_000


def committed(case: Case) -> bool:
    """Whether the case's file is kept in the repository."""
    return not case.big and case.name not in {"gzip-bomb.gz"}


def write(out_dir: Path, *, include_big: bool) -> list[Path]:
    """Write the cases (and a MANIFEST.json of expectations) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    manifest = []
    for case in CASES:
        if not include_big and not committed(case):
            continue
        path = out_dir / case.name
        path.write_bytes(case.build())
        written.append(path)
        manifest.append({"name": case.name, "expect": case.expect, "why": case.why})
    (out_dir / "MANIFEST.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return written


def main() -> None:
    """Regenerate the committed corpus, or every case into a directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", metavar="DIR", help="write every case (big ones too) to DIR")
    args = parser.parse_args()
    if args.all:
        paths = write(Path(args.all), include_big=True)
    else:
        paths = write(CORPUS_DIR, include_big=False)
    for path in paths:
        print(f"{path.stat().st_size:>11,}  {path}")


if __name__ == "__main__":
    main()
