"""Bodies larger than their route's largest legitimate request are refused, unread, with 413."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, resolve

from professionals.forms import DOCUMENT_MAX_BYTES
from professionals.models import Application
from wnwa.lib.uploads import request_max_bytes
from wnwa.middleware import RequestSizeMiddleware

APPLY = "/professionals/apply/"
MB = 1024 * 1024
FIELDS = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # what Django takes of fields besides files


class Unreadable(io.RawIOBase):
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def post_declaring(client, path: str, length: int, **extra):
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def limit_of(path: str) -> int:
    return request_max_bytes(resolve(path).func)


def test_a_300_mb_post_to_the_public_application_is_refused_unread(client, db):
    response = post_declaring(client, APPLY, 300 * MB)
    assert response.status_code == 413
    html = response.content.decode()
    assert "too large" in html and 'href="tel:988"' in html  # the crisis lines, as on every page
    assert "Content-Security-Policy" in response.headers
    assert not Application.objects.exists()


def test_the_limit_of_each_upload_route_comes_from_its_forms_own_file_limits(settings):
    assert limit_of(APPLY) == 3 * DOCUMENT_MAX_BYTES + FIELDS  # licence, CV, malpractice
    assert limit_of("/department/roster/upload/") == settings.ROSTER_MAX_BYTES + FIELDS
    assert limit_of("/trainings/external/new/") == settings.TRAININGS_UPLOAD_MAX_BYTES + FIELDS
    assert limit_of("/trainings/staff/questions/c/import/") == (
        settings.TRAININGS_CSV_MAX_BYTES + FIELDS
    )
    # The admin takes its largest change form: a resource PDF.
    assert limit_of("/network-admin/resources/resource/add/") == (
        settings.RESOURCE_FILE_MAX_BYTES + FIELDS
    )
    settings.ROSTER_MAX_BYTES = 1 * MB  # read when the request comes, as the form reads it
    assert limit_of("/department/roster/upload/") == 1 * MB + FIELDS


@pytest.mark.parametrize(
    "path", [APPLY, "/department/roster/upload/", "/contact/", "/accounts/login/", "/nowhere/"]
)
def test_one_byte_over_the_limit_is_refused_and_the_limit_itself_goes_through(path):
    middleware = RequestSizeMiddleware(lambda request: HttpResponse("through"))
    limit = limit_of(path) if path != "/nowhere/" else FIELDS

    def answer(length: int) -> int:
        request = RequestFactory().generic(
            "POST", path, CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()}
        )
        return middleware(request).status_code

    assert answer(limit + 1) == 413
    assert answer(limit) == 200


def test_a_file_posted_to_a_page_without_uploads_is_refused_before_it_reaches_the_disk(client, db):
    assert post_declaring(client, "/contact/", FIELDS + 1).status_code == 413


def test_a_chunked_body_without_a_length_is_refused(client, db):
    response = client.generic(
        "POST", APPLY, HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": Unreadable()}
    )
    assert response.status_code == 411
    assert 'href="tel:988"' in response.content.decode()


def test_ordinary_requests_are_untouched(client, db):
    assert client.get(APPLY).status_code == 200


def test_the_refusal_is_logged_by_route_and_status_only(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="wnwa.requests"):
        post_declaring(client, APPLY, 300 * MB)
    assert [r.getMessage().split()[:3] for r in caplog.records if r.name == "wnwa.requests"] == [
        ["POST", "professionals:apply", "413"]
    ]


def _routes(patterns=None, prefix=""):
    """Every route of the project as (its pattern's text, its view)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def test_the_proxy_config_holds_each_upload_route_to_its_own_limit():
    """deploy/nginx.conf, the proxy of compose.yaml: each location's client_max_body_size lets its
    route's largest legitimate request through and no more than 1 MB beyond it, and every route
    that takes more than the default has a location of its own (or the admin's)."""
    config = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    default = int(re.search(r"^\s*client_max_body_size (\d+)m;", config, re.M).group(1))
    locations = re.findall(r"location (=|~)? ?(\S+) \{ client_max_body_size (\d+)m;", config)
    checked = [("/contact/", default), ("/", default)]
    covered = set()
    for kind, path, megabytes in locations:
        if kind == "~":
            path = path.strip("^$").replace("[^/]+", "a-course")
        checked.append((path, int(megabytes)))
        if kind != "" or path == "/network-admin/":
            covered.add(path)
    for path, megabytes in checked:
        limit = limit_of(path)
        assert limit <= megabytes * MB < limit + MB, path
    admin_limit = dict(checked)["/network-admin/"] * MB
    for route, view in _routes():
        if request_max_bytes(view) <= default * MB:
            continue
        if route.startswith("network-admin/"):
            assert request_max_bytes(view) <= admin_limit, route
        else:
            sample = "/" + re.sub(r"<(?:\w+:)?\w+>", "a-course", route).replace("^", "")
            assert sample in covered or any(
                resolve(sample).func is resolve(path).func for path in covered
            ), f"{route}: no location of its own in deploy/nginx.conf"
