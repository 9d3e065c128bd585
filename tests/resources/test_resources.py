"""Resources for signed-in officers: grouped by category, links that tell no one where you came
from, PDFs only through the officer check."""

import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import Resource
from resources.models import document_storage as ResourceFileStorage
from tests.conftest import client_for, sign_in
from tests.factories import CategoryFactory, ResourceFactory
from tests.html import outbound_links

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.RESOURCE_FILES_ROOT = tmp_path / "resources"
    return settings.RESOURCE_FILES_ROOT


def pdf_resource(**fields) -> Resource:
    resource = ResourceFactory.build(link="", category=CategoryFactory(), **fields)
    resource.document.save("guide.pdf", SimpleUploadedFile("guide.pdf", PDF), save=False)
    resource.full_clean()
    resource.save()
    return resource


def test_resources_are_grouped_by_category_in_order(client, cast):
    family = CategoryFactory(name="Family", position=2)
    sleep = CategoryFactory(name="Sleep and shift work", position=1)
    ResourceFactory(category=family, title="Talking to your kids")
    ResourceFactory(category=sleep, title="Sleeping after nights", position=2)
    ResourceFactory(category=sleep, title="Caffeine and the body", position=1)
    html = sign_in(client, cast.officer).get(reverse("resources:index")).content.decode()
    order = [
        html.index(text)
        for text in (
            "Sleep and shift work",
            "Caffeine and the body",
            "Sleeping after nights",
            "Family",
            "Talking to your kids",
        )
    ]
    assert order == sorted(order)


def test_unpublished_resources_and_empty_categories_are_not_shown(client, cast):
    drafts = CategoryFactory(name="Drafts")
    ResourceFactory(title="Draft piece", is_published=False, category=drafts)
    html = sign_in(client, cast.officer).get(reverse("resources:index")).content.decode()
    assert "Draft piece" not in html and "Drafts" not in html
    assert "Staff have not added any reading yet" in html
    assert (
        reverse("resources:self-check", args=["pcl-5"]) in html
    )  # the self-checks are always there


def test_every_outbound_link_carries_noreferrer(client, cast):
    ResourceFactory(link="https://example.org/a-guide?utm=x")
    response = sign_in(client, cast.officer).get(reverse("resources:index"))
    links = outbound_links(response)
    assert any(a["href"] == "https://example.org/a-guide?utm=x" for a in links)
    assert all("noreferrer" in (a.get("rel") or "").split() for a in links), links


