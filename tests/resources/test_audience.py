"""Resources have an audience: officers, families or both (docs/product.md, "Families")."""

from django.test import Client
from django.urls import reverse

from resources.models import Audience
from tests.conftest import sign_in
from tests.factories import ResourceFactory


def test_each_reader_sees_the_resources_for_them(cast):
    ResourceFactory(title="For officers alone", audience=Audience.OFFICERS)
    ResourceFactory(title="For families alone", audience=Audience.FAMILIES)
    ResourceFactory(title="For everyone", audience=Audience.BOTH)
    family = sign_in(Client(), cast.family, second_factor=False)
    theirs = family.get(reverse("resources:index")).content.decode()
    assert "For families alone" in theirs and "For everyone" in theirs
    assert "For officers alone" not in theirs
    officer = sign_in(Client(), cast.officer).get(reverse("resources:index")).content.decode()
    assert "For officers alone" in officer and "For everyone" in officer
    assert "For families alone" not in officer


def test_a_pdf_is_served_to_its_audience_only(cast, settings, tmp_path):
    settings.RESOURCE_FILES_ROOT = tmp_path
    (tmp_path / "family.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "officer.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    for_family = ResourceFactory(audience=Audience.FAMILIES, link="", document="family.pdf")
    for_officers = ResourceFactory(audience=Audience.OFFICERS, link="", document="officer.pdf")
    family = sign_in(Client(), cast.family, second_factor=False)
    officer = sign_in(Client(), cast.officer)
    assert family.get(reverse("resources:document", args=[for_family.pk])).status_code == 200
    assert family.get(reverse("resources:document", args=[for_officers.pk])).status_code == 404
    assert officer.get(reverse("resources:document", args=[for_family.pk])).status_code == 404
    assert officer.get(reverse("resources:document", args=[for_officers.pk])).status_code == 200
