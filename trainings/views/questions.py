"""Training staff maintain each course's question bank."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from trainings import services
from trainings.forms import MAX_CHOICES, CsvUploadForm, QuestionForm
from trainings.models import CourseType, Question
from trainings.services import DraftQuestion
from trainings.uploads import read_csv
from wnwa.accounts.access import role_required
from wnwa.accounts.roles import Role
from wnwa.lib.forms import post_data, post_files
from wnwa.lib.uploads import takes_files


@role_required(Role.TRAINING_STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def question_bank(request, slug: str):
    course = get_object_or_404(CourseType, slug=slug)
    form = QuestionForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(course=course, draft=form.draft())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Question added.")
            return redirect("trainings:questions", slug=slug)
    questions = course.questions.filter(is_active=True).prefetch_related("choices")
    return render(
        request,
        "trainings/staff/questions.html",
        {"course": course, "questions": questions, "form": form, "upload": CsvUploadForm()},
    )


@role_required(Role.TRAINING_STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("course"), pk=pk, is_active=True)
    form = QuestionForm.for_question(question, post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_replace(question=question, draft=form.draft())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("trainings:questions", slug=question.course.slug)
    return render(
        request, "trainings/staff/question_form.html", {"question": question, "form": form}
    )


@role_required(Role.TRAINING_STAFF)
@require_http_methods(["GET", "POST"])
def question_retire(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("course"), pk=pk, is_active=True)
    if request.method == "GET":
        return render(request, "trainings/staff/question_retire.html", {"question": question})
    services.question_retire(question=question)
    messages.success(request, "Question removed from the bank.")
    return redirect("trainings:questions", slug=question.course.slug)


def _drafts(rows: list[dict[str, str]]) -> list[tuple[int, DraftQuestion]]:
    drafts = []
    for row in rows:
        answer = row.get("answer", "")
        drafts.append(
            (
                int(row["_line"]),
                DraftQuestion(
                    text=row.get("question", ""),
                    choices=[row.get(f"choice{i + 1}", "") for i in range(MAX_CHOICES)],
                    correct=int(answer) - 1 if answer.isdigit() else -1,
                ),
            )
        )
    return drafts


@takes_files("TRAININGS_CSV_MAX_BYTES")
@role_required(Role.TRAINING_STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def questions_import(request, slug: str):
    course = get_object_or_404(CourseType, slug=slug)
    form = CsvUploadForm(
        post_data(request),
        post_files(request),
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            drafts = _drafts(read_csv(form.cleaned_data["file"]))
            if not drafts:
                raise ValidationError("The file has no questions.")
            added = services.questions_import(course=course, drafts=drafts)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"{added} questions added to the {course.name} bank.")
            return redirect("trainings:questions", slug=slug)
    return render(
        request,
        "trainings/staff/questions_import.html",
        {"course": course, "form": form, "errors": errors},
    )
