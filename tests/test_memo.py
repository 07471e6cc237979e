"""short_memo: caches short strings only, and answers long ones all the same."""

from __future__ import annotations

from khabar._memo import short_memo
from khabar.enrich._text import fold
from khabar.extract.lines import phrase_key


def test_short_strings_are_cached_and_long_ones_never_are() -> None:
    calls: list[str] = []

    @short_memo(maxsize=8, max_chars=5)
    def upper(text: str, suffix: str = "") -> str:
        calls.append(text)
        return text.upper() + suffix

    assert upper("ab") == upper("ab") == "AB"
    assert calls == ["ab"]  # the second call came from the memo
    long = "x" * 1_000_000
    assert upper(long) == upper(long) == long.upper()
    assert calls == ["ab", long, long]  # computed each time: the memo never holds it
    assert upper("ab", "!") == "AB!"  # the other arguments are part of the key


def test_memoised_text_helpers_answer_long_input_like_short_input() -> None:
    word = "कबीर"
    assert fold(word * 100) == fold(word) * 100
    assert phrase_key("  -- " + "Read more " * 100 + "!! ") == ("read more " * 100).strip()
