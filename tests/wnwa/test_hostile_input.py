"""Hostile input to every form of the product: never a 500, never a stored script.

The test walks the URL resolver (the authorization matrix's walk), so a new page is covered without
an edit here. For each URL name it signs in the first role that may use the page (the app's rows in
tests/<app>/authorization.py), GETs the page, reads its <form>s with html.parser and learns the
field names, types and choices. A view that only takes a POST (its form sits on another page) gets
its fields from the forms on the other pages of its app whose action points at it. Objects the URL
needs come from the matrix's url_kwargs.

Hypothesis then posts, per form, a mix of plausible values (so the form can pass and store them)
and hostile ones: very long strings, control characters and NUL, HTML and script fragments, SQL
fragments, template syntax, unicode oddities, huge, negative and non-numbers, dates out of range,
missing fields, fields given several times, unknown fields, and files that are empty, huge-named,
NUL-named or whose bytes are not what their name says. GET forms (search, filters) get the same in
their query string. Every answer must be one a browser can live with (never a 500: the test client
re-raises any exception a view lets escape), and every HTML answer, every page that would show a
stored value afterwards (the page, where it redirected to, the app's listing, queue and roster
pages for the role that reads them) and every email sent must hold no marker unescaped.

Each example signs in afresh (a post may sign out, change the password or remove the second
factor), clears the cache (so rate limits do not turn the run into a study of the 429 page) and
runs the on-commit callbacks (emails) as the request would. An example that spends its object
(an invitation accepted, a link used) leaves the next one a fresh object when the matrix's
url_kwargs can make one. A POST-only view whose form shows only in some state of its objects
names the page that shows it in HOSTS; the test fails for a POST-only view whose form it cannot
find, so a new one cannot be skipped silently.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import client_for, sign_in
from tests.factories import PASSWORD, RegistrationFactory, SessionFactory, TOTPDeviceFactory
from tests.test_authorization_matrix import ALL_PATTERNS, EXPECTATIONS, PROJECT_NAMES, url_kwargs
from trainings.models import Session

# What a hostile request may get back: done, refused, not found, not allowed, conflict, too big,
# slow down. Never 500.
ACCEPTABLE = {200, 302, 400, 403, 404, 405, 409, 413, 429}

# The first role in this order that may open (or, for a POST-only view, post to) a page uses it:
# public pages are tried anonymously, officer pages as the officer, and so on.
ROLE_ORDER = [
    "anonymous",
    "officer",
    "peer",
    "admin_same",
    "vetter",
    "trainer",
    "unverified_staff",
    "network_admin",
    "admin_other",
    "retiree",  # late: only the pages that are theirs alone (ending their own access)
    "family",  # last: a family member's pages are all an officer's too, or a retiree's
]

POST_FORM_EXAMPLES = 20
GET_FORM_EXAMPLES = 8
NO_FORM_EXAMPLES = 3

# ---------------------------------------------------------------------------------------------
# Markers: a stored value that comes back unescaped is a stored script.

XSS_VALUES = [
    "<script>wnwa-xss-1234</script>",
    '"><img src=x onerror=wnwaxss(1)>',
    "'><svg onload=wnwaxss(2)>",
    "</textarea><script>wnwa-xss-5678</script>",
    "Pat <b>O'Brien</b> \"<script>wnwa-xss-9</script>",
]
RAW_MARKERS = re.compile(r"<script>wnwa-xss|<img src=x onerror=wnwaxss|<svg onload=wnwaxss", re.I)


def assert_no_raw_marker(body: str, where: str) -> None:
    found = RAW_MARKERS.search(body)
    assert found is None, (
        f"{where}: unescaped marker {body[max(0, found.start() - 80) : found.end() + 80]!r}"
    )


def assert_html_is_clean(response, where: str) -> None:
    if response.get("Content-Type", "").startswith("text/html"):
        assert_no_raw_marker(response.content.decode(errors="replace"), where)


def assert_emails_are_clean(where: str) -> None:
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_no_raw_marker(str(content), f"{where}: HTML email {message.subject!r}")


# ---------------------------------------------------------------------------------------------
# Reading forms off a page.


@dataclass
class Field:
    kind: str  # input type, "select", "textarea", "button", or "link" (a query string's key)
    options: list[str] = field(default_factory=list)  # select options, radio/checkbox values
    value: str = ""
    multiple: bool = False
    unseen: bool = False  # a honeypot: out of reach of people (tabindex=-1, aria-hidden)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class FormReader(HTMLParser):
    """Every <form> on a page with its named inputs, selects, textareas and named buttons."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._hidden: list[str] = []  # open elements, from the first aria-hidden one
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value or "") for key, value in attrs}
        if (self._hidden or attrs.get("aria-hidden") == "true") and tag not in VOID_ELEMENTS:
            self._hidden.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            self._form = Form(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(attrs.get("value", ""))
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            known = self._form.fields.get(name)
            if kind in {"radio", "checkbox"} and known is not None:
                known.options.append(attrs.get("value", "on"))
                known.multiple = known.multiple or kind == "checkbox"
                return
            options = [attrs.get("value", "on")] if kind in {"radio", "checkbox"} else []
            unseen = bool(self._hidden) or attrs.get("tabindex") == "-1"
            self._form.fields[name] = Field(kind, options, attrs.get("value", ""), unseen=unseen)
        elif tag == "select":
            self._select = Field("select", multiple="multiple" in attrs)
            self._form.fields[name] = self._select
        elif tag == "textarea":
            self._form.fields[name] = Field("textarea")
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            known = self._form.fields.setdefault(name, Field("button"))
            known.options.append(attrs.get("value", ""))
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def view_name_of(action: str, page_url: str) -> str | None:
    path = urlsplit(urljoin(page_url, action)).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def forms_for(name: str, page_url: str, response) -> list[Form]:
    """The forms on a page that submit to the view called `name`."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    forms = FormReader(response.content.decode(errors="replace")).forms
    for form in forms:
        form.action = urljoin(page_url, form.action)
    return [form for form in forms if view_name_of(form.action, page_url) == name]


def query_links_for(name: str, page_url: str, response) -> list[Form]:
    """Links to the view with a query string (pages, filters) read as the GET forms they are."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    forms = []
    for href in FormReader(response.content.decode(errors="replace")).links:
        url = urljoin(page_url, href)
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if query and view_name_of(url, page_url) == name:
            form = Form("get", url)
            for key, value in query:
                form.fields.setdefault(key, Field("link")).options.append(value)
            forms.append(form)
    return forms


def merged(forms: list[Form], method: str) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for form in forms:
        if form.method == method:
            for key, spec in form.fields.items():
                fields.setdefault(key, spec)
    fields.pop("csrfmiddlewaretoken", None)  # the test client does not check it
    return fields


# ---------------------------------------------------------------------------------------------
# Values.

today = timezone.localdate()

CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\x85\u2028\u2029"
UNICODE_ODDITIES = [
    "\u202eevil\u202c",  # right-to-left override
    "\ufeffbom",
    "e\u0301" * 200,  # combining marks
    "\U0001f46e\u200d\u2640\ufe0f",  # a zero-width-joined emoji
    "\ufffd\uffff",
    "ＡＢＣ",  # full width
    "İıſ",  # case-folding traps
    "\u0000",
    "a\x00b",
    "\u200b",
    "𝕏" * 300,
]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE accounts_user;--",
    "\\'; SELECT pg_sleep(0);--",
    "%",
    "_",
    "%00",
    "1 UNION SELECT NULL--",
]
TEMPLATE = ["{{ request }}", "{% debug %}", "${7*7}", "%(name)s", "{0}", "%s%s%n"]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 400,
    "-" + "9" * 400,
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "1.5",
    "1,000",
    "١٢٣",  # Arabic-Indic digits
]
DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2023-13-01",
    "31/12/9999",
    "9999-12-31T23:59:59",
    "9999-12-31 23:59",
    "0001-01-01 00:00",
    "24:00",
    "99:99",
    "-1:00",
]
OTHER = ["", " ", "\r\n", "true", "null", "[]", "{}", "../../etc/passwd", "http://", "javascript:x"]

