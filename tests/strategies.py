"""Hypothesis strategies for hostile form input, and the checks that go with them.

Free text is drawn from four families: markup payloads (each with a unique marker, so a page
can be searched for exactly that payload), wild unicode (control characters, NUL, RTL marks,
emoji, combining characters), whitespace, and strings of a chosen length just under, at and just
over every ``max_length`` in the app. Values that must be rendered relative to "now" (deadlines)
are drawn as a ``timedelta`` and turned into text at request time with ``as_text``.
"""

import itertools
import re
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import escape
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

# -- markup payloads ---------------------------------------------------------------------------

_markers = itertools.count(1)
_issued: dict[str, str] = {}
MARKER = re.compile(r"xss\d+x")

# Every shape contains "<" or '"', so its escaped form never contains the raw one.
PAYLOAD_SHAPES = (
    '<script>alert("{m}")</script>',
    '"><img src=x onerror=alert("{m}")>',
    "'><svg onload=alert('{m}')>",
    "</textarea><script>alert('{m}')</script>",
    '<a href="javascript:alert(1)">{m}</a>',
    "<b>&lt;i&gt;{m}&amp;&quot;</b>",
    '{{{{ "{m}" }}}}{{% debug %}}<!--xss-comment-->',
)
# Pieces of the shapes above that no template contains: found verbatim, something is unescaped.
DANGEROUS_FRAGMENTS = (
    "<script>alert(",
    "<img src=x onerror=",
    "<svg onload=",
    '<a href="javascript:',
    "<!--xss-comment",
)


def _issue(shape: str) -> str:
    marker = f"xss{next(_markers)}x"
    payload = shape.format(m=marker)
    _issued[marker] = payload
    return payload


def payloads() -> st.SearchStrategy[str]:
    return st.builds(_issue, st.sampled_from(PAYLOAD_SHAPES))


def payloads_in(value) -> list[str]:
    """The payloads drawn by ``payloads()`` that occur whole in ``value``."""
    if not isinstance(value, str):
        return []
    found = (_issued.get(m) for m in set(MARKER.findall(value)))
    return [p for p in found if p and p in value]


# -- text --------------------------------------------------------------------------------------

WHITESPACE = ("", " ", "   ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\u3000", "\ufeff")
ODD = (
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202eevil\u202c",
    "\u2066x\u2069",
    "e\u0301\u0301\u0301",
    "\U0001f469\u200d\U0001f692",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0010ffff",
    "\ufffd",
    "\ufdd0",
    "𝒳𝓎𝓏",
    "%00",
    "%s%n%x",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "\\",
    "null",
    "None",
    "0",
    "-1",
)
# Around every max_length of the forms and services: 100, 150, 200, 300, 500, 1000, 2000,
# 4000 and 20,000, plus far beyond.
SIZES = (99, 100, 101, 151, 199, 200, 201, 301, 499, 500, 501, 1000, 1001, 2000, 2001)
SIZES += (3999, 4000, 4001, 20_000, 20_001, 60_000)

controls = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F)
    | st.sampled_from("\x7f\x85\u2028\u2029"),
    min_size=1,
    max_size=6,
)
short_wild = st.one_of(
    st.text(max_size=12), st.sampled_from(WHITESPACE), st.sampled_from(ODD), controls
)


def _sized(seed: str, size: int, payload: str) -> str:
    seed = seed or "x"
    filler = (seed * (size // len(seed) + 1))[: max(0, size - len(payload))]
    return filler[: len(filler) // 2] + payload + filler[len(filler) // 2 :]


def sized_text(sizes=SIZES) -> st.SearchStrategy[str]:
    """A string of an exact length (a payload inside, or not), from a short random seed."""
    return st.builds(
        _sized,
        st.text(min_size=1, max_size=4) | st.sampled_from(("a", "é", "😀", "<", "&", " ")),
        st.sampled_from(sizes),
        payloads() | st.just(""),
    )


def free_text() -> st.SearchStrategy[str]:
    """Anything a person (or a script) might type into a text field."""
    return st.one_of(
        st.builds(lambda a, p, b: a + p + b, short_wild, payloads(), short_wild),
        short_wild,
        st.text(max_size=200),
        sized_text(),
    )


# -- numbers, ids, choices, tokens -------------------------------------------------------------

BIG_INTS = (0, -1, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30)
ints = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=50),
    st.sampled_from(BIG_INTS),
)
NUMBERISH = (
    "",
    " 1",
    "1.0",
    "1e3",
    "0x10",
    "+1",
    "-0",
    "1_000",
    "\u0661",  # Arabic-Indic one: int() accepts it
    "\u00b2",  # superscript two: isdigit() says yes, int() says no
    "\u2468",  # circled nine: the same
    "NaN",
    "inf",
    "9" * 5000,  # longer than int() accepts
)


def int_text() -> st.SearchStrategy[str]:
    """What arrives in a field (or a query parameter) meant to hold a number."""
    return st.one_of(ints.map(str), st.sampled_from(NUMBERISH), free_text())


def choice_text(valid) -> st.SearchStrategy[str]:
    """A choice field's value: a valid one, a near miss or anything else."""
    valid = [str(v) for v in valid]
    near = [v.upper() for v in valid] + [f" {v}" for v in valid] + [f"{v}\x00" for v in valid]
    return st.one_of(st.sampled_from(valid), st.sampled_from(near or [""]), free_text())


def uuid_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: u.hex.upper()),
        st.uuids().map(lambda u: f"{{{u}}}"),
        st.sampled_from(("", "0", "00000000-0000-0000-0000-000000000000", "urn:uuid:")),
        free_text(),
    )


