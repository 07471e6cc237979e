"""The public API is small and pinned: a change here is a deliberate one."""

import dataclasses
import inspect

import khabar

EXPECTED = [
    "Article",
    "Brief",
    "Bullet",
    "ConfigError",
    "ExtractError",
    "FetchError",
    "InputError",
    "KhabarError",
    "LanguageError",
    "MissingDependencyError",
    "NotAnArticleError",
    "RawPage",
    "Sentence",
    "Settings",
    "StoreError",
    "SummarizeError",
    "Tag",
    "__version__",
    "brief",
    "brief_article",
    "extract",
    "load_settings",
]


def test_all_is_pinned_and_sorted() -> None:
    assert khabar.__all__ == EXPECTED
    assert sorted(khabar.__all__) == khabar.__all__
    for name in khabar.__all__:
        assert hasattr(khabar, name), name


def test_entry_point_signatures() -> None:
    for fn in (khabar.extract, khabar.brief):
        params = inspect.signature(fn).parameters
        assert list(params)[:2] == ["content", "url"]
        assert params["url"].default is None


def test_every_error_is_a_khabar_error() -> None:
    for name in khabar.__all__:
        obj = getattr(khabar, name)
        if inspect.isclass(obj) and issubclass(obj, Exception):
            assert issubclass(obj, khabar.KhabarError), name


def test_models_are_frozen() -> None:
    for cls in (
        khabar.RawPage,
        khabar.Article,
        khabar.Sentence,
        khabar.Bullet,
        khabar.Tag,
        khabar.Brief,
    ):
        assert dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
