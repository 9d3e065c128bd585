"""The certification exam: who may sit it, the window, attempts, grading and tampering."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import QuestionFactory, UserFactory
from tests.html import squashed
from tests.trainings.conftest import attended, finished_session, right_answers, sit
from trainings import services
from trainings.models import Certification, Choice, ExamAttempt, ExamLink

pytestmark = pytest.mark.django_db


def post_data(answers: dict[int, int]) -> dict[str, str]:
    return {f"q-{question}": str(choice) for question, choice in answers.items()}


# --- The pass mark -------------------------------------------------------------------------------


def test_exactly_ninety_percent_fails(bank, today):
    registration = attended(finished_session())
    attempt = sit(registration, today, wrong=1)
    assert (attempt.correct, attempt.total) == (9, 10)
    assert not attempt.passed
    assert not Certification.objects.filter(email=registration.email).exists()


def test_anything_above_ninety_percent_passes_and_certifies(bank, today):
    QuestionFactory()  # eleven questions: 10 right is 90.9%
    registration = attended(finished_session())
    attempt = sit(registration, today, wrong=1)
    assert (attempt.correct, attempt.total) == (10, 11)
    assert attempt.passed
    certification = Certification.objects.get(email=registration.email)
    assert certification.source == Certification.Source.EXAM
    assert certification.status == Certification.Status.VERIFIED
    assert certification.person is None  # no account yet: held by email


@pytest.mark.parametrize(
    ("correct", "total", "passed"),
    [
        (9, 10, False),
        (10, 10, True),
        (27, 30, False),
        (28, 30, True),
        (0, 0, False),
        (14, 15, True),
    ],
)
def test_pass_mark_is_strictly_above_ninety(correct, total, passed):
    assert services.passes(correct=correct, total=total) is passed


def test_passing_ties_the_certification_to_the_account_with_that_email(bank, today, cast):
    registration = attended(finished_session(), email=cast.officer.email.upper())
    sit(registration, today, wrong=0)
    assert services.exam_refusal(registration=registration, today=today)  # passed: no more
    from wnwa.accounts.roles import is_peer_supporter

    assert is_peer_supporter(cast.officer)


def test_a_certification_held_by_email_joins_the_account_when_it_is_activated(bank, today):
    registration = attended(finished_session(), email="new.peer@agency.test")
    sit(registration, today, wrong=0)
    officer = UserFactory(email="new.peer@agency.test", password=None)
    certification = Certification.objects.get(email="new.peer@agency.test")
    assert certification.person == officer


# --- Attempts and the window ---------------------------------------------------------------------


def test_a_fourth_attempt_is_refused(bank, today):
    registration = attended(finished_session())
    for _ in range(3):
        assert not sit(registration, today, wrong=5).passed
    with pytest.raises(services.ExamRefused, match="all 3 attempts"):
        services.exam_start(registration=registration, today=today)
    assert registration.attempts.count() == 3


def test_day_thirty_after_the_session_is_open(bank, today):
    registration = attended(finished_session(ended_days_ago=30))
    assert services.exam_start(registration=registration, today=today).number == 1


def test_day_thirty_one_is_closed(bank, today):
    registration = attended(finished_session(ended_days_ago=31))
    with pytest.raises(services.ExamRefused, match="closed"):
        services.exam_start(registration=registration, today=today)


def test_the_exam_does_not_open_before_the_last_day(bank, today):
    session = finished_session(ended_days_ago=-1)
    registration = attended(session)
    with pytest.raises(services.ExamRefused, match="opens on"):
        services.exam_start(registration=registration, today=today)


def test_an_attempt_started_in_time_cannot_be_submitted_once_the_window_closed(bank, today):
    registration = attended(finished_session(ended_days_ago=30))
    attempt = services.exam_start(registration=registration, today=today)
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(services.ExamRefused, match="closed"):
        services.exam_submit(attempt=attempt, answers=right_answers(attempt), today=tomorrow)


@pytest.mark.parametrize("missed_day", [0, 1, 2])
def test_a_trainee_absent_on_any_day_may_not_sit_the_exam(bank, today, missed_day):
    registration = attended(finished_session(), absent_on=(missed_day,))
    with pytest.raises(services.ExamRefused, match="present on every day"):
        services.exam_start(registration=registration, today=today)


def test_a_day_without_any_mark_counts_as_missed(bank, today):
    session = finished_session()
    registration = attended(session)
    registration.attendance.filter(day=session.ends_on).delete()
    assert "present on every day" in services.exam_refusal(registration=registration, today=today)


def test_an_empty_question_bank_means_the_exam_is_not_ready(today):
    registration = attended(finished_session())
    assert "not ready" in services.exam_refusal(registration=registration, today=today)


# --- The drawn order ----------------------------------------------------------------------------


def test_question_order_differs_between_attempts(today):
    for _ in range(30):
        QuestionFactory()
    registration = attended(finished_session())
    orders = []
    for _ in range(3):
        attempt = sit(registration, today, wrong=10)
        orders.append([item["question"] for item in attempt.layout])
    assert sorted(orders[0]) == sorted(orders[1]) == sorted(orders[2])
    # 30! orders: three identical draws would mean the order is not random.
    assert len({tuple(order) for order in orders}) > 1


def test_reloading_an_attempt_shows_the_same_order(bank, today, client, cast):
    registration = attended(finished_session(), email=cast.officer.email)
    sign_in(client, cast.officer)
    client.post(reverse("trainings:exam-start", args=[registration.pk]))
    attempt = registration.attempts.get()
    url = reverse("trainings:exam-attempt", args=[attempt.pk])
    first, second = client.get(url).content.decode(), client.get(url).content.decode()
    pattern = r'name="q-(\d+)"'
    assert re.findall(pattern, first) == re.findall(pattern, second)
    assert services.exam_start(registration=registration, today=today) == attempt


# --- The page and tampering -----------------------------------------------------------------------


@pytest.fixture
def officer_attempt(bank, today, client, cast):
    registration = attended(finished_session(), email=cast.officer.email)
    sign_in(client, cast.officer)
    response = client.post(reverse("trainings:exam-start", args=[registration.pk]))
    attempt = registration.attempts.get()
    assert response.headers["Location"] == reverse("trainings:exam-attempt", args=[attempt.pk])
    return attempt


def test_the_right_answers_are_not_in_the_exam_page(officer_attempt, client):
    page = client.get(reverse("trainings:exam-attempt", args=[officer_attempt.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The right answer" in html  # the choice text is shown...
    assert "is_correct" not in html and "correct" not in html.lower().replace("incorrect", "")
    # ...but nothing tells it apart: every choice is a radio button with an id as its value.
    values = re.findall(r'type="radio" name="q-\d+" value="(\d+)"', html)
    assert len(values) == 30
    right = {str(pk) for pk in Choice.objects.filter(is_correct=True).values_list("pk", flat=True)}
    positions = [
        values[i : i + 3].index(v) for i in range(0, 30, 3) for v in values[i : i + 3] if v in right
    ]
    assert len(set(positions)) > 1  # the right answer is not always in the same place


def test_submitting_shows_the_score(officer_attempt, client):
    url = reverse("trainings:exam-attempt", args=[officer_attempt.pk])
    response = client.post(url, post_data(right_answers(officer_attempt, wrong=0)), follow=True)
    html = response.content.decode()
    assert "You passed" in html and "10 of 10" in html and "100%" in html
    certification = Certification.objects.get(email=officer_attempt.registration.email)
    assert reverse("trainings:certificate", args=[certification.pk]) in html


def test_a_failed_attempt_says_so_and_keeps_the_door_open(officer_attempt, client):
    url = reverse("trainings:exam-attempt", args=[officer_attempt.pk])
    response = client.post(url, post_data(right_answers(officer_attempt, wrong=1)), follow=True)
    html = response.content.decode()
    assert "Not this time" in html and "9 of 10" in html and "(90%)" in html
    assert "account page" in html


def test_a_submission_with_an_unknown_question_is_refused(officer_attempt, client):
    data = post_data(right_answers(officer_attempt))
    data["q-999999"] = "1"
    response = client.post(reverse("trainings:exam-attempt", args=[officer_attempt.pk]), data)
    assert response.status_code == 400
    assert "does not match the exam" in response.content.decode()
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted


def test_two_answers_to_one_question_are_refused(officer_attempt, client):
    answers = right_answers(officer_attempt)
    first = officer_attempt.layout[0]
    data = {f"q-{q}": [str(c)] for q, c in answers.items()}
    data[f"q-{first['question']}"] = [str(c) for c in first["choices"]]  # every choice at once
    response = client.post(reverse("trainings:exam-attempt", args=[officer_attempt.pk]), data)
    assert response.status_code == 400
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted


def test_a_choice_from_another_question_is_refused(officer_attempt, client):
    answers = right_answers(officer_attempt)
    first, second = officer_attempt.layout[0], officer_attempt.layout[1]
    answers[first["question"]] = second["choices"][0]
    response = client.post(
        reverse("trainings:exam-attempt", args=[officer_attempt.pk]), post_data(answers)
    )
    assert response.status_code == 200 and "valid choice" in response.content.decode()
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted
    with pytest.raises(services.ExamRefused):
        services.exam_submit(
            attempt=officer_attempt, answers=answers, today=officer_attempt.started_at.date()
        )


def test_a_missing_answer_keeps_the_others_and_grades_nothing(officer_attempt, client):
    answers = right_answers(officer_attempt)
    skipped = officer_attempt.layout[-1]["question"]
    del answers[skipped]
    response = client.post(
        reverse("trainings:exam-attempt", args=[officer_attempt.pk]), post_data(answers)
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Choose an answer." in html
    kept = next(iter(answers.values()))
    assert re.search(rf'value="{kept}" id="[^"]+" required checked', html)
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted


@pytest.mark.parametrize("value", ["", "abc", "-1", "1e9", "<script>alert(1)</script>", "9" * 40])
def test_malformed_answers_are_refused(officer_attempt, client, value):
    data = post_data(right_answers(officer_attempt))
    data[f"q-{officer_attempt.layout[0]['question']}"] = value
    response = client.post(reverse("trainings:exam-attempt", args=[officer_attempt.pk]), data)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted


def test_another_persons_attempt_does_not_exist_for_you(officer_attempt, client, cast):
    intruder = sign_in(client.__class__(), cast.peer)
    url = reverse("trainings:exam-attempt", args=[officer_attempt.pk])
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, post_data(right_answers(officer_attempt))).status_code == 404
    officer_attempt.refresh_from_db()
    assert not officer_attempt.is_submitted


def test_a_submitted_attempt_cannot_be_submitted_again(officer_attempt, client):
    url = reverse("trainings:exam-attempt", args=[officer_attempt.pk])
    client.post(url, post_data(right_answers(officer_attempt, wrong=5)))
    again = client.post(url, post_data(right_answers(officer_attempt, wrong=0)))
    assert again.status_code == 302
    officer_attempt.refresh_from_db()
    assert officer_attempt.correct == 5 and not officer_attempt.passed


def test_someone_elses_registration_cannot_be_started(bank, client, cast):
    registration = attended(finished_session(), email="someone.else@agency.test")
    sign_in(client, cast.officer)
    response = client.post(reverse("trainings:exam-start", args=[registration.pk]))
    assert response.status_code == 404
    assert not registration.attempts.exists()


def test_a_refused_start_says_why(bank, client, cast):
    registration = attended(finished_session(), absent_on=(1,), email=cast.officer.email)
    sign_in(client, cast.officer)
    response = client.post(reverse("trainings:exam-start", args=[registration.pk]))
    assert response.status_code == 403
    assert "present on every day" in response.content.decode()


def test_the_exam_appears_on_the_officers_account_page(bank, client, cast):
    registration = attended(finished_session(), email=cast.officer.email)
    sign_in(client, cast.officer)
    html = squashed(client.get(reverse("accounts:account")).content.decode())
    assert reverse("trainings:exam-start", args=[registration.pk]) in html
    assert "0 of 3 attempts used" in html


# --- The emailed single-use link ---------------------------------------------------------------


def sent_link() -> str:
    return re.search(r"https?://\S+/trainings/exam/link/\S+/", mail.outbox[-1].body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_trainees_without_an_account_get_a_single_use_link(
    bank, client, cast, django_capture_on_commit_callbacks
):
    session = finished_session()
    stranger = attended(session, email="no.account@agency.test")
    attended(session, email=cast.officer.email)  # has an account: no email
    attended(session, absent_on=(0,))  # missed a day: no email
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.exam_links_send(session=session, today=session.ends_on)
    assert sent == 1 and len(mail.outbox) == 1 and mail.outbox[0].to == [stranger.email]
    link = path_of(sent_link())
    assert client.get(link).status_code == 200  # opening (or a mail scanner) spends nothing
    response = client.post(link)
    attempt = stranger.attempts.get()
    assert response.headers["Location"] == reverse("trainings:exam-attempt", args=[attempt.pk])
    assert client.get(response.headers["Location"]).status_code == 200
    second = client.post(link)
    assert second.status_code == 403 and "already used" in second.content.decode()
    assert ExamLink.objects.get().used_at is not None


def test_a_failed_attempt_by_link_emails_a_fresh_link(
    bank, client, django_capture_on_commit_callbacks
):
    session = finished_session()
    trainee = attended(session, email="no.account@agency.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.exam_links_send(session=session, today=session.ends_on)
    client.post(path_of(sent_link()))
    attempt = trainee.attempts.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("trainings:exam-attempt", args=[attempt.pk]),
            post_data(right_answers(attempt, wrong=2)),
        )
    assert len(mail.outbox) == 2
    second_link = path_of(sent_link())
    client.post(second_link)
    assert trainee.attempts.count() == 2


def test_passing_by_link_lets_that_browser_print_the_certificate(
    bank, client, django_capture_on_commit_callbacks
):
    session = finished_session()
    trainee = attended(session, email="no.account@agency.test", name="Jordan Example")
    with django_capture_on_commit_callbacks(execute=True):
        services.exam_links_send(session=session, today=session.ends_on)
    client.post(path_of(sent_link()))
    attempt = trainee.attempts.get()
    client.post(
        reverse("trainings:exam-attempt", args=[attempt.pk]), post_data(right_answers(attempt))
    )
    client.get(reverse("trainings:exam-result", args=[attempt.pk]))
    certification = Certification.objects.get(email=trainee.email)
    page = client.get(reverse("trainings:certificate", args=[certification.pk]))
    assert page.status_code == 200 and "Jordan Example" in page.content.decode()
    stranger = client.__class__()
    assert (
        stranger.get(reverse("trainings:certificate", args=[certification.pk])).status_code == 404
    )


@pytest.mark.parametrize("token", ["x", "a" * 200, "<script>", "../../etc/passwd"])
def test_forged_exam_links_are_refused(client, token):
    response = client.get(f"/trainings/exam/link/{token}/")
    assert response.status_code in (400, 404)
    assert client.post(f"/trainings/exam/link/{token}/").status_code in (400, 404)
    assert not ExamAttempt.objects.exists()


def test_a_cancelled_session_offers_no_exam(bank, client, cast):
    from trainings.models import Session

    registration = attended(
        finished_session(status=Session.Status.CANCELLED), email=cast.officer.email
    )
    sign_in(client, cast.officer)
    html = client.get(reverse("accounts:account")).content.decode()
    assert reverse("trainings:exam-start", args=[registration.pk]) not in html
    assert services.exam_refusal(registration=registration, today=registration.session.ends_on)
