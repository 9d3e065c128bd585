"""Load peers certified before the portal existed: `manage.py import_certifications file.csv`.

Columns: email (required), certified_on (YYYY-MM-DD, required), name, course (slug or name).
Prints counts only. A file with any bad row imports nothing.
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db.models import Q

from trainings.models import CourseType
from trainings.services import certifications_import_legacy
from trainings.services.certifications import LegacyRow
from trainings.uploads import read_csv


def parse_rows(rows: list[dict[str, str]]) -> tuple[list[LegacyRow], list[str]]:
    parsed, errors = [], []
    seen = set()
    for row in rows:
        line = row["_line"]
        email = row.get("email", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"line {line}: the email address is missing or not valid")
            continue
        try:
            certified_on = datetime.date.fromisoformat(row.get("certified_on", "").strip())
        except ValueError:
            errors.append(f"line {line}: certified_on must be a date like 2021-05-14")
            continue
        if certified_on > datetime.date.today():
            errors.append(f"line {line}: certified_on is in the future")
            continue
        course = None
        if row.get("course"):
            label = row["course"].strip()
            course = CourseType.objects.filter(Q(slug=label) | Q(name__iexact=label)).first()
            if course is None:
                errors.append(f"line {line}: unknown course")
                continue
        if (email, certified_on) in seen:
            errors.append(f"line {line}: repeats an earlier row")
            continue
        seen.add((email, certified_on))
        parsed.append(
            LegacyRow(
                line=int(line),
                email=email,
                name=row.get("name", "")[:150],
                certified_on=certified_on,
                course=course,
            )
        )
    return parsed, errors


class Command(BaseCommand):
    help = "Import certifications granted before the portal existed (source: legacy)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        if not csv_file.is_file():
            raise CommandError(f"No such file: {csv_file}")
        upload = SimpleUploadedFile(csv_file.name, csv_file.read_bytes())
        try:
            rows = read_csv(upload)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if rows and "email" not in rows[0]:
            raise CommandError("The file needs an 'email' column (and 'certified_on').")
        parsed, errors = parse_rows(rows)
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} bad rows: nothing was imported.")
        result = certifications_import_legacy(rows=parsed)
        self.stdout.write(
            f"{result.created} certifications imported ({result.linked} tied to an existing "
            f"account), {result.already_there} already present."
        )
