"""The question bank of each course type."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from trainings.models import Choice, CourseType, Question


@dataclass
class DraftQuestion:
    text: str
    choices: list[str]
    correct: int  # index into choices


def _check(draft: DraftQuestion) -> None:
    choices = [choice.strip() for choice in draft.choices if choice.strip()]
    if not draft.text.strip():
        raise ValidationError("The question has no text.")
    if len(choices) < 2:
        raise ValidationError("A question needs at least two choices.")
    if len({choice.casefold() for choice in choices}) != len(choices):
        raise ValidationError("Two choices say the same thing.")
    if not 0 <= draft.correct < len(draft.choices) or not draft.choices[draft.correct].strip():
        raise ValidationError("Say which choice is the right one.")


def _create(course: CourseType, draft: DraftQuestion) -> Question:
    question = Question.objects.create(course=course, text=draft.text.strip())
    Choice.objects.bulk_create(
        Choice(question=question, text=text.strip(), is_correct=index == draft.correct)
        for index, text in enumerate(draft.choices)
        if text.strip()
    )
    return question


@transaction.atomic
def question_create(*, course: CourseType, draft: DraftQuestion) -> Question:
    _check(draft)
    if course.questions.filter(is_active=True, text__iexact=draft.text.strip()).exists():
        raise ValidationError("This question is already in the bank.")
    return _create(course, draft)


@transaction.atomic
def question_replace(*, question: Question, draft: DraftQuestion) -> Question:
    """Edit a question. One that past attempts used is retired and replaced, so those attempts
    still read back exactly as they were sat; an unused one is simply rewritten."""
    _check(draft)
    duplicate = question.course.questions.filter(is_active=True, text__iexact=draft.text.strip())
    if duplicate.exclude(pk=question.pk).exists():
        raise ValidationError("This question is already in the bank.")
    if _used(question):
        question.is_active = False
        question.save(update_fields=["is_active"])
    else:
        question.delete()
    return _create(question.course, draft)


def _used(question: Question) -> bool:
    from trainings.models import ExamAttempt

    return any(
        item["question"] == question.pk
        for layout in ExamAttempt.objects.filter(
            registration__session__course=question.course
        ).values_list("layout", flat=True)
        for item in layout
    )


@transaction.atomic
def question_retire(*, question: Question) -> None:
    question.is_active = False
    question.save(update_fields=["is_active"])


@transaction.atomic
def questions_import(*, course: CourseType, drafts: list[tuple[int, DraftQuestion]]) -> int:
    """Add many questions at once; any bad row (line numbers in the message) adds none."""
    errors = []
    seen = set(
        text.casefold()
        for text in course.questions.filter(is_active=True).values_list("text", flat=True)
    )
    for line, draft in drafts:
        try:
            _check(draft)
        except ValidationError as error:
            errors.append(f"Line {line}: {error.messages[0]}")
            continue
        key = draft.text.strip().casefold()
        if key in seen:
            errors.append(f"Line {line}: this question is already in the bank or the file.")
        seen.add(key)
    if errors:
        raise ValidationError(errors)
    for _, draft in drafts:
        _create(course, draft)
    return len(drafts)
