"""An abstractive backend running a local GGUF model with llama-cpp-python (optional).

``llama_cpp`` is imported when the summarizer is built, never at import
time; without it the constructor raises
:class:`~khabar.errors.MissingDependencyError` naming the ``llm`` extra.
The prompt and the reading of the reply are shared with the HTTP backend
(:mod:`.abstractive`), and the output goes through the verifier.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, MissingDependencyError, SummarizeError
from ..models import Article, Bullet, Sentence
from .abstractive import ask

CONTEXT_TOKENS = 4096
MAX_TOKENS = 400
TEMPERATURE = 0.2


class LlamaCppSummarizer:
    """Bullets from a local GGUF chat model through llama-cpp-python."""

    def __init__(self, model_path: str | Path, *, n_ctx: int = CONTEXT_TOKENS,
                 n_threads: int | None = None) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise ConfigError(f"no GGUF model at {path}")
        try:
            llama_cpp: Any = importlib.import_module("llama_cpp")
        except ImportError as exc:
            raise MissingDependencyError("llama_cpp", "llm") from exc
        self._llm: Any = llama_cpp.Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads,
                               verbose=False)
        self.name = f"llama-cpp:{path.stem}"

    def summarize(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        *,
        bullets: int = 3,
        max_words: int = 60,
    ) -> list[Bullet]:
        """Ask the local model for ``bullets`` bullets; raise SummarizeError when it cannot."""
        return ask(self._chat, self.name, article, sentences, bullets)

    def _chat(self, messages: list[dict[str, str]]) -> str:
        """The model's reply text; its engine's errors become SummarizeError."""
        try:
            out = self._llm.create_chat_completion(
                messages=messages, temperature=TEMPERATURE, max_tokens=MAX_TOKENS
            )
            return str(out["choices"][0]["message"]["content"] or "")
        except Exception as exc:  # the engine's own errors are not ours to type
            raise SummarizeError(f"{self.name} failed: {exc}", reason="llm_failed") from exc
