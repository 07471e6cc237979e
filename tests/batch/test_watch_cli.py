"""``khabar watch`` briefs only new feed items; the ``batch`` command prints the counts table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_support import LoopbackServer, demo_texts, serve

from khabar.cli import main
from khabar.errors import ConfigError


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    yield from serve()


def _feed(base: str, items: list[str]) -> str:
    entries = "".join(f"<item><title>{i}</title><link>{base}/a/{i}</link><guid>{i}</guid></item>"
                      for i in items)
    head = "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
    return f"{head}{entries}</channel></rss>"


def test_watch_briefs_only_new_items(server: LoopbackServer, tmp_path: Path) -> None:
    pytest.importorskip("khabar.store")
    from khabar.store import open_store

    pages = [data for name, data in demo_texts() if name.endswith(".html")]
    for i, data in enumerate(pages[:3]):
        server.add(f"/a/{i}", data)
    server.add("/feed.xml", _feed(server.base, ["0", "1"]), ctype="application/rss+xml")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    state = tmp_path / "seen.json"
    args = ["watch", server.base + "/feed.xml", "--every", "0.01s", "--db", db,
            "--state", str(state), "--embed", "off"]
    assert main([*args, "--max-polls", "2"]) == 0
    assert server.hits("/a/0") == 1 and server.hits("/a/1") == 1
    server.add("/feed.xml", _feed(server.base, ["0", "1", "2"]), ctype="application/rss+xml")
    assert main([*args, "--max-polls", "1"]) == 0
    assert [server.hits(f"/a/{i}") for i in range(3)] == [1, 1, 1]
    store = open_store(db)
    try:
        assert store.count() == 3
    finally:
        store.close()


def test_watch_rejects_a_bad_interval() -> None:
    from khabar.batch.watch import parse_every

    assert parse_every("10m") == 600 and parse_every("90") == 90 and parse_every("2h") == 7200
    with pytest.raises(ConfigError):
        parse_every("soon")


def test_batch_command_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, data in demo_texts()[:3]:
        (src / name).write_bytes(data)
    (src / "junk.urls").write_text("nope\n", encoding="utf-8")
    code = main(["batch", str(src), "--out", str(tmp_path / "out"), "--quiet", "--embed", "off"])
    out = capsys.readouterr().out
    assert code == 0
    assert "records" in out and "drops by reason" in out and "bad_url" in out
    assert main(["batch", str(src), "--out", str(tmp_path / "out"), "--quiet"]) == 2


def test_watch_keeps_the_story_clusters_up_to_date(server: LoopbackServer, tmp_path: Path) -> None:
    pytest.importorskip("khabar.store")
    from khabar.store import open_store

    # The demo corpus tells the RBI rate cut twice, from two outlets.
    rbi = [data for name, data in demo_texts() if "rbi-repo-rate" in name]
    assert len(rbi) == 2
    for i, data in enumerate(rbi):
        server.add(f"/a/{i}", data)
    server.add("/feed.xml", _feed(server.base, ["0"]), ctype="application/rss+xml")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    args = ["watch", server.base + "/feed.xml", "--every", "0.01s", "--db", db,
            "--state", str(tmp_path / "seen.json"), "--embed", "off", "--max-polls", "1"]
    assert main(args) == 0
    store = open_store(db)
    try:
        assert store.count() == 1 and store.clusters() == []
        server.add("/feed.xml", _feed(server.base, ["0", "1"]), ctype="application/rss+xml")
        assert main(args) == 0
        [cluster] = store.clusters()
        assert len(cluster["members"]) == 2
    finally:
        store.close()