# -- dates and times ---------------------------------------------------------------------------

ODD_DATETIMES = (
    "0001-01-01T00:00",
    "0001-01-01 00:00:00",
    "9999-12-31T23:59",
    "9999-12-31 23:59:59.999999",
    "2030-03-31T02:30",  # does not exist in Europe/Amsterdam (clocks go forward)
    "2030-10-27T02:30",  # exists twice in Europe/Amsterdam (clocks go back)
    "2031-02-30T10:00",
    "2031-13-01T10:00",
    "2031-01-01T24:00",
    "2031-01-01T10:60",
    "2031-01-01T10:00Z",
    "2031-01-01T10:00+14:00",
    "2031-01-01T10:00-23:59",
    "+10000-01-01T00:00",
    "-2031-01-01T00:00",
    "2031-W01-1",
    "31-12-2031 10:00",
    "12/31/2031 10:00 PM",
    "now",
    "tomorrow",
    "T",
    ":",
)
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d-%m-%Y %H:%M")


def datetime_value() -> st.SearchStrategy:
    """A deadline-like value: text, or a ``timedelta`` from now (see ``as_text``)."""
    return st.one_of(
        st.timedeltas(min_value=timedelta(days=-800), max_value=timedelta(days=800)),
        st.sampled_from((timedelta(minutes=2), timedelta(hours=3), timedelta(days=-1))),
        st.builds(
            lambda dt, fmt: dt.strftime(fmt),
            st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
            st.sampled_from(DATETIME_FORMATS),
        ),
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
            datetime.isoformat
        ),
        st.sampled_from(ODD_DATETIMES),
        free_text(),
    )


def as_text(value) -> str:
    """A drawn value as the browser would send it; a timedelta counts from now."""
    if isinstance(value, timedelta):
        return (timezone.localtime() + value).strftime("%Y-%m-%dT%H:%M")
    return value


def form(fields: dict) -> st.SearchStrategy[dict]:
    """A form body: every field drawn from its strategy, or left out altogether."""
    return st.fixed_dictionaries({}, optional=fields)


# -- checks ------------------------------------------------------------------------------------


def page_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_safe(response, *sent) -> str:
    """No server error, and nothing of what was sent comes back unescaped. Returns the page."""
    assert response.status_code < 500, f"{response.status_code} for {_short(sent)}"
    body = page_text(response)
    for fragment in DANGEROUS_FRAGMENTS:
        assert fragment not in body, f"unescaped {fragment!r} in the page"
    for value in _strings(sent):
        for payload in payloads_in(value):
            assert payload not in body, f"unescaped {payload!r} in the page"
        for header in ("Location", "HX-Trigger", "HX-Redirect", "Content-Disposition"):
            for payload in payloads_in(value):
                assert payload not in response.get(header, ""), f"{payload!r} in {header}"
    return body


def assert_echoed(body: str, *values) -> None:
    """Every payload in ``values`` is on the page, escaped exactly as django.utils.html does."""
    checked = 0
    for value in _strings(values):
        for payload in payloads_in(value):
            assert escape(payload) in body, f"{payload!r} is not shown (escaped) on the page"
            checked += 1
    if checked and currently_in_test_context():  # see --hypothesis-show-statistics
        event("a payload was found escaped on the page")


def _strings(values):
    for value in values:
        if isinstance(value, dict):
            yield from _strings(value.values())
        elif isinstance(value, list | tuple):
            yield from _strings(value)
        elif isinstance(value, str):
            yield value


def _short(sent) -> str:
    text = repr(sent)
    return text if len(text) < 600 else text[:600] + "…"
