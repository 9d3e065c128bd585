import datetime

import pytest
from django.utils import timezone

from tests.factories import AttendanceFactory, QuestionFactory, RegistrationFactory, SessionFactory
from trainings import services
from trainings.models import Choice, ExamAttempt


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


def right_answers(attempt: ExamAttempt, *, wrong: int = 0) -> dict[int, int]:
    """Answers to every drawn question, the first `wrong` of them wrong."""
    answers = {}
    for index, item in enumerate(attempt.layout):
        correct = Choice.objects.get(question_id=item["question"], is_correct=True).pk
        others = [c for c in item["choices"] if c != correct]
        answers[item["question"]] = others[0] if index < wrong else correct
    return answers


def sit(registration, today, *, wrong: int) -> ExamAttempt:
    attempt = services.exam_start(registration=registration, today=today)
    return services.exam_submit(
        attempt=attempt, answers=right_answers(attempt, wrong=wrong), today=today
    )
