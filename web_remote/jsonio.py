"""JSON in and out of the remote, hardened against hostile phones.

In: :func:`parse_body` reads a request body as a JSON object or raises :class:`BadBody` with the
reason: not UTF-8, not JSON, nested deeper than ``MAX_DEPTH``, a number beyond what a float holds
(``1e400``, ``NaN``, ``Infinity``), or a string with a lone surrogate (``"\\ud800"``, which no
UTF-8 answer could carry back). Out: :class:`SafeJSONProvider` is the app's JSON encoder; text
that cannot be UTF-8 (stored before the core checked it) goes out as U+FFFD instead of failing
the answer, so ``/api/state`` cannot fail on stored data::

    >>> parse_body(b'{"name": "Ada"}')
    {'name': 'Ada'}
    >>> parse_body(b'[' * 100 + b']' * 100)
    Traceback (most recent call last):
    ...
    web_remote.errors.BadBody: body: nested deeper than 8 levels
    >>> safe_dumps({"name": "a\\ud800"})
    '{"name": "a\\ufffd"}'
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask.json.provider import DefaultJSONProvider

from appliance.core.text import is_scalar_text, scrub
from web_remote.errors import BadBody

MAX_DEPTH = 8


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is beyond what a number may be here")
    return value


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object (BadBody with the reason otherwise)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("body", "must be UTF-8 text") from None
    _check_depth(text)
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise BadBody("body", f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:
        reason = str(error) if "number" in str(error) else "is not valid JSON"
        raise BadBody("body", reason) from None
    if not isinstance(data, dict):
        raise BadBody("body", "must be a JSON object")
    _check_strings(data)
    return data


def _check_depth(text: str) -> None:
    """Refuse deep nesting before parsing (cheap: brackets outside strings are counted)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadBody("body", f"nested deeper than {MAX_DEPTH} levels")
        elif char in "]}":
            depth -= 1


def _check_strings(data: Any) -> None:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and not is_scalar_text(item):
            raise BadBody("body", "text must be Unicode (a lone surrogate is not)")


def safe_dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` whose result is always valid UTF-8 (lone surrogates become U+FFFD)."""
    kwargs.setdefault("ensure_ascii", False)
    return scrub(json.dumps(obj, **kwargs))


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with :func:`safe_dumps` for every answer."""

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return safe_dumps(obj, **kwargs)
