"""``khabar eval extract`` on a small data directory in the shared formats, and on the real one."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import require_shared, run_eval_json
from khabar.cli import main
from khabar.eval.extract import aeb_counts, aeb_metric, prf

PARAS = (
    "नई दिल्ली में मंगलवार को बारिश ने लोगों की मुश्किलें बढ़ा दीं। कई इलाकों में पानी भर गया "
    "और यातायात धीमा रहा।",
    "मौसम विभाग ने बताया कि अगले दो दिनों तक हल्की से मध्यम बारिश जारी रह सकती है। लोगों से "
    "सावधानी बरतने की अपील की गई है।",
    "नगर निगम के अधिकारियों ने कहा कि जल निकासी के लिए अतिरिक्त पंप लगाए गए हैं। निचले इलाकों "
    "में टीमें तैनात की गई हैं।",
    "स्कूलों के बारे में फैसला स्थानीय प्रशासन बुधवार सुबह लेगा। अभिभावकों को संदेश के जरिए "
    "सूचना दी जाएगी।",
    "पिछले साल इसी महीने में शहर में सामान्य से कम बारिश दर्ज की गई थी। इस बार मानसून समय से "
    "पहले पहुंचा है।",
)
TITLE = "दिल्ली में भारी बारिश"
DATE = "2025-08-13"
URL = "https://example.org/desh/delhi-barish-1"
# Gold text of another story: a page scored against it cannot reach F1 1.0.
WRONG_GOLD = ("मुंबई में क्रिकेट मैच के टिकट कुछ ही घंटों में बिक गए। आयोजकों ने अतिरिक्त "
              "सीटों की घोषणा की। नई दिल्ली में मंगलवार को बारिश हुई।")


def _page(paragraphs: tuple[str, ...] = PARAS, date: str = DATE, title: str = TITLE,
          lang: str = "hi") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>"
            f'<meta property="article:published_time" content="{date}T10:15:00+05:30"></head>'
            '<body><header><nav><a href="/">होम</a> <a href="/desh">देश</a></nav></header>'
            f"<article><h1>{title}</h1>{body}</article>"
            "<footer>कॉपीराइट 2025 उदाहरण समाचार</footer></body></html>")


ENGLISH = (
    "The city council approved the new budget on Tuesday after a long debate about "
    "road repairs and school funding in the northern districts.",
    "Officials said the plan adds two hundred buses to the fleet and extends evening "
    "service on the busiest routes by one hour from next month.",
    "Opposition members argued that the money for parks was cut too deeply and asked "
    "for a review of the spending before the end of the year.",
)


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8")))


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, "utf-8")


def tiny_data(root: Path) -> Path:
    """One or two pages per set, each file where the real set keeps it."""
    gold = "\n\n".join(PARAS)
    aeb = root / "scrapinghub-aeb"
    _write(aeb / "ground-truth.json", {"p1": {"articleBody": gold, "url": URL}})
    _gz(aeb / "html" / "p1.html.gz", _page())

    wcxb = root / "wcxb-dev" / "dev"
    _write(wcxb / "ground-truth" / "0001.json", {
        "url": URL, "ground_truth": {"title": TITLE, "main_content": gold},
        "_internal": {"page_type": {"primary": "article"}}})
    _gz(wcxb / "html" / "0001.html.gz", _page())
    # Empty gold: skipped, as in the real set.
    _write(wcxb / "ground-truth" / "0002.json", {
        "url": URL, "ground_truth": {"main_content": ""},
        "_internal": {"page_type": {"primary": "listing"}}})
    _gz(wcxb / "html" / "0002.html.gz", _page())

    n4k = root / "newspaper4k"
    _write(n4k / "html" / "wrong.html", _page())
    _write(n4k / "txt" / "wrong.txt", WRONG_GOLD)
    _write(n4k / "metadata" / "wrong.json", {"url": URL})
    _write(n4k / "html" / "no-text.html", _page())  # no txt: not a scored page

    fundus = root / "fundus" / "test_data" / "ind"
    _write(fundus / "Bhaskar.json", {"V1": {
        "title": TITLE, "publishing_date": f"{DATE} 10:15:00+05:30", "authors": [],
        "body": {"summary": [], "sections": [{"headline": [], "paragraphs": list(PARAS)}]}}})
    _write(fundus / "meta.info", {"Bhaskar_2025_08_13.html.gz": {"url": URL}})
    _gz(fundus / "Bhaskar_2025_08_13.html.gz", _page())

    # Two parser versions whose pages sort the other way round: each expected
    # parse must go with the page that carries its title.
    daily = root / "fundus" / "test_data" / "us"
    english = _page(ENGLISH, "2024-02-02", "Council budget", "en").replace(
        "<head>", '<head><meta property="og:type" content="article">').replace(
        "<article>", '<article><span class="byline">By Jane Roe</span>')
    _write(daily / "Daily.json", {
        "V1": {"title": "Council budget", "publishing_date": "2024-02-02 09:00:00",
               "authors": ["Jane Roe"], "body": {"summary": ["A teaser."], "sections": [
                   {"headline": [], "paragraphs": list(ENGLISH)}]}},
        "V2": {"title": TITLE, "publishing_date": f"{DATE} 10:15:00+05:30", "authors": [],
               "body": {"summary": [], "sections": [{"headline": [], "paragraphs": list(PARAS)}]}},
    })
    _write(daily / "meta.info", {"Daily_2023_01_01.html.gz": {"url": URL}})
    _gz(daily / "Daily_2023_01_01.html.gz", _page())
    _gz(daily / "Daily_2025_01_01.html.gz", english)

    dates = root / "htmldate-mediacloud"
    _write(dates / "eval_mediacloud_2020.json", {
        URL: {"file": "1.html", "date": DATE},
        # The page says 2024-02-02: khabar is wrong on it against this gold.
        "https://example.com/news/council": {"file": "2.html", "date": "2020-01-01"},
        "https://example.com/gone": {"file": "3.html", "date": "2020-01-02"},  # no file
    })
    _gz(dates / "test_set" / "1.html.gz", _page(PARAS * 2))  # Hindi: enough Devanagari
    _gz(dates / "test_set" / "2.html.gz", _page(ENGLISH, "2024-02-02", "Council budget", "en"))
    return root


def test_prf_is_bag_of_words_over_khabar_tokens() -> None:
    assert prf("एक दो तीन", "एक दो तीन") == (1.0, 1.0, 1.0)
    assert prf("", "एक दो") == (0.0, 0.0, 0.0)
    p, r, f = prf("एक दो तीन चार", "एक दो")  # half the output is in the gold
    assert (p, r) == (0.5, 1.0)
    assert f == pytest.approx(2 / 3)
    assert prf("The RAIN, the rain.", "the rain the rain") == (1.0, 1.0, 1.0)


def test_aeb_metric_is_scrapinghubs_shingle_score() -> None:
    gold = "one two three four five six"  # shingles: 1234, 2345, 3456
    assert aeb_counts(gold, gold) == (1.0, 0.0, 0.0)
    # Three of the four predicted shingles are right; the last is not gold.
    tp, fp, fn = aeb_counts(gold + " seven", gold)
    assert (tp, fp, fn) == (0.75, 0.25, 0.0)
    # Case counts, unlike the word metric.
    assert aeb_counts(gold.upper(), gold)[0] == 0.0
    # A page with nothing predicted has no precision, so only its recall (0) counts.
    metric = aeb_metric([(0.75, 0.25, 0.0), aeb_counts("", gold)])
    assert metric == {"p": 0.75, "r": 0.5, "f1": 0.6}


def test_eval_extract_on_a_tiny_dataset(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny_data(tmp_path / "data")
    results = run_eval_json(tmp_path, "extract", "--data", str(data))
    out = capsys.readouterr().out
    sets = results["sets"]
    assert set(sets) == {"wcxb", "aeb", "bhaskar", "fundus", "newspaper4k", "dates"}
    assert results["skipped"] == {}

    fundus = sets["fundus"]
    assert fundus["pages"] == 3
    assert fundus["extractors"]["khabar"]["f1"] == 1.0  # the teaser is not gold body
    meta = fundus["metadata"]
    assert meta["pages"] == {"title": 3, "authors": 1, "date": 3}
    assert meta["khabar"] == {"title": 1.0, "authors": 1.0, "date": 1.0}
    assert set(meta["trafilatura"]) == {"title", "authors", "date", "pages_per_s"}
    assert "fundus metadata, exact" in out
    assert sets["wcxb"]["metadata"]["pages"] == {"title": 1, "authors": 0, "date": 0}

    aeb = sets["aeb"]["extractors"]
    assert sets["aeb"]["pages"] == 1
    assert (aeb["khabar"]["p"], aeb["khabar"]["r"], aeb["khabar"]["f1"]) == (1.0, 1.0, 1.0)
    assert aeb["khabar"]["empty"] == 0 and aeb["khabar"]["pages_per_s"] > 0
    assert 0.0 <= aeb["trafilatura"]["f1"] <= 1.0
    assert "| aeb | khabar | 1.0 | 1.0 | 1.0 |" in out
    assert aeb["khabar"]["aeb_metric"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert "aeb_metric" not in sets["wcxb"]["extractors"]["khabar"]

    # The same page against another story's text.
    wrong = sets["newspaper4k"]["extractors"]["khabar"]
    assert sets["newspaper4k"]["pages"] == 1
    assert 0.0 < wrong["f1"] < 0.3 and wrong["p"] < wrong["r"]

    wcxb = sets["wcxb"]
    assert wcxb["pages"] == 1  # the page with an empty gold is not scored
    khabar = wcxb["extractors"]["khabar"]
    assert khabar["by_type"] == {"article": {"p": 1.0, "r": 1.0, "f1": 1.0, "n": 1}}
    assert khabar["page_type"]["accuracy"] == 1.0
    assert khabar["page_type"]["confusion"] == {"article->article": 1}
    assert "page_type" not in wcxb["extractors"]["trafilatura"]

    bhaskar = sets["bhaskar"]["extractors"]["khabar"]
    assert bhaskar["f1"] == 1.0 and bhaskar["title_exact"] and bhaskar["date_exact"]

    dates = sets["dates"]
    assert dates["pages"] == 2  # the entry without a file is left out
    assert set(dates["extractors"]) == {"khabar", "htmldate", "htmldate-original",
                                        "trafilatura"}
    assert dates["extractors"]["khabar"]["accuracy"] == 0.5
    assert dates["extractors"]["khabar"]["hindi_right"] == "1/1"
    assert "| khabar | 0.5 | 1/1 |" in out


def test_limit_and_extractor_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny_data(tmp_path / "data")
    results = run_eval_json(tmp_path, "extract", "--data", str(data), "--sets", "dates,aeb",
                            "--limit", "1", "--extractors", "khabar", flag="--out")
    assert list(results["sets"]) == ["dates", "aeb"]
    assert results["sets"]["dates"]["pages"] == 1
    assert list(results["sets"]["aeb"]["extractors"]) == ["khabar"]
    assert results["limit"] == 1


def test_other_extractors_beside_khabar(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tiny_data(tmp_path / "data")
    names = ["khabar", "justext", "trafilatura-precision", "trafilatura-no-comments"]
    for module, name in (("readability", "readability"), ("resiliparse", "resiliparse")):
        try:
            __import__(module)
        except ImportError:
            continue
        names.append(name)
    sets = run_eval_json(tmp_path, "extract", "--data", str(data), "--sets", "aeb,newspaper4k",
                         "--extractors", ",".join(names))["sets"]
    for name in names:
        right = sets["aeb"]["extractors"][name]["f1"]
        wrong = sets["newspaper4k"]["extractors"][name]["f1"]
        assert 0.0 <= wrong <= right <= 1.0 and wrong < 0.3, (name, right, wrong)
        # jusText keeps only paragraphs near one of 200+ characters; these are shorter.
        if name != "justext":
            assert right > 0.8, (name, right)


def test_missing_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (tiny_data(tmp_path / "full") / "scrapinghub-aeb").rename(data / "scrapinghub-aeb")
    # Run everything: the sets that are not there are skipped, each with its reason.
    assert main(["eval", "extract", "--data", str(data), "--extractors", "khabar"]) == 0
    out = capsys.readouterr().out
    assert "skipped wcxb: wcxb-dev not found" in out
    assert "skipped dates: htmldate-mediacloud not found" in out
    # A set asked for by name must be there.
    assert main(["eval", "extract", "--data", str(data), "--sets", "aeb,wcxb"]) == 2
    err = capsys.readouterr().err
    assert "set wcxb: wcxb-dev not found" in err and "Traceback" not in err
    # No set at all is an error too.
    assert main(["eval", "extract", "--data", str(tmp_path)]) == 2
    assert "no extraction set found" in capsys.readouterr().err


def test_bad_arguments_and_bad_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tiny_data(tmp_path / "data")
    assert main(["eval", "extract", "--data", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["eval", "extract", "--data", str(data), "--sets", "aeb,klingon"]) == 2
    assert "klingon" in capsys.readouterr().err
    assert main(["eval", "extract", "--data", str(data), "--extractors", "goose"]) == 2
    assert "goose" in capsys.readouterr().err
    assert main(["eval", "extract", "--data", str(data), "--limit", "0"]) == 2
    assert "limit" in capsys.readouterr().err

    _write(data / "scrapinghub-aeb" / "ground-truth.json", {"p1": {"url": URL}})
    assert main(["eval", "extract", "--data", str(data), "--sets", "aeb"]) == 2
    assert "lacks an expected field" in capsys.readouterr().err
    _write(data / "scrapinghub-aeb" / "ground-truth.json", "{not json")
    assert main(["eval", "extract", "--data", str(data), "--sets", "aeb"]) == 2
    assert "is not JSON" in capsys.readouterr().err
    (data / "wcxb-dev" / "dev" / "html" / "0001.html.gz").write_bytes(b"not gzip")
    assert main(["eval", "extract", "--data", str(data), "--sets", "wcxb"]) == 2
    err = capsys.readouterr().err
    assert "not a readable gzip file" in err and "Traceback" not in err


@pytest.mark.shared
def test_eval_extract_on_shared_data(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = require_shared("data")
    for name in ("wcxb-dev", "scrapinghub-aeb", "fundus", "htmldate-mediacloud"):
        require_shared("data", name)
    sets = run_eval_json(tmp_path, "extract", "--data", str(data), "--sets",
                         "wcxb,aeb,bhaskar,dates", "--limit", "3")["sets"]
    assert 1 <= sets["wcxb"]["pages"] <= 3
    assert sets["aeb"]["pages"] == 3 and sets["dates"]["pages"] == 3
    for name in ("wcxb", "aeb"):
        for ext in ("khabar", "trafilatura"):
            row = sets[name]["extractors"][ext]
            assert 0.3 < row["f1"] <= 1.0 and row["pages_per_s"] > 0, (name, ext, row)
    assert "page_type" in sets["wcxb"]["extractors"]["khabar"]
    # The Dainik Bhaskar golden page: the floor, title and date exact.
    bhaskar = sets["bhaskar"]["extractors"]["khabar"]
    assert bhaskar["f1"] >= 0.98 and bhaskar["title_exact"] and bhaskar["date_exact"]
    assert 0.0 <= sets["dates"]["extractors"]["khabar"]["accuracy"] <= 1.0
    assert "| bhaskar | khabar |" in capsys.readouterr().out


@pytest.mark.shared
def test_fundus_bodies_and_metadata_beat_trafilatura(tmp_path: Path) -> None:
    """All 258 fundus pages: khabar's body and metadata at least trafilatura's, same run."""
    data = require_shared("data")
    require_shared("data", "fundus")
    fundus = run_eval_json(tmp_path, "extract", "--data", str(data), "--sets", "fundus")[
        "sets"]["fundus"]
    assert fundus["pages"] == 258
    body = fundus["extractors"]
    assert body["khabar"]["f1"] > body["trafilatura"]["f1"] and body["khabar"]["f1"] >= 0.94
    meta = fundus["metadata"]
    for field, floor in (("title", 0.82), ("authors", 0.84), ("date", 0.97)):
        assert meta["khabar"][field] >= max(floor, meta["trafilatura"][field]), field
