"""The standing cast every view is tested against (docs/architecture.md), and helpers to sign them in."""

import datetime
import io
import logging
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import (
    CertificationFactory,
    DepartmentFactory,
    FamilyAccountFactory,
    PeerListingFactory,
    StaffFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from wnwa.lib.cache import ForgivingRedisCache


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (transactional ones) run after all others, as Django's own
    runner orders them: pytest-randomly shuffles the order, and a flush in the middle would empty
    the rows the migrations seed (courses, languages) for the tests after it."""
    items.sort(key=_flushes_the_database)  # stable: the shuffled order holds within each part


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ForgivingRedisCache.unreachable = False  # each test's outage is logged afresh
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, user, *, second_factor: bool = True) -> Client:
    """Sign `user` in; with `second_factor`, as if they had given a valid code this session."""
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    if second_factor:
        device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@dataclass
class Cast:
    department_a: object
    department_b: object
    officer: object
    retiree: object
    family: object
    peer: object
    admin_a: object
    admin_b: object
    vetter: object
    trainer: object
    network_admin: object
    unverified_staff: object


@pytest.fixture
def cast(db) -> Cast:
    department_a = DepartmentFactory(name="Alpha Police", slug="alpha-pd", county="Cook")
    department_b = DepartmentFactory(name="Bravo Police", slug="bravo-pd", county="DuPage")
    # Fixed, unusual names: tests search pages for them, and a random name such as "West" or
    # "Page" could match other words on the page.
    peer = UserFactory(
        department=department_b, email="peer@b.test", first_name="Pat", last_name="Okonkwo"
    )
    CertificationFactory(person=peer)
    PeerListingFactory(peer=peer)
    officer = UserFactory(
        department=department_a,
        email="officer@a.test",
        first_name="Sloane",
        last_name="Vandermeulen",
    )
    return Cast(
        department_a=department_a,
        department_b=department_b,
        officer=officer,
        # The officer's spouse: a family member of department A (docs/product.md, "Families").
        family=FamilyAccountFactory(
            invited_by=officer,
            user__email="family@home.test",
            user__first_name="Marisol",
            user__last_name="Quennell-Abara",
        ).user,
        # Retired from department A: an officer in all but the department's figures.
        retiree=UserFactory(
            department=department_a,
            email="retiree@a.test",
            first_name="Rowan",
            last_name="Ellingsworth",
            retired_on=datetime.date(2025, 6, 30),
        ),
        peer=peer,
        admin_a=UserFactory(
            department=department_a,
            email="admin@a.test",
            first_name="Dana",
            last_name="Kowalczyk",
            is_department_admin=True,
        ),
        admin_b=UserFactory(
            department=department_b,
            email="admin@b.test",
            first_name="Morgan",
            last_name="Achterberg",
            is_department_admin=True,
        ),
        vetter=StaffFactory(email="vetter@network.test", is_vetter=True),
        trainer=StaffFactory(email="trainer@network.test", is_training_staff=True),
        network_admin=StaffFactory(
            email="root@network.test", is_network_admin=True, is_superuser=True
        ),
        unverified_staff=StaffFactory(email="unverified@network.test", is_vetter=True),
    )


# The production cache backend on a Redis nobody listens on: connections are refused at once,
# as when Redis is down.
DOWN_CACHE = {
    "default": {
        "BACKEND": "wnwa.lib.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
}


ROLES = [
    "anonymous",
    "officer",
    "retiree",
    "family",
    "peer",
    "admin_same",
    "admin_other",
    "vetter",
    "trainer",
    "network_admin",
    "unverified_staff",
]


def client_for(role: str, cast: Cast) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "unverified_staff":
        return sign_in(client, cast.unverified_staff, second_factor=False)
    user = {
        "officer": cast.officer,
        "retiree": cast.retiree,
        "family": cast.family,
        "peer": cast.peer,
        "admin_same": cast.admin_a,
        "admin_other": cast.admin_b,
        "vetter": cast.vetter,
        "trainer": cast.trainer,
        "network_admin": cast.network_admin,
    }[role]
    return sign_in(client, user)


def cache_keys() -> list[str]:
    """Every key in the default cache, whether it is local memory or Redis."""
    from django.core.cache import cache

    store = cache._cache
    if isinstance(store, dict):  # LocMemCache
        return [str(key) for key in store]
    return [key.decode() for key in store.get_client().keys("*")]


@pytest.fixture
def log_output():
    """What the configured handlers write, from every logger, into one buffer for the test:
    what would reach a log file."""
    buffer = io.StringIO()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
    ]
    swapped: dict = {}
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler not in swapped:
                swapped[handler] = handler.setStream(buffer)
    assert swapped, "no stream handler is configured"
    yield buffer
    for handler, stream in swapped.items():
        handler.setStream(stream)


def admin_change(client: Client, url: str, **changes) -> None:
    """Post a Django admin change form as a network admin would: the form as it loads, with
    `changes` (a False boolean unticks its box). Fails with the form's errors."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, value in {**form.initial, **changes}.items():
        if name not in form.fields or value is False or value is None and name not in changes:
            continue
        if isinstance(value, FieldFile):  # an empty upload keeps the stored file
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@dataclass
class TaskQueue:
    """The production queue in a test: tasks wait in the database until `run()` works them
    off with the real worker, in this process."""

    def run(self) -> int:
        from wnwa.lib.tasks import run_queued_tasks

        return run_queued_tasks()

    def waiting(self) -> int:
        from wnwa.lib.tasks import queue_counts

        return queue_counts()["waiting"]


@pytest.fixture
def task_queue(settings) -> TaskQueue:
    """Queue tasks in the database, as in production, instead of running them at once."""
    settings.TASKS = DATABASE_TASKS
    return TaskQueue()
