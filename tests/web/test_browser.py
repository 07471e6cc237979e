"""The reader in real headless Chromium (Debian's, driven by Playwright for Python).

Skips when Playwright or /usr/bin/chromium is missing; fails instead under
``KHABAR_REQUIRE_BROWSER=1`` or ``CI=true``.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

DEVANAGARI = "\u0900-\u097f"


def api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


def useful_count(base: str, summarizer: str) -> int:
    for row in api(base, "/api/feedback/stats"):
        if row["summarizer"] == summarizer:
            return int(row["useful"])
    return 0


def test_devanagari_font_installed() -> None:
    from .conftest import browser_or_skip

    browser_or_skip()
    out = subprocess.run(["fc-list", ":lang=hi", "family"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip(), "no Devanagari font (fonts-noto-core)"
    assert "Noto Sans Devanagari" in out.stdout


def test_feed_and_article_with_three_bullets(
    page: Any, live_server: str, artifacts_dir: Path
) -> None:
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "hi"
    cards = page.locator("article.card")
    assert cards.count() >= 10
    page.screenshot(path=str(artifacts_dir / "feed.png"), full_page=True)

    page.locator("article.card h2 a", has_text="मुंबई में मूसलाधार").first.click()
    page.wait_for_url("**/articles/*")
    headline = page.locator("h1").inner_text()
    assert "मुंबई में मूसलाधार बारिश" in headline
    bullets = page.locator(".ai-summary li.bullet")
    assert bullets.count() == 3
    for i in range(3):
        assert any(DEVANAGARI[0] <= ch <= DEVANAGARI[-1] for ch in bullets.nth(i).inner_text())
    assert page.get_by_text("क्या हमारी AI समरी आपके लिए उपयोगी रही?").is_visible()
    page.screenshot(path=str(artifacts_dir / "article.png"), full_page=True)


def test_headline_renders_in_noto_sans_devanagari(page: Any, live_server: str) -> None:
    page.goto(live_server + "/articles/1")
    family = page.eval_on_selector("h1", "el => getComputedStyle(el).fontFamily")
    assert family.split(",")[0].strip().strip('"') == "Noto Sans Devanagari"
    # The font actually used to draw the glyphs, as Chromium reports it.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    used = {f["familyName"]: f["glyphCount"] for f in fonts}
    assert used.get("Noto Sans Devanagari", 0) > 0, used


def test_hovering_a_bullet_highlights_its_source_sentence(page: Any, live_server: str) -> None:
    page.goto(live_server + "/articles/1")
    bullet = page.locator(".ai-summary li.bullet").nth(1)
    sources = (bullet.get_attribute("data-sources") or "").split()
    assert sources
    target = page.locator(f"#s{sources[0]}")
    assert "hl" not in (target.get_attribute("class") or "")
    bullet.hover()
    assert "hl" in (target.get_attribute("class") or "")
    page.mouse.move(0, 0)
    assert "hl" not in (target.get_attribute("class") or "")


def test_clicking_yes_stores_feedback(page: Any, live_server: str) -> None:
    article = api(live_server, "/api/articles/4")
    before = useful_count(live_server, article["summarizer"])
    page.goto(live_server + "/articles/4")
    page.locator(".feedback-form button.yes").click()
    page.locator(".feedback-form .thanks").wait_for(state="visible")
    assert useful_count(live_server, article["summarizer"]) == before + 1
    page.reload()
    assert page.locator(".feedback-form").count() == 1


def test_feedback_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        article = api(live_server, "/api/articles/5")
        before = useful_count(live_server, article["summarizer"])
        pg.goto(live_server + "/articles/5")
        pg.locator(".feedback-form button.yes").click()
        pg.wait_for_url("**/articles/5?thanks=1*")
        assert "धन्यवाद" in pg.locator("#feedback").inner_text()
        assert useful_count(live_server, article["summarizer"]) == before + 1
    finally:
        context.close()


def test_search_a_hindi_word(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search")
    page.fill("input[name=q]", "ज्वालामुखी")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    titles = page.locator("article.card h2").all_inner_texts()
    assert titles and any("ज्वालामुखी" in t for t in titles)


def test_xss_payloads_do_not_execute(page: Any, live_server: str, xss_id: int) -> None:
    from .conftest import XSS

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append("dialog"), d.dismiss()))
    for path in (f"/articles/{xss_id}", "/", "/tags/xss-tag", f"/search?q={XSS[0]}"):
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("img[src=x], svg").count() == 0, path
    page.goto(live_server + f"/articles/{xss_id}")
    assert XSS[0] in page.locator("h1").inner_text()  # shown as text
    page.locator(".ai-summary li.bullet").first.hover()
    page.locator("a", has_text="Tag").first.click()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert errors == []
