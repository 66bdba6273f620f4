"""schemathesis fuzzes the running remote (waitress on 127.0.0.1) from /api/openapi.json, as a
joined guest with a host session: no request may make the box answer 5xx, and every answer
must match the document's response schemas and content types. Bounded: a few hundred requests.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from tests.support.context import FakeBox
from tests.support.phones import PIN
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import remote_options
from web_remote.app import create_app
from web_remote.server import WebServer

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

EXAMPLES_PER_MODE = 4
UNLIMITED = {"rate_per_s": 1e6, "rate_burst": 10**6, "write_rate_per_s": 1e6, "write_burst": 10**6}


@pytest.fixture(autouse=True)
def schemathesis_files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """schemathesis keeps a cache in ./.schemathesis: keep it out of the checkout."""
    from schemathesis.core import storage

    monkeypatch.setattr(storage, "DEFAULT_ROOT", tmp_path / ".schemathesis")


@pytest.fixture(params=["unlimited", "real limits"])
def fuzz_url(box: FakeBox, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The remote with rate limits out of the way (most answers then come from the handlers),
    and with the real limits (most answers are then 429s, which the document must describe)."""
    overrides = UNLIMITED if request.param == "unlimited" else {}
    app = create_app(box.core, remote_options(box, tmp_path, **overrides))
    server = WebServer(app, "127.0.0.1", 0, max_streams=8)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    yield url
    server.stop()


@pytest.fixture()
def host_session(fuzz_url: str) -> requests.Session:
    """A browser-like session: device cookie, CSRF header, joined, host."""
    session = requests.Session()
    csrf = session.get(fuzz_url + "/api/session", timeout=5).json()["csrf_token"]
    session.headers["X-CSRF-Token"] = csrf
    assert session.post(fuzz_url + "/api/join", json={"name": "Fuzz"}, timeout=5).ok
    assert session.post(fuzz_url + "/api/host/login", json={"pin": PIN}, timeout=5).ok
    session.saved_cookies = session.cookies.get_dict()  # type: ignore[attr-defined]
    return session


def login_again(url: str, session: requests.Session) -> None:
    """A new host session (the fuzzed logout revoked the old one on the box)."""
    session.cookies.update(session.saved_cookies)  # type: ignore[attr-defined]
    for _ in range(50):  # the real limits may answer 429 for a while
        answer = session.post(url + "/api/host/login", json={"pin": PIN}, timeout=5)
        if answer.ok:
            session.saved_cookies = session.cookies.get_dict()  # type: ignore[attr-defined]
            return
        time.sleep(float(answer.headers.get("Retry-After", "1")))
    raise AssertionError(f"cannot log in again: {answer.status_code} {answer.text}")


def fuzz_operation(operation, session: requests.Session, mode, examples: int) -> None:  # type: ignore[no-untyped-def]
    """Run ``examples`` generated requests against one operation."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.generate],
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        # the device, guest and host cookies and the CSRF header, whatever the case generated
        # (a fuzzed /api/host/logout must not end the host session of later cases)
        response = case.call(
            session=session,
            timeout=10,
            headers={"X-CSRF-Token": session.headers["X-CSRF-Token"]},
            cookies=session.saved_cookies,  # type: ignore[attr-defined]
        )
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )

    try:
        run()
    except Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE:
            raise  # nothing to break in an operation without inputs: fine for negative tests


@pytest.mark.slow
def test_api_never_answers_5xx(fuzz_url: str, host_session: requests.Session) -> None:
    schema = schemathesis.openapi.from_url(fuzz_url + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    codes: Counter[int] = Counter()
    reasons: Counter[str] = Counter()

    def record(response: requests.Response, *args: object, **kwargs: object) -> None:
        codes.update([response.status_code])
        if response.status_code == 403:
            reasons.update([response.text[:80]])

    host_session.hooks["response"].append(record)
    for operation in operations:
        if operation.path == "/api/events":
            continue  # a stream that never ends; tested in test_web_stream.py
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz_operation(operation, host_session, mode, EXAMPLES_PER_MODE)
        if operation.path == "/api/host/logout":  # logging out revoked the session: again
            login_again(fuzz_url, host_session)
    # negative cases drop the CSRF header: those 403s are the protection working
    print("status codes seen:", dict(sorted(codes.items())), reasons.most_common(3))
    assert 100 <= sum(codes.values()) <= 600
    assert all(code < 500 for code in codes)
    if codes[429]:  # the real limits
        assert codes[200] and codes[429] > codes[200]
    else:
        assert codes[200] and codes[422]
