"""Every page of the Django admin, for every model registered in it, as a network admin who gave
a second factor: the changelist (searched, filtered, and with each action asked for), the add,
change, delete and history pages, with a record of the model made by its factory, a record of
each inline's model under it, and a file in every file field.

The models come from `admin_site._registry`, so a model registered later is walked too; its
factory is found in tests/factories.py by the model it makes. A private file (wnwa.lib.storage)
has no URL: the change page must link to the view that serves it after its permission check,
and that view must answer the file to the network admin.
"""

import re
from html import unescape

import factory.django
import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.forms.models import _get_foreign_key
from django.test import Client, RequestFactory
from django.urls import reverse

from departments.models import Department
from tests import factories
from tests.conftest import ROLES, client_for, sign_in
from tests.factories import StaffFactory
from tests.test_authorization_matrix import ADMIN_RULE, assert_outcome
from wnwa.accounts.models import User
from wnwa.admin import admin_site

REGISTERED = sorted(admin_site._registry.items(), key=lambda item: item[0]._meta.label)


def label(model) -> str:
    return model._meta.label


def factory_for(model) -> type:
    """The factory in tests/factories.py that makes `model` (`<Model>Factory` if several do)."""
    makers = [
        value
        for value in vars(factories).values()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value._meta.model is model
    ]
    if not makers:
        pytest.fail(
            f"{label(model)} is in the admin but no factory in tests/factories.py makes it: add "
            f"one (class {model.__name__}Factory, Meta.model = {model.__name__})"
        )
    named = [maker for maker in makers if maker.__name__ == f"{model.__name__}Factory"]
    return (named or makers)[0]


def file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.fields if isinstance(field, models.FileField)]


def contents(model, field) -> bytes:
    """A small PDF of its own for each model's field: the download must answer this one."""
    return f"%PDF-1.4\n{label(model)}.{field.name}\n".encode()


def make(model, **kwargs):
    files = {
        field.name: ContentFile(contents(model, field), name=f"{field.name}.pdf")
        for field in file_fields(model)
    }
    record = factory_for(model)(**{**files, **kwargs})
    for field in file_fields(model):
        assert field.name in kwargs or getattr(record, field.name), f"{label(model)}.{field.name}"
    return record


def with_inline_records(model_admin, record) -> list:
    """One record of each inline's model under `record`: the files the change page shows."""
    children = []
    for inline in model_admin.inlines:
        key = _get_foreign_key(model_admin.model, inline.model, fk_name=inline.fk_name)
        children.append(make(inline.model, **{key.name: record}))
    return children


@pytest.fixture
def network_admin(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.RESOURCE_FILES_ROOT = tmp_path / "resources"
    return StaffFactory(email="root@network.test", is_network_admin=True, is_superuser=True)


@pytest.fixture
def admin_client(network_admin) -> Client:
    return sign_in(Client(), network_admin)


def url(model, page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def get(client: Client, address: str, expected: int = 200, where: str = ""):
    response = client.get(address)
    assert response.status_code == expected, (
        f"{where or address}: expected {expected}, got {response.status_code}"
    )
    return response


FILE_LINK = re.compile(r'<p class="file-upload">[^<]*<a href="([^"]+)"')


def download(client: Client, address: str) -> bytes:
    response = client.get(address)
    assert response.status_code == 200, f"{address}: {response.status_code}"
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_admin_has_models_to_walk():
    assert len(REGISTERED) >= 20, [label(model) for model, _ in REGISTERED]


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[label(m) for m, _ in REGISTERED]
)
def test_every_admin_page_of_the_model_answers(model, model_admin, admin_client, network_admin):
    record = make(model)
    children = with_inline_records(model_admin, record)
    request = RequestFactory().get("/")
    request.user = network_admin
    name = label(model)

    changelist = get(admin_client, url(model, "changelist"), where=f"{name} changelist")
    assert url(model, "change", record.pk) in changelist.content.decode(), (
        f"{name}: the record is not listed in its changelist"
    )
    get(admin_client, url(model, "changelist") + "?q=x", where=f"{name} search")
    # Every filter and date link in the sidebar (each is a query string on the changelist).
    for query in sorted(set(re.findall(r'href="(\?[^"]*)"', changelist.content.decode()))):
        get(admin_client, url(model, "changelist") + unescape(query), where=f"{name} {query}")

    # Each action, asked for the record: delete_selected answers its confirmation page.
    for action in model_admin.get_actions(request):
        response = admin_client.post(
            url(model, "changelist"), {"action": action, "_selected_action": [record.pk]}
        )
        assert response.status_code in (200, 302), f"{name} action {action}"
        assert model.objects.filter(pk=record.pk).exists(), f"{name} action {action} acted"

    for field in getattr(model_admin, "autocomplete_fields", ()):
        query = f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
        get(
            admin_client,
            reverse("admin:autocomplete") + f"{query}&field_name={field}&term=x",
            where=f"{name} autocomplete {field}",
        )

    may_add = model_admin.has_add_permission(request)
    if model is User:  # accounts are invited from the staff pages (tests/staff/test_admin_user.py)
        added = get(admin_client, url(model, "add"), 302, f"{name} add")
        assert added["Location"] == reverse("staff:invite")
    else:
        get(admin_client, url(model, "add"), 200 if may_add else 403, f"{name} add")
    change = get(admin_client, url(model, "change", record.pk), where=f"{name} change")
    may_delete = model_admin.has_delete_permission(request, record)
    get(admin_client, url(model, "delete", record.pk), 200 if may_delete else 403, f"{name} delete")
    get(admin_client, url(model, "history", record.pk), where=f"{name} history")

    # Every file on the page is a link to a view that answers that very file.
    html = change.content.decode()
    links = [unescape(link) for link in FILE_LINK.findall(html)]
    served = {link: download(admin_client, link) for link in links}
    for holder in [record, *children]:
        for field in file_fields(type(holder)):
            stored = getattr(holder, field.name).name
            assert stored not in html, f"{label(type(holder))}.{field.name}: the stored name shows"
            assert contents(type(holder), field) in served.values(), (
                f"{name} change page: no link serves {label(type(holder))}.{field.name} "
                f"(file links on the page: {links})"
            )


@pytest.mark.parametrize("role", ROLES)
def test_a_designation_in_the_admin_is_for_verified_network_admins_only(
    role, cast, settings, tmp_path
):
    """The admin's own download (a department admin opens theirs from the compliance page)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = cast.department_a
    department.designation_document.save("designation.pdf", ContentFile(b"%PDF-1.4 signed"))
    address = url(Department, "designation", department.pk)
    response = client_for(role, cast).get(address)
    assert_outcome(response, ADMIN_RULE[role], f"{role} GET {address}")
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
        assert "no-store" in response["Cache-Control"]


def test_a_department_without_a_designation_has_none_to_download(admin_client):
    department = make(Department, designation_document="")
    assert not department.designation_document
    get(admin_client, url(Department, "designation", department.pk), 404)
    get(admin_client, url(Department, "designation", 10**9), 404)
