from django.urls import path

from trainings.views import certifications, exams, public, questions, staff

app_name = "trainings"

urlpatterns = [
    # Public
    path("", public.session_list, name="list"),
    path("sessions/<int:pk>/register/", public.register, name="register"),
    path("next-session/", public.interest, name="interest"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("withdraw/<str:token>/", public.withdraw, name="withdraw"),
    # The exam
    path("exam/link/<str:token>/", exams.exam_link, name="exam-link"),
    path("exam/registrations/<int:pk>/", exams.exam_start, name="exam-start"),
    path("exam/attempts/<int:pk>/", exams.exam_attempt, name="exam-attempt"),
    path("exam/attempts/<int:pk>/result/", exams.exam_result, name="exam-result"),
    path("certificates/<int:pk>/", exams.certificate, name="certificate"),
    # Training staff
    path("staff/", staff.staff_home, name="staff"),
    path("staff/courses/new/", staff.course_edit, name="course-new"),
    path("staff/courses/<slug:slug>/", staff.course_edit, name="course-edit"),
    path("staff/sessions/new/", staff.session_edit, name="session-new"),
    path("staff/sessions/<int:pk>/", staff.session_detail, name="session-detail"),
    path("staff/sessions/<int:pk>/edit/", staff.session_edit, name="session-edit"),
    path("staff/sessions/<int:pk>/publish/", staff.session_publish, name="session-publish"),
    path("staff/sessions/<int:pk>/unpublish/", staff.session_unpublish, name="session-unpublish"),
    path("staff/sessions/<int:pk>/cancel/", staff.session_cancel, name="session-cancel"),
    path("staff/sessions/<int:pk>/attendance/", staff.attendance, name="attendance"),
    path("staff/sessions/<int:pk>/exam-links/", staff.exam_links, name="exam-links"),
    path("staff/registrations/<int:pk>/paid/", staff.registration_paid, name="registration-paid"),
    path(
        "staff/registrations/<int:pk>/cancel/",
        staff.registration_cancel,
        name="registration-cancel",
    ),
    path("staff/questions/<slug:slug>/", questions.question_bank, name="questions"),
    path(
        "staff/questions/<slug:slug>/import/", questions.questions_import, name="questions-import"
    ),
    path("staff/question/<int:pk>/edit/", questions.question_edit, name="question-edit"),
    path("staff/question/<int:pk>/retire/", questions.question_retire, name="question-retire"),
    path("staff/external/", certifications.external_queue, name="external-queue"),
    path("staff/external/<int:pk>/decide/", certifications.external_decide, name="external-decide"),
    path("staff/next-session-list.csv", staff.interest_export, name="interest-export"),
    # Department admins
    path("external/", certifications.external_list, name="external-list"),
    path("external/new/", certifications.external_new, name="external-new"),
    path(
        "external/<int:pk>/certificate/",
        certifications.external_certificate,
        name="external-certificate",
    ),
]
