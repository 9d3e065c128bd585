"""Training staff pages: courses, sessions, cancelling, attendance, fees, the question bank,
the interest list."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import QuestionFactory, RegistrationFactory, SessionFactory
from tests.html import squashed
from tests.trainings.conftest import attended, finished_session, sit
from trainings.models import Attendance, CourseType, Interest, Question, Registration, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, cast):
    return sign_in(client, cast.trainer)


def session_form(**changes):
    data = {
        "course": CourseType.objects.get(slug="leadership").pk,
        "starts_on": "2027-04-12",
        "ends_on": "",
        "venue": "Schaumburg Training Center",
        "address": "1401 N Roselle Road, Schaumburg, IL",
        "lodging_note": "Ask for the state rate.",
        "capacity": "24",
        "registration_open": "on",
    }
    data.update(changes)
    return data


def test_the_migration_provides_teammate_and_leadership():
    courses = {c.slug: (c.days, c.price) for c in CourseType.objects.all()}
    assert courses["teammate"] == (3, 475) and courses["leadership"] == (4, 525)


def test_staff_edit_a_course_type(staff):
    course = CourseType.objects.get(slug="teammate")
    data = {"name": "Teammate", "days": 3, "price": "495.00", "description": "", "topics": "A\nB"}
    assert staff.post(reverse("trainings:course-edit", args=["teammate"]), data).status_code == 302
    course.refresh_from_db()
    assert course.price == 495 and course.slug == "teammate"


def test_staff_add_a_refresher_course(staff):
    data = {"name": "Refresher", "days": 1, "price": "150", "description": "", "topics": ""}
    staff.post(reverse("trainings:course-new"), data)
    assert CourseType.objects.get(slug="refresher").days == 1


@pytest.mark.parametrize(
    "changes",
    [{"days": "0"}, {"days": "99"}, {"price": "lots"}, {"name": ""}, {"name": "Leadership"}],
)
def test_bad_course_input_is_refused(staff, changes):
    data = {"name": "Refresher", "days": 1, "price": "150", "description": "", "topics": ""}
    response = staff.post(reverse("trainings:course-new"), {**data, **changes})
    assert response.status_code == 200
    assert not CourseType.objects.filter(slug="refresher").exists()


def test_a_new_session_ends_after_the_courses_days_unless_edited(staff):
    response = staff.post(reverse("trainings:session-new"), session_form())
    session = Session.objects.get()
    assert response.headers["Location"] == reverse("trainings:session-detail", args=[session.pk])
    assert session.ends_on == datetime.date(2027, 4, 15)  # four days
    assert session.status == Session.Status.DRAFT
    staff.post(
        reverse("trainings:session-edit", args=[session.pk]),
        session_form(ends_on="2027-04-16"),
    )
    session.refresh_from_db()
    assert session.ends_on == datetime.date(2027, 4, 16)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_on": "not a date"},
        {"starts_on": "2027-02-30"},
        {"ends_on": "2027-04-01"},
        {"ends_on": "2027-09-01"},
        {"capacity": "0"},
        {"capacity": "-5"},
        {"capacity": "100000"},
        {"venue": ""},
        {"venue": "v" * 201},
        {"course": "99999"},
    ],
)
def test_bad_session_input_is_refused(staff, changes):
    response = staff.post(reverse("trainings:session-new"), session_form(**changes))
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert not Session.objects.exists()


def test_publishing_tells_the_interest_list_once_with_an_unsubscribe_link(
    staff, django_capture_on_commit_callbacks
):
    Interest.objects.create(email="curious@agency.test")
    session = SessionFactory(status=Session.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("trainings:session-publish", args=[session.pk]))
        staff.post(reverse("trainings:session-unpublish", args=[session.pk]))
        staff.post(reverse("trainings:session-publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLISHED
    (message,) = mail.outbox
    assert message.to == ["curious@agency.test"] and "/trainings/unsubscribe/" in message.body


def test_the_unsubscribe_link_removes_the_address(client, django_capture_on_commit_callbacks):
    Interest.objects.create(email="curious@agency.test")
    from trainings import services

    with django_capture_on_commit_callbacks(execute=True):
        services.session_publish(session=SessionFactory(status=Session.Status.DRAFT))
    link = next(line for line in mail.outbox[0].body.splitlines() if "/unsubscribe/" in line)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    assert Interest.objects.exists()  # opening the link alone changes nothing
    assert client.post(path).status_code == 200
    assert not Interest.objects.exists()


@pytest.mark.parametrize("token", ["x", "<script>", "a" * 500])
def test_forged_unsubscribe_links_do_nothing(client, token):
    Interest.objects.create(email="curious@agency.test")
    assert client.post(f"/trainings/unsubscribe/{token}/").status_code == 400
    assert Interest.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "", "x" * 300 + "@a.test", "<b>@a.test"])
def test_the_interest_form_refuses_bad_addresses(client, email):
    response = client.post(reverse("trainings:interest"), {"email": email})
    assert response.status_code == 200
    assert not Interest.objects.exists()


def test_the_interest_form_keeps_one_row_per_address_and_answers_the_same(client):
    first = client.post(reverse("trainings:interest"), {"email": "a@agency.test"}, follow=True)
    again = client.post(reverse("trainings:interest"), {"email": "A@Agency.test"}, follow=True)
    assert Interest.objects.count() == 1
    assert list(first.context["messages"])[0].message == list(again.context["messages"])[0].message


def test_cancelling_asks_first_then_emails_every_registrant(
    staff, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session, email="in@agency.test")
    RegistrationFactory(session=session, email="waiting@agency.test", status="waitlisted")
    RegistrationFactory(session=session, email="gone@agency.test", status="cancelled")
    url = reverse("trainings:session-cancel", args=[session.pk])
    assert "Cancel this session?" in staff.get(url).content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["in@agency.test", "waiting@agency.test"]
    assert all("cancelled" in m.body for m in mail.outbox)


def test_a_cancelled_session_cannot_be_published_again(staff):
    session = SessionFactory(status=Session.Status.CANCELLED)
    staff.post(reverse("trainings:session-publish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_staff_mark_a_fee_paid_and_unpaid(staff):
    registration = RegistrationFactory()
    url = reverse("trainings:registration-paid", args=[registration.pk])
    staff.post(url, {"paid": "1"})
    registration.refresh_from_db()
    assert registration.paid
    staff.post(url, {"paid": "0"})
    registration.refresh_from_db()
    assert not registration.paid


def test_staff_cancel_a_registration_after_confirming(staff):
    registration = RegistrationFactory()
    url = reverse("trainings:registration-cancel", args=[registration.pk])
    assert staff.get(url).status_code == 200
    staff.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_staff_take_attendance_per_day(staff):
    session = finished_session()
    present, absent = RegistrationFactory.create_batch(2, session=session)
    data = {f"r{present.pk}-d{i}": "on" for i in range(3)}
    data[f"r{absent.pk}-d0"] = "on"
    staff.post(reverse("trainings:attendance", args=[session.pk]), data)
    assert Attendance.objects.filter(registration=present, present=True).count() == 3
    assert Attendance.objects.filter(registration=absent, present=False).count() == 2
    page = staff.get(reverse("trainings:attendance", args=[session.pk])).content.decode()
    assert page.count("checked") == 4


def test_attendance_ignores_other_sessions_trainees(staff):
    session = finished_session()
    outsider = RegistrationFactory()
    staff.post(reverse("trainings:attendance", args=[session.pk]), {f"r{outsider.pk}-d0": "on"})
    assert not Attendance.objects.filter(registration=outsider).exists()


def test_exam_links_go_out_from_the_session_page(staff, django_capture_on_commit_callbacks):
    session = finished_session()
    attended(session, email="no.account@agency.test")
    QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("trainings:exam-links", args=[session.pk]))
        staff.post(reverse("trainings:exam-links", args=[session.pk]))  # twice: sent once
    assert [m.to for m in mail.outbox] == [["no.account@agency.test"]]


# --- The question bank ---------------------------------------------------------------------------


def question_form(**changes):
    data = {
        "text": "What comes first?",
        "choice_0": "Listening",
        "choice_1": "Advice",
        "choice_2": "",
        "correct": "0",
    }
    data.update(changes)
    return data


def test_staff_add_a_question(staff):
    staff.post(reverse("trainings:questions", args=["teammate"]), question_form())
    question = Question.objects.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Listening", True),
        ("Advice", False),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"text": ""},
        {"choice_1": ""},
        {"correct": "2"},  # points at an empty choice
        {"correct": "9"},
        {"correct": "x"},
        {"choice_1": "listening"},  # the same choice twice
        {"text": "t" * 1001},
    ],
)
def test_bad_questions_are_refused(staff, changes):
    response = staff.post(
        reverse("trainings:questions", args=["teammate"]), question_form(**changes)
    )
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_a_duplicated_question_is_refused(staff):
    staff.post(reverse("trainings:questions", args=["teammate"]), question_form())
    response = staff.post(
        reverse("trainings:questions", args=["teammate"]), question_form(text="WHAT comes first?")
    )
    assert "already in the bank" in response.content.decode()
    assert Question.objects.count() == 1


def test_editing_a_question_used_in_an_attempt_keeps_the_old_one_for_that_attempt(staff, bank):
    from trainings import services

    registration = attended(finished_session())
    attempt = services.exam_start(registration=registration, today=registration.session.ends_on)
    question = Question.objects.get(pk=attempt.layout[0]["question"])
    staff.post(reverse("trainings:question-edit", args=[question.pk]), question_form())
    question.refresh_from_db()
    assert not question.is_active and question.choices.count() == 3
    assert Question.objects.filter(is_active=True, text="What comes first?").exists()


def upload(content: bytes, name: str = "bank.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_questions_import_from_a_spreadsheet_export(staff):
    content = (
        "\ufeffQuestion;Answer;Choice1;Choice2;Choice3\r\n"
        "Who do you call first?;2;Nobody;A peer;The press\r\n"
        "\r\n"
        "  What is peer support?  ;1;Support from a colleague;Therapy;\r\n"
    ).encode()
    response = staff.post(
        reverse("trainings:questions-import", args=["teammate"]), {"file": upload(content)}
    )
    assert response.status_code == 302
    first = Question.objects.get(text="Who do you call first?")
    assert first.choices.get(is_correct=True).text == "A peer"
    assert Question.objects.get(text="What is peer support?").choices.count() == 2


def test_a_windows_1252_file_imports(staff):
    content = "question,answer,choice1,choice2\nCafé break?,1,Oui,Non\n".encode("cp1252")
    staff.post(reverse("trainings:questions-import", args=["teammate"]), {"file": upload(content)})
    assert Question.objects.get().text == "Café break?"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"question,answer,choice1,choice2\nQ?,3,A,B\n", "Line 2: Say which choice"),
        (b"question,answer,choice1,choice2\nQ?,x,A,B\n", "Line 2: Say which choice"),
        (b"question,answer,choice1,choice2\n,1,A,B\n", "Line 2: The question has no text"),
        (b"question,answer,choice1,choice2\nQ?,1,A,\n", "at least two choices"),
        (b"question,answer,choice1,choice2\nQ?,1,A,B\nq?,1,C,D\n", "Line 3: this question"),
        (b"question,answer,choice1,choice2\n", "no questions"),
        (b"", "empty"),
        (b"\x00\x01\x02binary", "does not look like a CSV"),
        (b"%PDF-1.4 not a csv \x00", "does not look like a CSV"),
        # One cell past the csv module's limit (131,072 characters) was a server error.
        (b"question,answer\n" + b"\xff" * 140_000, "Line 2 cannot be read"),
    ],
)
def test_a_bad_question_file_imports_nothing_and_says_why(staff, content, message):
    response = staff.post(
        reverse("trainings:questions-import", args=["teammate"]), {"file": upload(content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_an_oversized_question_file_is_refused(staff, settings):
    settings.TRAININGS_CSV_MAX_BYTES = 100
    content = b"question,answer,choice1,choice2\n" + b"Q?,1,A,B\n" * 50
    response = staff.post(
        reverse("trainings:questions-import", args=["teammate"]), {"file": upload(content)}
    )
    assert "too large" in response.content.decode()
    assert not Question.objects.exists()


def test_hostile_question_text_is_shown_as_text(staff):
    staff.post(
        reverse("trainings:questions", args=["teammate"]),
        question_form(text="<script>alert(1)</script>?"),
    )
    html = staff.get(reverse("trainings:questions", args=["teammate"])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- The interest list export --------------------------------------------------------------------


def test_the_export_is_safe_against_formula_injection(staff):
    for email in ["plain@agency.test", "=cmd@agency.test", "+sum@agency.test", "@x@agency.test"]:
        Interest.objects.create(email=email)
    response = staff.get(reverse("trainings:interest-export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["email", "asked on"]
    cells = [row[0] for row in rows[1:]]
    assert "plain@agency.test" in cells
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'=cmd@agency.test" in cells


def test_the_session_page_shows_registrants_waitlist_fees_and_scores(staff, bank):
    session = finished_session(capacity=1)
    trainee = attended(session, name="Riley Present", paid=True)
    RegistrationFactory(session=session, status="waitlisted", name="Wren Waiting")
    sit(trainee, session.ends_on, wrong=1)
    html = squashed(
        staff.get(reverse("trainings:session-detail", args=[session.pk])).content.decode()
    )
    assert "Riley Present" in html and "Wren Waiting" in html
    assert "1 of 1 seats taken, 1 waiting" in html
    assert "$475.00: paid" in html and "90%" in html and "Email exam links" in html


def test_removing_a_question_asks_first_then_retires_it(staff):
    question = QuestionFactory(text="What does a peer do first?")
    url = reverse("trainings:question-retire", args=[question.pk])
    page = staff.get(url)
    assert page.status_code == 200 and "What does a peer do first?" in page.content.decode()
    question.refresh_from_db()
    assert question.is_active  # looking at the confirmation changes nothing
    response = staff.post(url)
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.is_active
    assert staff.get(url).status_code == 404  # already removed


def test_an_unsubscribe_link_expires_after_its_days(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import time
    from types import SimpleNamespace

    settings.TRAININGS_UNSUBSCRIBE_LINK_DAYS = 90
    Interest.objects.create(email="curious@agency.test")
    from trainings import services

    with django_capture_on_commit_callbacks(execute=True):
        services.session_publish(session=SessionFactory(status=Session.Status.DRAFT))
    body = mail.outbox[0].body
    assert "for 90 days" in body
    link = next(line for line in body.splitlines() if "/unsubscribe/" in line)
    path = "/" + link.split("/", 3)[3]
    later = time.time() + 91 * 86400
    monkeypatch.setattr("django.core.signing.time", SimpleNamespace(time=lambda: later))
    assert client.post(path).status_code == 400  # "this link does not work"
    assert Interest.objects.exists()
