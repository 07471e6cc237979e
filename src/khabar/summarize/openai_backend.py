"""An abstractive backend for any OpenAI-compatible chat endpoint.

Ollama (``http://localhost:11434/v1``), vLLM, llama.cpp's ``llama-server``
and hosted APIs all speak ``POST {base}/chat/completions``. The client is
the standard library's :mod:`urllib` (no new dependency), with a time
limit per attempt and a bounded number of retries on network errors, 429
and 5xx. Whatever it returns goes through the verifier in
:func:`khabar.summarize.summarize_article`; when it is down, slow or
returns garbage, this raises :class:`~khabar.errors.SummarizeError` and the
extractive brief stays, with a note saying why.

Configuration (arguments win over the environment):

=====================  ======================  ==============================
argument               environment             meaning
=====================  ======================  ==============================
``base_url``           ``KHABAR_LLM_URL``      e.g. ``http://localhost:11434/v1``
``model``              ``KHABAR_LLM_MODEL``    e.g. ``qwen2.5:7b-instruct``
``api_key``            ``KHABAR_LLM_API_KEY``  sent as a bearer token, if set
``timeout_s``          ``KHABAR_LLM_TIMEOUT``  seconds per attempt (30)
``retries``            ``KHABAR_LLM_RETRIES``  extra attempts (1)
=====================  ======================  ==============================
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError, SummarizeError
from ..models import Article, Bullet, Sentence
from .abstractive import ask

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRIES = 1
# Backoff before retry n is BACKOFF_S * 2**n, capped: a busy local server
# (Ollama loading a model) usually answers within a few seconds.
BACKOFF_S = 0.5
MAX_BACKOFF_S = 4.0
MAX_TOKENS = 400
TEMPERATURE = 0.2
# Replies larger than this are not bullets; reading stops there.
MAX_REPLY_BYTES = 1_000_000


def _chat_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


class OpenAISummarizer:
    """Bullets from an OpenAI-compatible chat model; see the module docstring."""

    def __init__(
        self,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        *,
        timeout_s: float | None = None,
        retries: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if env is None else env
        url = base_url or env.get("KHABAR_LLM_URL")
        name = model or env.get("KHABAR_LLM_MODEL")
        if not url or not name:
            raise ConfigError(
                "the LLM backend needs a base URL and a model (KHABAR_LLM_URL, KHABAR_LLM_MODEL)"
            )
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"KHABAR_LLM_URL must be an http(s) URL (got {url!r})")
        try:
            self.timeout_s = float(timeout_s or env.get("KHABAR_LLM_TIMEOUT") or DEFAULT_TIMEOUT_S)
            self.retries = int(
                retries if retries is not None else env.get("KHABAR_LLM_RETRIES", DEFAULT_RETRIES)
            )
        except ValueError as exc:
            raise ConfigError(f"bad LLM timeout or retries: {exc}") from exc
        if self.timeout_s <= 0 or self.retries < 0:
            raise ConfigError("the LLM timeout must be positive and retries not negative")
        self.url = _chat_url(url)
        self.model = name
        self._api_key = api_key or env.get("KHABAR_LLM_API_KEY") or None
        self.name = f"llm:{name}"

    def __repr__(self) -> str:  # never show the key
        return f"OpenAISummarizer(url={self.url!r}, model={self.model!r})"

    def summarize(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        *,
        bullets: int = 3,
        max_words: int = 60,
    ) -> list[Bullet]:
        """Ask the model for ``bullets`` bullets; raise SummarizeError when it cannot deliver."""
        return ask(self.chat, self.name, article, sentences, bullets)

    def chat(self, messages: list[dict[str, str]]) -> str:
        """The assistant's reply text, with retries; raises SummarizeError."""
        payload = json.dumps({
            "model": self.model, "messages": messages, "temperature": TEMPERATURE,
            "max_tokens": MAX_TOKENS, "stream": False,
        }).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        last = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(MAX_BACKOFF_S, BACKOFF_S * 2 ** (attempt - 1)))
            request = urllib.request.Request(self.url, data=payload, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    body = response.read(MAX_REPLY_BYTES)
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code == 429 or exc.code >= 500:
                    continue
                raise SummarizeError(f"{self.name} refused the request ({last})",
                                     reason="llm_http_error") from exc
            except TimeoutError:
                last = f"no answer within {self.timeout_s:g} s"
                continue
            except (urllib.error.URLError, OSError) as exc:
                last = f"cannot reach the server ({getattr(exc, 'reason', exc)})"
                continue
            return _reply_text(body, self.name)
        raise SummarizeError(f"{self.name} failed after {self.retries + 1} attempt(s): {last}",
                             reason="llm_unavailable")


def _reply_text(body: bytes, name: str) -> str:
    """``choices[0].message.content`` of a chat completion; SummarizeError otherwise."""
    try:
        data: Any = json.loads(body.decode("utf-8"))
        content = data["choices"][0]["message"]["content"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
        raise SummarizeError(f"{name} sent a reply that is not a chat completion",
                             reason="llm_bad_response") from exc
    if not isinstance(content, str) or not content.strip():
        raise SummarizeError(f"{name} sent an empty reply", reason="llm_empty")
    return content
