"""CSRF tokens, the token bucket and the view helpers, on their own."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from khabar.web.security import CsrfSigner, RateLimiter
from khabar.web.view import Translator, body_segments, format_date, read_time, safe_href


def test_csrf_token_roundtrip_and_tampering() -> None:
    signer = CsrfSigner(b"s" * 32, max_age_s=100)
    token = signer.token("cookie-a", now=1000)
    assert signer.check("cookie-a", token, now=1050)
    assert not signer.check("cookie-b", token, now=1050)  # bound to the cookie
    assert not signer.check("cookie-a", token, now=1200)  # expired
    assert not signer.check("cookie-a", token.replace(".", ".0"), now=1050)
    assert not signer.check(None, token) and not signer.check("cookie-a", None)
    assert not signer.check("cookie-a", "abc.def") and not signer.check("cookie-a", "nodot")
    assert not CsrfSigner(b"t" * 32).check("cookie-a", token, now=1050)  # other secret
    with pytest.raises(ValueError):
        CsrfSigner(b"short")


def test_token_bucket_burst_then_refill() -> None:
    now = [0.0]
    limiter = RateLimiter(rate_per_s=0.5, burst=2, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")  # buckets are per client
    now[0] = 1.0
    assert not limiter.allow("a")  # half a token
    now[0] = 2.5
    assert limiter.allow("a") and not limiter.allow("a")
    assert limiter.retry_after_s() == 2


def test_token_bucket_table_is_bounded() -> None:
    limiter = RateLimiter(rate_per_s=1, burst=1, max_clients=3, clock=lambda: 0.0)
    for key in "abcde":
        assert limiter.allow(key)
    assert len(limiter._buckets) == 3
    assert limiter.allow("a")  # forgotten, so it starts with a full bucket again


def test_body_segments_tag_each_sentence_in_order() -> None:
    text = "पहला वाक्य है. दूसरा वाक्य है.\n\nतीसरा (अलग) वाक्य."
    sentences = ["पहला वाक्य है.", "दूसरा वाक्य है.", "तीसरा (अलग) वाक्य."]
    paras = body_segments(text, sentences)
    assert len(paras) == 2
    tagged = [(s.sid, s.text) for p in paras for s in p if s.sid is not None]
    assert tagged == list(enumerate(sentences))
    assert "".join(s.text for s in paras[0]) == text.split("\n\n")[0]


def test_body_segments_keep_text_when_a_sentence_is_not_found() -> None:
    paras = body_segments("एक. दो.", ["एक.", "तीन."])
    assert "".join(s.text for s in paras[0]) == "एक. दो."
    assert [s.sid for s in paras[0]] == [0, None]


def test_dates_read_time_and_hrefs() -> None:
    hi, en = Translator("hi"), Translator("en")
    assert format_date("2025-08-13", hi) == "13 अगस्त 2025"
    assert format_date("2025-08-13T10:00:00", en) == "13 August 2025"
    assert format_date(None, hi) == "तारीख़ नहीं"
    assert format_date("2025-13-01", hi) == "2025-13-01"
    assert read_time(2) == "Read Time: 2 mins" and read_time(1) == "Read Time: 1 min"
    assert safe_href("https://x.example/a?b=1") == "https://x.example/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//x", None):
        assert safe_href(bad) is None
    assert Translator("xx").lang == "hi" and hi("no-such-key") == "no-such-key"
