import datetime

import pytest
from django.utils import timezone

from tests.factories import AttendanceFactory, QuestionFactory, RegistrationFactory, SessionFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def today():
    return timezone.localdate()


def finished_session(*, ended_days_ago: int = 0, **fields):
    """A three-day Teammate session whose last day was `ended_days_ago` days ago."""
    ends = timezone.localdate() - datetime.timedelta(days=ended_days_ago)
    return SessionFactory(starts_on=ends - datetime.timedelta(days=2), ends_on=ends, **fields)


def attended(session, *, absent_on: tuple[int, ...] = (), **fields):
    """A registration marked present every day, except the day indexes in `absent_on`."""
    registration = RegistrationFactory(session=session, **fields)
    for index, day in enumerate(session.days):
        AttendanceFactory(registration=registration, day=day, present=index not in absent_on)
    return registration


@pytest.fixture
def bank(db):
    """Ten Teammate questions (so one wrong answer is exactly 90%)."""
    return [QuestionFactory() for _ in range(10)]
