"""Business rules of trainings: every change goes through one of these functions."""

from trainings.services.certifications import (
    certification_from_exam,
    certifications_import_legacy,
    certifications_link,
    external_training_decide,
    external_training_record,
)
from trainings.services.exams import (
    ExamRefused,
    exam_link_redeem,
    exam_links_send,
    exam_refusal,
    exam_start,
    exam_submit,
    passes,
)
from trainings.services.interest import interest_add, interest_email_from_token, interest_remove
from trainings.services.questions import (
    DraftQuestion,
    question_create,
    question_replace,
    question_retire,
    questions_import,
)
from trainings.services.registrations import (
    DuplicateRegistration,
    attendance_record,
    missed_days,
    registration_cancel,
    registration_create,
    registration_mark_paid,
)
from trainings.services.sessions import (
    SessionSaved,
    session_cancel,
    session_create,
    session_publish,
    session_unpublish,
    session_update,
)

__all__ = [
    "DraftQuestion",
    "DuplicateRegistration",
    "ExamRefused",
    "attendance_record",
    "certification_from_exam",
    "certifications_import_legacy",
    "certifications_link",
    "exam_link_redeem",
    "exam_links_send",
    "exam_refusal",
    "exam_start",
    "exam_submit",
    "external_training_decide",
    "external_training_record",
    "interest_add",
    "interest_email_from_token",
    "interest_remove",
    "missed_days",
    "passes",
    "question_create",
    "question_replace",
    "question_retire",
    "questions_import",
    "registration_cancel",
    "registration_create",
    "registration_mark_paid",
    "SessionSaved",
    "session_cancel",
    "session_create",
    "session_publish",
    "session_unpublish",
    "session_update",
]
