"""Onboard a department from an HR export: the same preview and apply as the web upload."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from departments import services
from departments.models import Department
from departments.roster import RosterFileError, check_size


class Command(BaseCommand):
    help = (
        "Preview a roster file for a department (exit 1 when any row is bad); with --apply, "
        "apply it in one transaction, or refuse when any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("department", help="the department's slug")
        parser.add_argument("file", type=Path, help="CSV or .xlsx roster")
        parser.add_argument(
            "--full-roster",
            action="store_true",
            help="the file is the whole roster: deactivate active officers missing from it",
        )
        parser.add_argument("--apply", action="store_true", help="apply when there are no errors")
        parser.add_argument(
            "--confirm-deactivations",
            type=int,
            metavar="N",
            help=(
                "required with --apply when it deactivates more than a tenth of the officers or a "
                "listed peer: the number of officers it deactivates (the preview prints it)"
            ),
        )

    def handle(
        self,
        *args,
        department: str,
        file: Path,
        full_roster: bool,
        apply: bool,
        confirm_deactivations: int | None,
        **options,
    ):
        try:
            target = Department.objects.get(slug=department)
        except Department.DoesNotExist as error:
            raise CommandError(f"No department has the slug {department!r}.") from error
        try:
            check_size(file.stat().st_size)
            with file.open("rb") as handle:
                content = handle.read(settings.ROSTER_MAX_BYTES + 1)
            preview = services.roster_preview_build(
                department=target,
                content=content,
                file_name=file.name,
                full_roster=full_roster,
                uploader=None,
            )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except RosterFileError as error:
            raise CommandError(error.messages[0]) from error

        self.stdout.write(
            f"{target.name}: {preview.rows_read} rows read; {preview.added} to add, "
            f"{preview.changed} to change, {preview.deactivated} to deactivate, "
            f"{preview.retired} to mark retired, "
            f"{len(preview.errors)} errors."
        )
        for error in preview.errors:
            self.stdout.write(
                f"  line {error['line']}, column {error['column']}: {error['message']}"
            )
        if preview.errors:
            raise CommandError(
                f"{len(preview.errors)} errors: nothing was applied. Fix the file and run again."
            )
        guard = services.roster_guard(preview=preview, department=target)
        if guard.needs_confirmation:
            self.stdout.write(
                f"This deactivates {guard.deactivating} of {guard.officers} active officers "
                f"({guard.listed_peer_count} of them listed peers): --apply needs "
                f"--confirm-deactivations {guard.deactivating}."
            )
        if guard.strength:
            self.stdout.write(
                f"Warning: {guard.sworn_after} sworn officers afterwards, far {guard.strength} "
                f"the {guard.declared} declared."
            )
        if not apply:
            self.stdout.write("Preview only: run again with --apply to make these changes.")
            return
        preview.save()
        try:
            applied = services.roster_apply(
                preview_id=preview.pk,
                department=target,
                by=None,
                confirmed_deactivations=confirm_deactivations,
            )
        except services.RosterConfirmationNeeded as refusal:
            raise CommandError(
                f"{refusal.messages[0]} Run again with --confirm-deactivations {refusal.count} "
                "if that is what you mean."
            ) from refusal
        except services.RosterNotApplicable as refusal:
            raise CommandError(refusal.messages[0]) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied: {applied.added} added, {applied.changed} changed, "
                f"{applied.deactivated} deactivated. {applied.added} invitations are sent now or, "
                "for a large roster, by the next run of send_invitations."
            )
        )