def test_hostile_text_in_a_resource_is_shown_as_text(client, cast):
    ResourceFactory(title="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>")
    html = sign_in(client, cast.officer).get(reverse("resources:index")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_a_javascript_link_is_refused(db):
    resource = ResourceFactory.build(link="javascript:alert(1)", category=CategoryFactory())
    with pytest.raises(ValidationError):
        resource.full_clean()


def test_reading_resources_writes_nothing(client, cast):
    ResourceFactory.create_batch(3)
    pdf = pdf_resource()
    sign_in(client, cast.officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("resources:index")).status_code == 200
        assert client.get(reverse("resources:document", args=[pdf.pk])).status_code == 200
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert len(queries) <= 12  # a handful per page, not one per resource


def test_an_officer_opens_a_pdf_inline_through_the_role_check(client, cast):
    resource = pdf_resource(title="Coping after a critical incident")
    response = sign_in(client, cast.officer).get(reverse("resources:document", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "coping-after-a-critical-incident.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", ["anonymous", "vetter", "trainer"])
def test_people_who_are_not_officers_cannot_open_a_pdf(cast, role):
    resource = pdf_resource()
    response = client_for(role, cast).get(reverse("resources:document", args=[resource.pk]))
    assert response.status_code in {302, 403}
    assert not response.has_header("Content-Disposition")


def test_a_pdf_has_no_public_address(db, private_files):
    resource = pdf_resource()
    assert (private_files / resource.document.name).exists()
    with pytest.raises(ValueError):
        ResourceFileStorage().url(resource.document.name)
    assert not resource.document.name.startswith("guide")  # the upload's own name is not kept


def test_an_unpublished_pdf_is_hidden_from_officers_but_not_from_network_admins(client, cast):
    resource = pdf_resource(is_published=False)
    url = reverse("resources:document", args=[resource.pk])
    assert sign_in(client, cast.officer).get(url).status_code == 404
    assert client_for("network_admin", cast).get(url).status_code == 200


def test_a_pdf_missing_from_disk_is_not_found_rather_than_an_error(client, cast, private_files):
    resource = pdf_resource()
    (private_files / resource.document.name).unlink()
    assert (
        sign_in(client, cast.officer)
        .get(reverse("resources:document", args=[resource.pk]))
        .status_code
        == 404
    )


def test_a_link_resource_has_no_pdf_to_open(client, cast):
    resource = ResourceFactory()
    assert (
        sign_in(client, cast.officer)
        .get(reverse("resources:document", args=[resource.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("guide.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("guide.exe", PDF, "extension"),
        ("guide.pdf", b"", "not a PDF"),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_refused(db, name, content, message):
    resource = ResourceFactory.build(link="", category=CategoryFactory())
    resource.document = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert message in str(error.value)


def test_an_oversized_pdf_is_refused(db, settings):
    settings.RESOURCE_FILE_MAX_BYTES = 100
    resource = ResourceFactory.build(link="", category=CategoryFactory())
    resource.document = SimpleUploadedFile("big.pdf", PDF + b"0" * 200)
    with pytest.raises(ValidationError, match="larger than"):
        resource.full_clean()


@pytest.mark.parametrize("with_link, with_pdf", [(True, True), (False, False)])
def test_a_resource_needs_a_link_or_a_pdf_not_both(db, with_link, with_pdf):
    resource = ResourceFactory.build(
        link="https://example.org/x" if with_link else "", category=CategoryFactory()
    )
    if with_pdf:
        resource.document = SimpleUploadedFile("guide.pdf", PDF)
    with pytest.raises(ValidationError, match="link or a PDF"):
        resource.full_clean()


def test_network_admins_add_a_pdf_resource_in_the_admin(cast, private_files):
    client = client_for("network_admin", cast)
    category = CategoryFactory(name="Grief")
    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "category": category.pk,
            "title": "After a line-of-duty death",
            "summary": "For the families and the squad.",
            "audience": "both",
            "link": "",
            "document": SimpleUploadedFile("grief.pdf", PDF, content_type="application/pdf"),
            "is_published": "on",
            "position": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(title="After a line-of-duty death")
    assert (private_files / resource.document.name).read_bytes() == PDF
    change = client.get(reverse("admin:resources_resource_change", args=[resource.pk]))
    assert change.status_code == 200
    assert reverse("resources:document", args=[resource.pk]) in change.content.decode()


def test_the_admin_refuses_a_fake_pdf(cast):
    client = client_for("network_admin", cast)
    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "category": CategoryFactory().pk,
            "title": "Fake",
            "summary": "x",
            "document": SimpleUploadedFile("fake.pdf", b"MZ\x90", content_type="application/pdf"),
            "position": 0,
        },
    )
    assert response.status_code == 200 and "This file is not a PDF." in response.content.decode()
    assert not Resource.objects.exists()


def test_opening_a_pdf_is_logged_by_route_name_only(client, cast, caplog):
    resource = pdf_resource()
    sign_in(client, cast.officer)
    with caplog.at_level(logging.INFO, logger="wnwa.requests"):
        client.get(reverse("resources:document", args=[resource.pk]))
    lines = [r.getMessage() for r in caplog.records if r.name == "wnwa.requests"]
    assert lines and lines[-1].startswith("GET resources:document 200 ")
    assert not any(f"/{resource.pk}/" in line or cast.officer.email in line for line in lines)
