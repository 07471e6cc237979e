"""The global step streams: memory does not grow with repeats, results stay exact."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from khabar.batch import globalstep
from khabar.batch.globalstep import run_global_step
from khabar.batch.shards import ShardOutput

pytest.importorskip("datasketch")

# Devanagari words of two to four letters, enough for texts that share no 3-shingles.
_LETTERS = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
_VOWELS = ["", "ा", "ि", "ी", "ु", "ू", "े", "ो"]


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_LETTERS) + rng.choice(_VOWELS)
                          for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    return [" ".join(rng.choices(vocab, k=120)) + "।" for _ in range(n)]


def _row(rid: str, text: str, date: str | None, site: str = "a.test") -> dict[str, Any]:
    brief = {"text": text, "title": text[:40], "sentences": [text], "date": date,
             "site_name": site}
    return {"id": rid, "source": "s", "locator": rid, "url": None, "status": "brief",
            "stage": "done", "reason": None, "message": None, "brief": brief}


def _output(root: Path, rows: list[dict[str, Any]], shard_size: int = 50) -> ShardOutput:
    out = ShardOutput(root)
    out.prepare({"test": True}, resume=False)
    for index, start in enumerate(range(0, len(rows), shard_size)):
        shard = rows[start:start + shard_size]
        out.write_rows(index, shard)
        out.commit(index, [r["id"] for r in shard], shard)
    return out


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_exact_and_near_duplicates_and_clusters(tmp_path: Path) -> None:
    a, b, c = _texts(3)
    words = a.split()
    near_a = " ".join(words[:-6]) + " " + " ".join(reversed(words[-6:]))
    story = "भारतीय रिज़र्व बैंक ने रेपो दर में पच्चीस आधार अंकों की कटौती की और महंगाई पर चिंता जताई।"
    story2 = "रिज़र्व बैंक ने रेपो दर पच्चीस आधार अंक घटाई, बैंक ने महंगाई पर चिंता जताई।"
    rows = [_row("r0", a, "2025-01-05"), _row("r1", b, "2025-01-06"), _row("r2", a, "2025-01-07"),
            _row("r3", near_a, "2025-01-08"), _row("r4", c, "2025-02-01"),
            _row("r5", story, "2025-03-02", "one.test"),
            _row("r6", story2, "2025-03-03", "two.test"), _row("r7", a, "2025-04-01"),
            {**_row("r8", b, None), "status": "drop", "brief": None}]
    out = _output(tmp_path / "out", rows)
    summary = run_global_step(out)
    dups = _lines(tmp_path / "out" / "duplicates.jsonl")
    assert [(d["id"], d["duplicate_of"], d["exact"]) for d in dups] == [
        ("r2", "r0", True), ("r3", "r0", False), ("r7", "r0", True)]
    assert 0.5 <= dups[1]["similarity"] < 1.0
    clusters = _lines(tmp_path / "out" / "clusters.jsonl")
    assert [sorted(c["members"]) for c in clusters] == [["r5", "r6"]]
    assert sorted(clusters[0]["sources"]) == ["one.test", "two.test"]
    assert summary == {"duplicates": 3, "clusters": 1, "unclustered_buckets": 0}
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_one_event_across_a_month_end_is_one_cluster(tmp_path: Path) -> None:
    """Month buckets had kept the 31 March and 1 April reports of one event apart."""
    story = "भारतीय रिज़र्व बैंक ने रेपो दर में पच्चीस आधार अंकों की कटौती की और महंगाई पर चिंता जताई।"
    story2 = "रिज़र्व बैंक ने रेपो दर पच्चीस आधार अंक घटाई, बैंक ने महंगाई पर चिंता जताई।"
    other = "मुंबई में भारी बारिश से लोकल ट्रेनें रुकीं और मौसम विभाग ने रेड अलर्ट जारी किया।"
    other2 = "मौसम विभाग का रेड अलर्ट: मुंबई की लोकल ट्रेनें भारी बारिश में थमीं।"
    a, b = _texts(2)
    rows = [_row("m0", story, "2025-03-31", "one.test"),
            _row("a0", story2, "2025-04-01", "two.test"),
            # Paired within March already: written once, with March.
            _row("m1", other, "2025-03-30", "one.test"),
            _row("m2", other2, "2025-03-30", "two.test"),
            # Too early in March to meet April's stories.
            _row("m3", a, "2025-03-10"), _row("a1", b, "2025-04-20")]
    out = _output(tmp_path / "out", rows)
    run_global_step(out)
    clusters = sorted(sorted(c["members"]) for c in _lines(tmp_path / "out" / "clusters.jsonl"))
    assert clusters == [["a0", "m0"], ["m1", "m2"]], clusters


def test_a_month_past_the_bucket_limit_is_left_unclustered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(globalstep, "CLUSTER_MAX_BUCKET", 3)
    texts = _texts(6)
    story = "भारतीय रिज़र्व बैंक ने रेपो दर में पच्चीस आधार अंकों की कटौती की और महंगाई पर चिंता जताई।"
    story2 = "रिज़र्व बैंक ने रेपो दर पच्चीस आधार अंक घटाई, बैंक ने महंगाई पर चिंता जताई।"
    rows = [_row(f"j{i}", t, "2025-01-10") for i, t in enumerate(texts[:5])]
    rows += [_row("f0", story, "2025-02-01", "one.test"), _row("f1", story2, "2025-02-02", "x")]
    out = _output(tmp_path / "out", rows)
    summary = run_global_step(out)
    assert summary["unclustered_buckets"] == 1
    assert [sorted(c["members"]) for c in _lines(tmp_path / "out" / "clusters.jsonl")] == [
        ["f0", "f1"]]


def _peak_bytes(tmp_path: Path, name: str, rows: list[dict[str, Any]]) -> int:
    out = _output(tmp_path / name, rows)
    tracemalloc.start()
    try:
        run_global_step(out, clusters=False)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_repeats(tmp_path: Path) -> None:
    # Like a crawl that sees the same pages again and again: 4x the records
    # must not need more memory, since copies are neither indexed nor held.
    texts = _texts(150)

    def repeated(n: int) -> list[dict[str, Any]]:
        return [_row(f"{i:07d}", texts[i % len(texts)], None) for i in range(n)]

    small = _peak_bytes(tmp_path, "small", repeated(600))
    large = _peak_bytes(tmp_path, "large", repeated(2400))
    assert large <= 1.2 * small, (small, large)
    assert len(_lines(tmp_path / "large" / "duplicates.jsonl")) == 2400 - len(texts)