hostile_text = st.one_of(
    st.sampled_from(XSS_VALUES + UNICODE_ODDITIES + SQL + TEMPLATE + NUMBERS + DATES + OTHER),
    st.text(max_size=40),
    st.text(alphabet=CONTROL, min_size=1, max_size=10),
    st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["A", "<", "\x00", "é", "9", "'", "\U0001f46e", "a@b.c "]),
        st.sampled_from([256, 5_000, 100_001]),
    ),
    st.integers().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

plausible_emails = st.one_of(
    st.sampled_from(
        [
            "someone@agency.test",
            "officer@a.test",  # the cast's own addresses: duplicates and existing accounts
            "peer@b.test",
            "admin@a.test",
            "new.recruit@alpha.test",
            "O'Brien+tag@example.org",
            "a@b.co",
        ]
    ),
    st.emails().filter(lambda e: len(e) < 250),
)
plausible_dates = st.integers(min_value=-400, max_value=400).map(
    lambda days: (today + datetime.timedelta(days=days)).isoformat()
)
plausible_words = st.sampled_from(
    ["Pat", "Okonkwo", "Alpha Police", "Chicago", "IL", "60601", "Trauma", "English", "Yes"]
)
plausible_text = st.one_of(plausible_words, st.sampled_from(XSS_VALUES), st.text(max_size=20))

