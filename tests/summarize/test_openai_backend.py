"""The OpenAI-compatible backend against a loopback server replaying recorded replies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from khabar.errors import ConfigError, SummarizeError
from khabar.models import Article
from khabar.pipeline import split_article
from khabar.settings import Settings
from khabar.summarize import OpenAISummarizer, summarize_article

ARTICLE = Article(
    title="पुतिन ने किम जोंग को फोन किया",
    paragraphs=(
        "रूसी राष्ट्रपति व्लादिमीर पुतिन ने मंगलवार को नॉर्थ कोरिया के नेता किम जोंग को फोन किया और "
        "दोनों देशों के बीच सहयोग को मजबूत करने की बात कही।",
        "दोनों देशों ने पिछले साल एक पारस्परिक रक्षा समझौते पर हस्ताक्षर किए थे।",
        "नॉर्थ कोरिया ने यूक्रेन में लगभग 12,000 सैनिक भेजे हैं, ऐसा दक्षिण कोरिया की खुफिया एजेंसी का कहना है।",
        "अमेरिकी राष्ट्रपति डोनाल्ड ट्रंप शुक्रवार को अलास्का में पुतिन से मुलाकात करेंगे।",
        "इस बैठक में यूक्रेन युद्ध को खत्म करने पर बात होने की उम्मीद है।",
    ),
    language="hi",
)
GOOD = (
    "- पुतिन ने मंगलवार को नॉर्थ कोरिया के नेता किम जोंग को फोन किया।\n"
    "- दोनों देशों ने पिछले साल एक पारस्परिक रक्षा समझौते पर हस्ताक्षर किए थे।\n"
    "- नॉर्थ कोरिया ने यूक्रेन में लगभग 12,000 सैनिक भेजे हैं।"
)
INVENTED_NUMBER = GOOD.replace("12,000", "50,000")
ENGLISH = (
    "- Putin called North Korea's leader Kim Jong on Tuesday.\n"
    "- The two countries signed a defence pact last year.\n"
    "- North Korea has sent about 12,000 troops to Ukraine."
)
FOUR = GOOD + "\n- ट्रंप शुक्रवार को अलास्का में पुतिन से मुलाकात करेंगे।"


def completion(content: str) -> bytes:
    message = {"role": "assistant", "content": content}
    return json.dumps({"choices": [{"message": message}]}).encode()


class Replay(BaseHTTPRequestHandler):
    """Answers every POST with the server's next recorded (status, body, delay)."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length))
        server: Any = self.server
        server.requests.append((self.path, dict(self.headers), request))
        status, body, delay = server.script.pop(0) if server.script else (200, completion(GOOD), 0)
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Any]:
    srv: Any = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    srv.daemon_threads = True
    srv.script = []
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def backend(srv: Any, **kw: Any) -> OpenAISummarizer:
    host, port = srv.server_address
    kw.setdefault("retries", 0)
    return OpenAISummarizer(f"http://{host}:{port}/v1", "test-model", "secret-key", env={}, **kw)


def brief(summarizer: OpenAISummarizer) -> tuple[list[Any], list[str], str]:
    return summarize_article(ARTICLE, split_article(ARTICLE), Settings(embed="off"), summarizer)


def test_good_reply_is_used_and_verified(server: Any) -> None:
    server.script = [(200, completion(GOOD), 0)]
    bullets, notes, name = brief(backend(server))
    assert name == "llm:test-model"
    assert [b.text for b in bullets] == [ln[2:] for ln in GOOD.splitlines()]
    assert all(b.source_sentences and b.support > 0.9 for b in bullets)
    assert notes == []
    path, headers, request = server.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer secret-key"
    assert request["model"] == "test-model"
    prompt = request["messages"][-1]["content"]
    assert "3 बुलेट" in prompt and "20 शब्दों" in prompt and "पुतिन" in prompt


def test_invented_number_is_replaced(server: Any) -> None:
    server.script = [(200, completion(INVENTED_NUMBER), 0)]
    bullets, notes, name = brief(backend(server))
    assert all("50,000" not in b.text for b in bullets)
    assert any("50,000" in n and "dropped bullet 3" in n for n in notes)
    assert len(bullets) == 3
    assert "+extractive" in name


def test_english_reply_is_replaced_by_the_extractive_brief(server: Any) -> None:
    server.script = [(200, completion(ENGLISH), 0)]
    bullets, notes, name = brief(backend(server))
    assert name.startswith("extractive")
    assert sum("not in the article's script" in n for n in notes) == 3
    assert all("Putin" not in b.text for b in bullets)


def test_four_bullets_are_trimmed(server: Any) -> None:
    server.script = [(200, completion(FOUR), 0)]
    bullets, notes, _ = brief(backend(server))
    assert len(bullets) == 3
    assert any("returned 4 bullets" in n for n in notes)


GARBAGE = [completion(""), completion("   \n "), b"{}", b"not json", b"\xff\xfe"]


@pytest.mark.parametrize("body", GARBAGE)
def test_empty_or_garbage_reply_falls_back(server: Any, body: bytes) -> None:
    server.script = [(200, body, 0)]
    bullets, notes, name = brief(backend(server))
    assert name.startswith("extractive")
    assert len(bullets) == 3
    assert any("llm:test-model failed" in n for n in notes)


def test_timeout_falls_back(server: Any) -> None:
    server.script = [(200, completion(GOOD), 1.0)]
    _bullets, notes, name = brief(backend(server, timeout_s=0.2))
    assert name.startswith("extractive")
    assert any("no answer within" in n for n in notes)


def test_server_error_is_retried(server: Any) -> None:
    server.script = [(503, b"busy", 0), (200, completion(GOOD), 0)]
    _bullets, _notes, name = brief(backend(server, retries=1))
    assert name == "llm:test-model"
    assert len(server.requests) == 2


def test_client_error_is_not_retried(server: Any) -> None:
    server.script = [(401, b"{}", 0), (200, completion(GOOD), 0)]
    with pytest.raises(SummarizeError) as info:
        backend(server, retries=3).summarize(ARTICLE, split_article(ARTICLE))
    assert info.value.reason == "llm_http_error"
    assert len(server.requests) == 1
    assert "secret-key" not in str(info.value)


def test_server_down_falls_back() -> None:
    down = OpenAISummarizer("http://127.0.0.1:9/v1", "m", env={}, retries=0, timeout_s=1)
    bullets, notes, name = brief(down)
    assert name.startswith("extractive") and bullets
    assert any("cannot reach" in n for n in notes)


def test_configuration_from_environment() -> None:
    env = {"KHABAR_LLM_URL": "http://127.0.0.1:1/v1/", "KHABAR_LLM_MODEL": "m",
           "KHABAR_LLM_TIMEOUT": "5", "KHABAR_LLM_RETRIES": "2"}
    s = OpenAISummarizer(env=env)
    assert s.url == "http://127.0.0.1:1/v1/chat/completions"
    assert (s.timeout_s, s.retries, s.name) == (5.0, 2, "llm:m")
    with pytest.raises(ConfigError):
        OpenAISummarizer(env={})
    with pytest.raises(ConfigError):
        OpenAISummarizer("ftp://x", "m", env={})
