"""Demo trainings data for `manage.py seed_demo`: question banks and a finished session whose
exam is open, so the whole path can be tried. Idempotent."""

import datetime

from django.utils import timezone

from trainings.models import Attendance, Choice, CourseType, Question, Registration, Session

QUESTIONS = [
    (
        "An officer calls you late at night after a fatal crash. What comes first?",
        ["Listen, without judgement or agenda", "Tell them what to do", "Report the call"],
    ),
    (
        "A colleague tells you they have a plan to end their life. What do you do?",
        ["Stay with them and get help now: confidentiality ends here", "Keep it secret"],
    ),
    (
        "Peer support is best described as:",
        ["Support from a trained colleague", "Therapy", "A fitness-for-duty evaluation"],
    ),
    (
        "When you do not know what to do in a peer conversation, you should:",
        ["Say so honestly and bring in a professional", "Guess", "End the call"],
    ),
    (
        "Which of these breaks a peer's confidentiality?",
        ["A threat to harm someone", "A complaint about a supervisor", "Marriage trouble"],
    ),
    (
        "Why should an officer not pick a peer who was at the same incident?",
        ["That peer may be carrying it too", "Peers are not allowed to talk", "It is illegal"],
    ),
]


def seed_demo(stdout) -> None:
    today = timezone.localdate()
    for course in CourseType.objects.all():
        for text, choices in QUESTIONS:
            question, created = Question.objects.get_or_create(course=course, text=text)
            if created:
                Choice.objects.bulk_create(
                    Choice(question=question, text=choice, is_correct=index == 0)
                    for index, choice in enumerate(choices)
                )
    course = CourseType.objects.get(slug="teammate")
    starts = today - datetime.timedelta(days=5)
    session, _ = Session.objects.get_or_create(
        course=course,
        starts_on=starts,
        defaults={
            "ends_on": starts + datetime.timedelta(days=course.days - 1),
            "venue": "Maple Grove Police Department training room",
            "address": "20 Civic Plaza, Maple Grove, IL",
            "capacity": 20,
            "status": Session.Status.PUBLISHED,
            "registration_open": False,
        },
    )
    registration, created = Registration.objects.get_or_create(
        session=session,
        email="officer@demo.test",
        defaults={
            "name": "Alex Demo",
            "phone": "+13125550199",
            "department": "Oak Ridge Police Department",
            "status": Registration.Status.REGISTERED,
            "fee": course.price,
            "paid": True,
        },
    )
    if created:
        Attendance.objects.bulk_create(
            Attendance(registration=registration, day=day, present=True) for day in session.days
        )
    stdout.write(
        f"Trainings: {Question.objects.count()} exam questions; officer@demo.test attended a "
        "finished session and can take its exam from the account page."
    )