PLAUSIBLE_BY_KIND = {
    "email": plausible_emails,
    "date": plausible_dates,
    "datetime-local": plausible_dates.map(lambda day: f"{day}T09:30"),
    "time": st.sampled_from(["09:00", "17:30", "00:00", "23:59"]),
    "number": st.one_of(st.integers(min_value=1, max_value=12), st.integers(-3, 600)).map(str),
    "tel": st.sampled_from(["312-555-0100", "+1 (312) 555-0199", "+44 20 7946 0958", "555"]),
    "url": st.sampled_from(["https://example.org/", "https://example.org/<script>", "ftp://x"]),
    "password": st.sampled_from(["correct-horse-battery-42", "short", "x" * 200]),
    "search": plausible_text,
    "text": plausible_text,
    "textarea": plausible_text,
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ROSTER = (
    "Email,First name,Last name,Badge,Rank,Sworn\r\n"
    'xss.one@alpha.test,<script>wnwa-xss-1234</script>,"""><img src=x onerror=wnwaxss(1)>",'
    "=cmd|' /C calc'!A0,Officer,sworn\r\n"
)
# The roster's status column (issue 21): retiring the cast's officer, its admin (refused), a
# script in the column, a control character, and the cast's retiree made serving.
ROSTER_STATUS = (
    "Email,First name,Last name,Status\r\n"
    "officer@a.test,Sloane,Vandermeulen,Retired\r\n"
    "admin@a.test,Dana,Kowalczyk,ret\r\n"
    "xss.two@alpha.test,Rae,<script>wnwa-xss-1234</script>,<script>wnwa-xss-1234</script>\r\n"
    "bell@alpha.test,Bea,Bell,ret\x07ired\r\n"
    "retiree@a.test,Rowan,Ellingsworth,active\r\n"
)
QUESTIONS = (
    "question,answer,choice1,choice2\r\n"
    '<script>wnwa-xss-1234</script>,1,"""><img src=x onerror=wnwaxss(1)>",no\r\n'
)
file_names = st.one_of(
    st.sampled_from(
        [
            "roster.csv",
            "questions.csv",
            "licence.pdf",
            "certificate.png",
            "roster.xlsx",
            "a" * 1_000 + ".pdf",
            "../../../etc/passwd",
            "nul\x00.pdf",
            "",  # a file input left empty
            "C:\\fakepath\\licence.pdf",
            "line\r\nbreak.pdf",
            "<script>wnwa-xss-1234</script>.pdf",
            "\u202efdp.exe",
            ".",
            "no-extension",
        ]
    ),
    st.text(max_size=30),
)
file_bodies = st.one_of(
    st.sampled_from(
        [
            b"",
            PDF,
            PNG,
            b"\xff\xd8\xff\xe0" + b"\x00" * 16,
            b"MZ\x90\x00\x03\x00\x00\x00",  # an executable named as a document
            b"PK\x03\x04not really a workbook",
            ROSTER.encode(),
            ROSTER.encode("utf-16"),
            ROSTER_STATUS.encode(),
            QUESTIONS.encode(),
            b"\x00" * 64,
            b"a,b\n" * 20_000,
            b"%PDF-" + b"\xff" * 140_000,  # one "cell" longer than the csv module allows
        ]
    ),
    st.binary(max_size=200),
)


@dataclass
class Upload:
    """A file to send; its repr stays short when hypothesis prints a failing example."""

    name: str
    body: bytes
    content_type: str

    def __repr__(self):
        return f"Upload({self.name[:60]!r}, <{len(self.body)} bytes {self.body[:24]!r}>, {self.content_type!r})"


uploads = st.builds(
    Upload,
    file_names,
    file_bodies,
    st.sampled_from(["application/pdf", "text/csv", "image/png", "application/x-msdownload", ""]),
)


# Field names tell more than input types: a "phone" is often an <input type="text">.
NAME_HINTS = [
    (re.compile(r"e-?mail"), "email"),
    (re.compile(r"phone|mobile|call|text_number|fax"), "tel"),
    (re.compile(r"date|_on$|starts|ends|expires|until|since"), "date"),
    (re.compile(r"url|website|link"), "url"),
    (re.compile(r"zip|postal"), "zip"),
    (re.compile(r"^state$|_state$"), "state"),
    (re.compile(r"hours|capacity|price|fee|year|count|number|days|answer|strength"), "number"),
]
PLAUSIBLE_BY_KIND["zip"] = st.sampled_from(["60601", "60601-1234", "00000"])
PLAUSIBLE_BY_KIND["state"] = st.sampled_from(["IL", "IN", "WI", "ZZ"])

# What a person attaches: a document or one of the spreadsheets the product reads.
GOOD_FILES = [
    ("licence.pdf", PDF, "application/pdf"),
    ("roster.csv", ROSTER.encode(), "text/csv"),
    ("roster.csv", ROSTER_STATUS.encode(), "text/csv"),
    ("questions.csv", QUESTIONS.encode(), "text/csv"),
    ("certificate.png", PNG, "image/png"),
]
PLAUSIBLE_UPLOADS = st.sampled_from(GOOD_FILES).map(lambda parts: Upload(*parts))
# The later forms of a formset ("licence-1-number"): a person leaves most of them blank.
FORMSET_EXTRA = re.compile(r"-[1-9][0-9]*-")


def kind_of(name: str, spec: Field) -> str:
    if spec.kind in {"text", "textarea", "search"}:
        for pattern, kind in NAME_HINTS:
            if pattern.search(name.lower()):
                return kind
    return spec.kind


def plausible_for(name: str, spec: Field) -> st.SearchStrategy:
    if spec.unseen:
        return st.just("")  # a person never fills a honeypot
    if FORMSET_EXTRA.search(name) and spec.kind not in {"hidden", "submit"}:
        return st.one_of(st.just(""), _plausible(name, spec))
    return _plausible(name, spec)


def _plausible(name: str, spec: Field) -> st.SearchStrategy:
    if spec.kind == "file":
        return PLAUSIBLE_UPLOADS
    if spec.options:
        return st.sampled_from(spec.options)
    if spec.kind in {"hidden", "submit"}:
        return st.just(spec.value)
    return PLAUSIBLE_BY_KIND.get(kind_of(name, spec), plausible_text)


def hostile_for(spec: Field) -> st.SearchStrategy:
    return uploads if spec.kind == "file" else hostile_text


OMIT = object()


@st.composite
def value_for(draw, name: str, spec: Field, plausible_percent: int):
    """Plausible (so forms pass and store things) or, past `plausible_percent`, hostile, missing,
    given several times, or several choices at once."""
    if draw(st.integers(0, 99)) < plausible_percent:
        return draw(plausible_for(name, spec))
    return draw(
        st.one_of(
            hostile_for(spec),
            st.just(OMIT),
            st.lists(
                st.one_of(plausible_for(name, spec), hostile_for(spec)), min_size=2, max_size=4
            ),
            st.lists(plausible_for(name, spec), max_size=max(len(spec.options), 1)),
        )
    )


unknown_fields = st.dictionaries(
    st.one_of(
        st.text(min_size=1, max_size=12),
        # Keys views read without a form: pages, filters, where to go next.
        st.sampled_from(["id", "pk", "is_superuser", "page", "status", "q", "next", "sort"]),
    ),
    hostile_text,
    max_size=2,
)


@st.composite
def payloads(draw, fields: dict[str, Field]):
    # Some examples are all plausible, some a little off, some chaos.
    plausible_percent = draw(st.sampled_from([100, 90, 60, 0]))
    data = {}
    for key, spec in fields.items():
        value = draw(value_for(key, spec, plausible_percent))
        if value is not OMIT:
            data[key] = value
    if plausible_percent < 100:
        for key, value in draw(unknown_fields).items():
            data.setdefault(key, value)
    return data


# One clean submission per form: every choice its first option, free text the first marker.
CLEAN_BY_KIND = {
    "email": "clean.submission@agency.test",
    "date": (today + datetime.timedelta(days=45)).isoformat(),
    "datetime-local": f"{(today + datetime.timedelta(days=45)).isoformat()}T09:30",
    "time": "09:30",
    "number": "3",
    "tel": "312-555-0100",
    "url": "https://example.org/",
    "zip": "60601",
    "state": "IL",
    "password": "correct-horse-battery-42",
}


def clean_submissions(fields: dict[str, Field]) -> list[dict]:
    """Submissions a careful person would make, free text being the first marker: one per kind
    of good file when the form takes files."""
    files = GOOD_FILES[:3] if any(spec.kind == "file" for spec in fields.values()) else [None]
    submissions = []
    for good_file in files:
        data = {}
        for key, spec in fields.items():
            if spec.unseen or (FORMSET_EXTRA.search(key) and spec.kind not in {"hidden", "submit"}):
                data[key] = ""
            elif spec.kind == "file":
                data[key] = Upload(*good_file)
            elif spec.options:
                data[key] = next((option for option in spec.options if option), spec.options[0])
            elif spec.kind in {"hidden", "submit"}:
                data[key] = spec.value
            else:
                data[key] = CLEAN_BY_KIND.get(kind_of(key, spec), XSS_VALUES[0])
        submissions.append(data)
    return submissions


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def has_files(data: dict) -> bool:
    return any(isinstance(item, Upload) for value in data.values() for item in _as_list(value))


BOUNDARY = "wnwa-hostile-boundary-7f3a"


def _quoted(text: str) -> str:
    # Browsers escape these three in a field or file name (the HTML standard); nothing else.
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart(data: dict) -> bytes:
    """A multipart body written by hand: the test client would tidy file names, a browser (or a
    script) need not. A list is the field given several times."""
    parts = []
    for key, value in data.items():
        for item in _as_list(value):
            if isinstance(item, Upload):
                head = (
                    f'Content-Disposition: form-data; name="{_quoted(key)}"; '
                    f'filename="{_quoted(item.name)}"\r\nContent-Type: {item.content_type}'
                )
                body = item.body
            else:
                head = f'Content-Disposition: form-data; name="{_quoted(key)}"'
                body = str(item).encode()
            parts.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n".encode() + body + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def urlencoded(data: dict) -> str:
    pairs = [(key, item) for key, value in data.items() for item in _as_list(value)]
    return urlencode([(key, item) for key, item in pairs if not isinstance(item, Upload)])


# ---------------------------------------------------------------------------------------------
# Roles and pages.


# Pages that none of the cast's standing roles opens: who does.
OWES_CODE = "enrolled staff owing a code"
ROLE_OVERRIDES = {"accounts:two-factor-verify": OWES_CODE}


def role_for(name: str) -> str:
    """The first role that may open the page, or post to it when it takes POST only, or failing
    both the first that gets past the role check (a 404 for want of an object)."""
    if name in ROLE_OVERRIDES:
        return ROLE_OVERRIDES[name]
    expected = EXPECTATIONS[name]
    for wanted in (200, 405, 404):
        for role in ROLE_ORDER:
            if expected[role] == wanted:
                return role
    return "officer"


def app_of(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else ""


def route_params(name: str) -> set[str]:
    return set(PATTERNS[name].pattern.regex.groupindex)


PATTERNS = {name: pattern for name, _, pattern in ALL_PATTERNS if name}


def opens(name: str, role: str) -> bool:
    return ROLE_OVERRIDES.get(name) == role or EXPECTATIONS[name].get(role) == 200


def sibling_pages(name: str) -> list[str]:
    return [other for other in PROJECT_NAMES if app_of(other) == app_of(name) and other != name]


def _draft_session(cast) -> dict:
    return {"pk": SessionFactory(status=Session.Status.DRAFT).pk}


def _session_with_a_registration(cast) -> dict:
    return {"pk": RegistrationFactory().session_id}


def _finished_session_with_a_registration(cast) -> dict:
    started = timezone.localdate() - datetime.timedelta(days=3)
    return {"pk": RegistrationFactory(session=SessionFactory(starts_on=started)).session_id}


# Forms that show only when their objects are in a certain state (a draft session has a Publish
# button, a session with trainees an attendance grid): the page that shows them, with objects made
# for it. Every other form is found on its own page, or for a POST-only view on its app's pages.
HOSTS = {
    "trainings:session-publish": ("trainings:session-detail", _draft_session),
    "trainings:registration-paid": ("trainings:session-detail", _session_with_a_registration),
    "trainings:exam-links": ("trainings:session-detail", _finished_session_with_a_registration),
    "trainings:attendance": ("trainings:attendance", _finished_session_with_a_registration),
}
# Forms that show once a search step has chosen someone: the query string that chooses them.
HOST_QUERIES = {
    "trainings:external-new": lambda cast: f"?person={cast.officer.pk}",
}


# ---------------------------------------------------------------------------------------------
# The test.


@dataclass
class Target:
    name: str
    role: str
    url: str  # the page, for GET forms and as the first page to look at afterwards
    post_url: str  # where its form posts: the page, or the action of its form on another page
    post_fields: dict[str, Field]
    get_fields: dict[str, Field]
    has_post_form: bool
    renewable: bool = False  # fresh objects from url_kwargs show the same form


def sample_url(name: str, cast) -> str | None:
    """The URL with fresh objects from the matrix's url_kwargs; None when a sample can be made
    once only (a fixed token)."""
    try:
        with transaction.atomic():
            return reverse(name, kwargs=url_kwargs(name, cast))
    except IntegrityError:
        return None


def discover(name: str, cast) -> Target:
    role = role_for(name)
    url = reverse(name, kwargs=url_kwargs(name, cast))
    client = signed_in(role, cast)
    forms: list[Form] = []
    if name in HOSTS:
        host, make_kwargs = HOSTS[name]
        host_url = reverse(host, kwargs=make_kwargs(cast))
        forms += forms_for(name, host_url, client.get(host_url))
    elif opens(name, role):
        page = client.get(url)
        forms += forms_for(name, url, page) + query_links_for(name, url, page)
        if name in HOST_QUERIES:
            chosen = url + HOST_QUERIES[name](cast)
            forms += forms_for(name, chosen, client.get(chosen))
    if not any(form.method == "post" for form in forms):
        # A POST-only view, or one whose form sits on another page of its app: look there.
        hosts = [sample_url(other, cast) for other in sibling_pages(name) if opens(other, role)]
        for host_url in filter(None, hosts):
            forms += forms_for(name, host_url, client.get(host_url))
    post_forms = [form for form in forms if form.method == "post"]
    target = Target(
        name,
        role,
        url,
        post_url=post_forms[0].action if post_forms else url,
        post_fields=merged(forms, "post"),
        get_fields=merged(forms, "get"),
        has_post_form=bool(post_forms),
    )
    if target.post_fields and target.post_url == url and route_params(name) and name not in HOSTS:
        # An example may spend the object (accept an invitation, use a link): can the next one
        # start afresh? Only if a fresh object's form asks the same fields.
        again = sample_url(name, cast)
        if again is not None:
            fields = merged(forms_for(name, again, client.get(again)), "post")
            target.renewable = fields.keys() == target.post_fields.keys()
    return target


def viewer_pages(target: Target, posted: list[str], redirects: set[str]) -> list[tuple[str, str]]:
    """(role, url) of the pages that would show what was posted: the page itself, the pages the
    posts were sent on to, and the app's pages, each for the first role that opens it. A page
    whose URL takes the same arguments as a posted-to URL is opened for the same object."""
    pages = [(target.role, target.url)] + [(target.role, url) for url in sorted(redirects)[:8]]
    for other in [target.name, *sibling_pages(target.name)]:
        role = next((role for role in ROLE_ORDER if opens(other, role)), None)
        if role is None:
            continue
        params = route_params(other)
        if not params:
            pages.append((role, reverse(other)))
            continue
        for url in posted[-3:]:
            kwargs = resolve(urlsplit(url).path).kwargs
            if set(kwargs) == params:
                pages.append((role, reverse(other, kwargs=kwargs)))
    return list(dict.fromkeys(pages))


CAST_ATTRIBUTE = {"admin_same": "admin_a", "admin_other": "admin_b"}


def signed_in(role: str, cast):
    """A fresh sign-in for every request: a post may have signed the user out, changed their
    password (which ends older sessions) or removed their second factor."""
    if role == OWES_CODE:
        cast.vetter.refresh_from_db()
        if not cast.vetter.totpdevice_set.filter(confirmed=True).exists():
            TOTPDeviceFactory(user=cast.vetter)
        return sign_in(Client(), cast.vetter, second_factor=False)
    if role != "anonymous":
        getattr(cast, CAST_ATTRIBUTE.get(role, role)).refresh_from_db()
    return client_for(role, cast)


def check(response, where: str) -> None:
    assert response.status_code in ACCEPTABLE, f"{where}: {response.status_code}"
    assert_html_is_clean(response, where)


# What a spent or vanished object answers: the next example gets a fresh one, when it can.
SPENT = {400, 404, 409, 410}
LOCAL_PAGE = re.compile(r"^/(?!accounts/login/|account/two-factor/)")


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,  # nothing written to .hypothesis/; a failure prints its reproduction blob
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# ---------------------------------------------------------------------------------------------
# Endpoints a script posts JSON to (the passkey ceremonies, wnwa.passkeys): no form to read. The
# test above posts them form fields; this one posts hostile JSON, each time after a real first
# step (the page's script asks for a challenge first), so the answer reaches the verification.
# A passkey answer that is right but replayed, or made for another site, has its own tests
# (tests/passkeys/test_passkeys.py).

JSON_ENDPOINTS = {
    "passkeys:sign-in-begin": None,
    "passkeys:sign-in-complete": "passkeys:sign-in-begin",
    "passkeys:add-begin": None,
    "passkeys:add-complete": "passkeys:add-begin",
}

_HOSTILE_TEXT = st.sampled_from(
    XSS_VALUES + UNICODE_ODDITIES + SQL + TEMPLATE + OTHER + ["A" * 100_000, "%%%", "AAAA", "-_"]
)
_TEXT = _HOSTILE_TEXT | st.text(max_size=200)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=12,
)
# Shaped like a browser's answer, with hostile parts.
_ANSWER = st.fixed_dictionaries(
    {
        "id": _TEXT,
        "rawId": _TEXT,
        "type": st.sampled_from(["public-key", "", "<script>wnwa-xss-1234</script>"]) | _JSON,
        "response": st.fixed_dictionaries(
            {
                "clientDataJSON": _TEXT | _JSON,
                "authenticatorData": _TEXT,
                "signature": _TEXT,
                "attestationObject": _TEXT,
                "userHandle": st.none() | _TEXT | _JSON,
                "transports": st.lists(_TEXT, max_size=20) | _JSON,
            }
        ),
        "clientExtensionResults": _JSON,
        "authenticatorAttachment": _TEXT | _JSON,
    }
)
_BODIES = (
    _ANSWER.map(json.dumps)
    | _JSON.map(json.dumps)
    | st.binary(max_size=300).map(lambda raw: raw.decode("latin-1"))
)


@pytest.mark.parametrize("name", sorted(JSON_ENDPOINTS))
def test_hostile_json_never_breaks_a_script_endpoint(name, cast):
    first_step = JSON_ENDPOINTS[name]
    officer = cast.officer

    @examples(POST_FORM_EXAMPLES)
    @given(_BODIES)
    def hostile_json(body):
        cache.clear()
        client = Client()
        if name.startswith("passkeys:add"):  # signed in by password just now: a recent proof
            client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
        if first_step:
            assert (
                client.post(reverse(first_step), content_type="application/json").status_code == 200
            )
        response = client.post(reverse(name), body, content_type="application/json")
        where = f"POST {name} {body[:200]!r}"
        assert response.status_code in ACCEPTABLE, f"{where}: {response.status_code}"
        if response.status_code >= 400:
            assert len(response.json()["detail"]) > 20, where  # words a person can act on
        assert_no_raw_marker(response.content.decode(errors="replace"), where)

    hostile_json()


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_hostile_input_never_breaks_a_form_or_stores_a_script(
    name, cast, django_capture_on_commit_callbacks
):
    target = discover(name, cast)
    if EXPECTATIONS[name].get(target.role) == 405 and name not in JSON_ENDPOINTS:
        assert target.has_post_form, (
            f"{name} takes only a POST, but no page of its app shows its form: add the page "
            "that does (and the objects it needs) to HOSTS"
        )
    redirects: set[str] = set()
    posted: list[str] = []

    def send(data: dict, *, method: str) -> None:
        cache.clear()  # rate limits would turn every later example into a 429
        client = signed_in(target.role, cast)
        # Emails go out on commit: run those callbacks too, as the request would.
        with django_capture_on_commit_callbacks(execute=True):
            if method == "get":
                url = target.url + "?" + urlencoded(data)
                response = client.get(url)
            else:
                url = target.post_url
                if has_files(data) or len(data) % 2:
                    body = multipart(data)
                    content_type = f"multipart/form-data; boundary={BOUNDARY}"
                else:
                    body, content_type = urlencoded(data), "application/x-www-form-urlencoded"
                response = client.post(url, body, content_type=content_type)
                posted.append(url)
        check(response, f"{target.role} {method.upper()} {name} {url[:200]}")
        location = response.headers.get("Location", "")
        if method == "post" and response.status_code in SPENT and target.renewable:
            target.post_url = sample_url(name, cast) or target.post_url
        if response.status_code == 302 and LOCAL_PAGE.match(location):
            redirects.add(location.split("?", 1)[0])

    @examples(POST_FORM_EXAMPLES if target.post_fields else NO_FORM_EXAMPLES)
    @given(payloads(target.post_fields))
    def hostile_posts(data):
        send(data, method="post")

    hostile_posts()
    if target.post_fields:
        for data in clean_submissions(target.post_fields):
            send(data, method="post")

    if target.get_fields:

        @examples(GET_FORM_EXAMPLES)
        @given(payloads(target.get_fields))
        def hostile_queries(data):
            send(data, method="get")

        hostile_queries()

    if target.has_post_form:
        pages = viewer_pages(target, list(dict.fromkeys(posted)), redirects)
    else:
        pages = [(target.role, target.url)]
    for role, url in pages:
        response = signed_in(role, cast).get(url)
        check(response, f"{role} GET {url} after posting to {name}")
    assert_emails_are_clean(name)
