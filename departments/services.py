"""Business rules of departments: enrollment from a roster, officers' status, invitations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.module_loading import import_string

from departments import emails
from departments.models import Department, Invitation, RosterPreview
from departments.roster import FIELDS, ParsedRoster, RosterRow, RowError, parse_roster
from departments.selectors import active_admin_count, invitations_to_resend, roster_fingerprint
from wnwa.accounts.families import families_end_with_department, families_release
from wnwa.accounts.models import User, new_session_token
from wnwa.lib.mail import after_commit, email_send_batch
from wnwa.staff.services import records_erase

MEMBER_FIELDS = ("id", *FIELDS)
UPDATABLE = tuple(name for name in FIELDS if name != "email")
LOOKUP_CHUNK = 2000  # emails per IN (...) query: well under SQLite's parameter limit


class RosterNotApplicable(ValidationError):
    """The preview cannot be applied; the message tells the admin why and what to do."""


class RosterConfirmationNeeded(RosterNotApplicable):
    """The apply deactivates many officers or a listed peer: it needs the count typed back.
    `count` is the number to confirm."""

    count: int = 0


class InvitationsChanged(ValidationError):
    """The number of officers to invite again is not the one the admin confirmed."""


class OfficerActionRefused(ValidationError):
    """An action on an officer breaks a rule (the last admin, oneself); the message says which."""


# --- Roster preview -----------------------------------------------------------------------------


def roster_preview_build(
    *,
    department: Department,
    content: bytes,
    file_name: str,
    full_roster: bool,
    uploader: User | None,
) -> RosterPreview:
    """Parse a roster and plan its changes against the department, without writing anything.

    Raises departments.roster.RosterFileError when the file as a whole cannot be used.
    """
    parsed = parse_roster(content, file_name)
    fingerprint = roster_fingerprint(department=department)
    plan, errors = _plan(department, parsed, full_roster, uploader)
    errors.sort(key=lambda error: error.line)
    return RosterPreview(
        department=department,
        uploaded_by=uploader,
        file_name=file_name[:255],
        full_roster=full_roster,
        fingerprint=fingerprint,
        rows_read=parsed.rows_read,
        plan=plan,
        errors=[error.as_dict() for error in errors],
        ignored_columns=parsed.ignored_columns,
        added=len(plan["add"]),
        changed=len(plan["change"]),
        deactivated=len(plan["deactivate"]),
        retired=len(plan["retire"]),
    )


@transaction.atomic
def roster_preview_create(
    *,
    department: Department,
    content: bytes,
    file_name: str,
    full_roster: bool,
    uploader: User | None,
) -> RosterPreview:
    """Store the preview server-side, so that its apply can be checked against it."""
    preview = roster_preview_build(
        department=department,
        content=content,
        file_name=file_name,
        full_roster=full_roster,
        uploader=uploader,
    )
    preview.save()
    return preview


def _plan(
    department: Department, parsed: ParsedRoster, full_roster: bool, uploader: User | None
) -> tuple[dict, list[RowError]]:
    """Check each row against the file and the network, and plan what applying would do."""
    members = {
        member["email"].lower(): {**member, "status": _status(member)}
        for member in User.objects.filter(department=department).values(
            *MEMBER_FIELDS, "is_active", "retired_on", "is_department_admin"
        )
    }
    checker = _RosterChecker(parsed, members)
    plan: dict = {"add": [], "change": [], "deactivate": [], "absent": [], "retire": []}
    sworn_change = 0
    for row in parsed.rows:
        if not checker.row_is_good(row):
            continue
        member = members.get(row.email)
        if member is None:
            entry = {"line": row.line, "kind": "sworn", **row.values}
            plan["add"].append(entry)
            sworn_change += _counts_as_sworn({**entry, "is_active": True})
            if entry.get("status") == RETIRED:
                plan["retire"].append({"id": None, "email": row.email, "name": _name(entry)})
        elif change := _difference(member, row.values):
            plan["change"].append(
                {"id": member["id"], "line": row.line, "email": row.email, "fields": change}
            )
            sworn_change += _counts_as_sworn({**member, **row.values, "is_active": True})
            sworn_change -= _counts_as_sworn(member)
            if change.get("status", [None, None])[1] == RETIRED:
                plan["retire"].append(_person({**member, **row.values}))
    # Who is on the roster but not in the file: deactivated by a whole roster, listed (and left
    # alone) by a partial one. By name, as the admin reads a roster. Retirees are never in an HR
    # export, so neither: they stay as they are (docs/product.md, "Retired officers").
    uploader_id = uploader.pk if uploader else None
    absent = [m for e, m in members.items() if m["is_active"] and e not in checker.email_line]
    plan["retirees_absent"] = sum(m["status"] == RETIRED for m in absent)
    missing = sorted(
        (m for m in absent if m["status"] != RETIRED),
        key=lambda m: (m["last_name"].lower(), m["first_name"].lower(), m["email"]),
    )
    if full_roster:
        plan["deactivate"] = [_person(m) for m in missing if m["id"] != uploader_id]
        sworn_change -= sum(_counts_as_sworn(m) for m in missing if m["id"] != uploader_id)
    else:
        plan["absent"] = [_person(m) for m in missing]
    plan["sworn_change"] = sworn_change
    return plan, checker.errors


# The roster's status column, as departments.roster reads it.
RETIRED, SERVING = "retired", "serving"


def _status(member: dict) -> str:
    return RETIRED if member["retired_on"] else SERVING


def _name(member: dict) -> str:
    return f"{member['first_name']} {member['last_name']}".strip()


def _person(member: dict) -> dict:
    return {"id": member["id"], "email": member["email"].lower(), "name": _name(member)}


def _counts_as_sworn(member: dict) -> int:
    """1 when the officer counts towards the sworn strength (active, sworn and serving), else 0:
    retirees count toward no figure of the department."""
    return int(
        bool(member["is_active"])
        and member["kind"] == User.Kind.SWORN
        and member.get("status", SERVING) != RETIRED
    )


# --- The guard on bulk changes ------------------------------------------------------------------

# An apply that deactivates more than this share of the department's active officers, or any
# listed peer, needs the count typed back (a 3-row file ticked "whole roster" once
# emptied a department). A roster outside this band of the declared strength is warned about.
CONFIRM_SHARE = 0.10
STRENGTH_BAND = (0.5, 1.5)
PEERS_NAMED = 10


@dataclass(frozen=True)
class RosterGuard:
    """What an apply does to the department as a whole, and whether it needs a confirmation."""

    deactivating: int
    officers: int  # active officers of the department before the apply
    listed_peers: list[str]  # names of the listed peers it deactivates (the first PEERS_NAMED)
    listed_peer_count: int
    sworn_now: int
    sworn_after: int
    declared: int

    @property
    def needs_confirmation(self) -> bool:
        return self.deactivating > self.officers * CONFIRM_SHARE or self.listed_peer_count > 0

    @property
    def share_percent(self) -> int:
        return round(100 * self.deactivating / max(self.officers, 1))

    @property
    def strength(self) -> str:
        """ "above" or "below" when the apply leaves the sworn count far from the declared
        strength (and moves it), else ""."""
        if self.sworn_after == self.sworn_now:
            return ""
        low, high = STRENGTH_BAND
        if self.sworn_after > self.declared * high:
            return "above"
        if self.sworn_after < self.declared * low:
            return "below"
        return ""


def roster_guard(*, preview: RosterPreview, department: Department) -> RosterGuard:
    """Counted afresh each time (on the preview page and again inside the apply): whether a
    peer is listed can change without the roster changing."""
    plan = preview.plan or {}
    leaving = plan.get("deactivate", [])
    listed_ids = import_string(settings.WNWA_LISTED_PEER_IDS)(department=department)
    listed = [entry["name"] or entry["email"] for entry in leaving if entry["id"] in listed_ids]
    # Serving officers: a roster never deactivates a retiree, nor counts one.
    officers = User.objects.filter(department=department, is_active=True, retired_on__isnull=True)
    sworn_now = officers.filter(kind=User.Kind.SWORN).count()
    return RosterGuard(
        deactivating=len(leaving),
        officers=officers.count(),
        listed_peers=listed[:PEERS_NAMED],
        listed_peer_count=len(listed),
        sworn_now=sworn_now,
        sworn_after=max(0, sworn_now + int(plan.get("sworn_change", 0))),
        declared=department.sworn_strength,
    )


class _RosterChecker:
    """The checks a row cannot make alone: duplicates in the file, the network, the badges."""

    def __init__(self, parsed: ParsedRoster, members: dict[str, dict]) -> None:
        self.columns = parsed.columns
        self.errors = list(parsed.errors)
        self.bad_lines = {error.line for error in self.errors}
        self.email_line: dict[str, int] = {}
        self.badge_line: dict[str, int] = {}
        self.members = members
        self.badge_holder = {m["badge_number"]: e for e, m in members.items() if m["badge_number"]}
        self.file_badges = {row.email: row.values.get("badge_number") for row in parsed.rows}
        self.elsewhere = _enrolled_elsewhere(
            [row.email for row in parsed.rows if row.email not in members]
        )

    def fail(self, line: int, name: str, message: str) -> None:
        self.errors.append(RowError(line, self.columns[name], message))
        self.bad_lines.add(line)

    def row_is_good(self, row: RosterRow) -> bool:
        email, badge, line = row.email, row.values.get("badge_number", ""), row.line
        if email and email in self.email_line:
            self.fail(line, "email", f"This email is also on line {self.email_line[email]}.")
        self.email_line.setdefault(email, line)
        if email in self.elsewhere:
            self.fail(
                line,
                "email",
                "This email is already enrolled elsewhere in the network. Check the address with "
                "the officer; if they have moved departments, ask the network to move them.",
            )
        if badge:
            self._check_badge(line, email, badge)
        member = self.members.get(email)
        if (
            row.values.get("status") == RETIRED
            and member
            and member["is_department_admin"]
            and member["status"] != RETIRED
        ):
            self.fail(
                line,
                "status",
                "This officer is a department admin. Remove their admin role on their page first; "
                "a retired officer cannot administer the department.",
            )
        return line not in self.bad_lines

    def _check_badge(self, line: int, email: str, badge: str) -> None:
        if badge in self.badge_line:
            self.fail(
                line, "badge_number", f"Badge {badge} is also on line {self.badge_line[badge]}."
            )
        self.badge_line.setdefault(badge, line)
        holder = self.badge_holder.get(badge)
        # Another officer's badge is free only when this same file gives them a different one.
        if holder and holder != email and self.file_badges.get(holder, badge) == badge:
            self.fail(
                line,
                "badge_number",
                f"Badge {badge} already belongs to another officer of your department ({holder}).",
            )


def _difference(member: dict, values: dict[str, str]) -> dict[str, list[str]]:
    """Fields the file changes, as {field: [old, new]}; a blank cell clears an optional field."""
    change = {
        name: [member[name], values[name]]
        for name in UPDATABLE
        if name in values and member[name] != values[name]
    }
    if "status" in values and values["status"] != member["status"]:
        change["status"] = [member["status"], values["status"]]
    if not member["is_active"]:
        change["is_active"] = ["deactivated", "active"]
    return change


def _enrolled_elsewhere(emails: list[str]) -> set[str]:
    """Which of these emails already belong to someone (in another department, or staff)."""
    found: set[str] = set()
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = [email for email in emails[start : start + LOOKUP_CHUNK] if email]
        found.update(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", flat=True)
        )
    return found


# --- Roster apply -------------------------------------------------------------------------------


@transaction.atomic
def roster_apply(
    *,
    preview_id: int,
    department: Department,
    by: User | None,
    confirmed_deactivations: int | None = None,
) -> RosterPreview:
    """Apply a preview in one transaction: add, change and deactivate officers, queue invitations.

    Refused (RosterNotApplicable) when the preview has errors, was already applied, or the roster
    changed since it was made; refused (RosterConfirmationNeeded) when it deactivates more than a
    tenth of the officers or a listed peer and `confirmed_deactivations` is not that number (the
    guard is counted here again, never taken from the page). New officers get an unusable
    password: no hashing per officer.
    """
    Department.objects.select_for_update().get(pk=department.pk)  # one apply at a time
    preview = RosterPreview.objects.select_for_update().get(pk=preview_id, department=department)
    if preview.is_applied:
        raise RosterNotApplicable(
            "This preview was already applied. Upload the file again to make further changes."
        )
    if preview.errors:
        raise RosterNotApplicable(
            "This roster has errors. Correct them in the file and upload it again; nothing was "
            "changed."
        )
    if roster_fingerprint(department=department) != preview.fingerprint:
        raise RosterNotApplicable(
            "The roster has changed since this preview was made (another upload was applied or "
            "an officer was changed), so the preview may no longer be right. Nothing was "
            "changed: upload the file again to see a fresh preview."
        )
    guard = roster_guard(preview=preview, department=department)
    if guard.needs_confirmation and confirmed_deactivations != guard.deactivating:
        refusal = RosterConfirmationNeeded(
            f"This apply deactivates {guard.deactivating:,} "
            f"officer{'' if guard.deactivating == 1 else 's'}, so it needs that number confirmed. "
            "Nothing was changed."
        )
        refusal.count = guard.deactivating
        raise refusal
    today = timezone.localdate()
    try:
        with transaction.atomic():
            created = _add_officers(department, preview.plan["add"])
    except IntegrityError as error:
        raise RosterNotApplicable(
            "One of the new emails was enrolled elsewhere while you were reading the preview. "
            "Nothing was changed: upload the file again to see which."
        ) from error
    _change_officers(department, preview.plan["change"])
    leaving = [entry["id"] for entry in preview.plan["deactivate"]]
    # Never a retiree, even one retired since the preview (the fingerprint refuses that apply).
    deactivated = User.objects.filter(
        pk__in=leaving, department=department, is_active=True, retired_on__isnull=True
    ).exclude(pk=by.pk if by else None)
    families_release(officer_ids=list(deactivated.values_list("pk", flat=True)), today=today)
    deactivated.update(
        is_active=False,
        deactivated_on=today,
        # Ends their sessions for good, also if they are reactivated later. One new value for
        # the batch is enough: each session is bound to the account's password hash as well.
        session_token=new_session_token(),
    )
    queued_at = timezone.now()
    Invitation.objects.bulk_create(
        [Invitation(officer_id=officer.pk, queued_at=queued_at) for officer in created],
        batch_size=2000,
    )
    preview.plan, preview.applied_at = {}, timezone.now()  # keep the counts, not the people
    preview.save(update_fields=["plan", "applied_at"])
    if created:
        invitations_enqueue(officer_ids=[officer.pk for officer in created])
    return preview


def _add_officers(department: Department, additions: list[dict]) -> list[User]:
    unusable = make_password(None)  # once for the whole roster: officers set theirs on activation
    today = timezone.localdate()
    officers = [
        User(
            **{name: entry.get(name, "") for name in FIELDS if name != "kind"},
            kind=entry.get("kind") or User.Kind.SWORN,
            retired_on=today if entry.get("status") == RETIRED else None,
            department=department,
            password=unusable,
        )
        for entry in additions
    ]
    return User.objects.bulk_create(officers, batch_size=1000)


def _change_officers(department: Department, changes: list[dict]) -> None:
    if not changes:
        return
    officers = User.objects.filter(department=department).in_bulk([c["id"] for c in changes])
    fields: set[str] = set()
    moving_badges = []
    today = timezone.localdate()
    for change in changes:
        officer = officers[change["id"]]
        for name, (_old, new) in change["fields"].items():
            if name == "is_active":
                officer.is_active, officer.deactivated_on = True, None
                fields.update({"is_active", "deactivated_on"})
            elif name == "status":
                officer.retired_on = today if new == RETIRED else None
                fields.add("retired_on")
            else:
                setattr(officer, name, new)
                fields.add(name)
        if "badge_number" in change["fields"]:
            moving_badges.append(officer.pk)
    # Badges may move between officers in one file: clear them first so no row collides midway.
    User.objects.filter(pk__in=moving_badges).update(badge_number="")
    User.objects.bulk_update(list(officers.values()), sorted(fields), batch_size=500)


# --- Officers -----------------------------------------------------------------------------------


@transaction.atomic
def officer_deactivate(*, officer: User, by: User) -> None:
    """Takes effect at once: Django re-checks is_active on the officer's next request, and the
    peer directory lists active officers only. Personal data goes after RETENTION_DAYS."""
    if officer.pk == by.pk:
        raise OfficerActionRefused("You cannot deactivate yourself. Ask another admin to do it.")
    if officer.is_department_admin and officer.is_active:
        _keep_an_admin(officer, "Make someone else an admin before deactivating this one.")
    officer.is_active, officer.deactivated_on = False, timezone.localdate()
    officer.session_token = new_session_token()  # ends their sessions, even after a reactivation
    officer.save(update_fields=["is_active", "deactivated_on", "session_token"])
    Invitation.objects.filter(officer=officer).update(queued_at=None)  # no email for them now
    families_release(officer_ids=[officer.pk])  # their family keeps access for a grace period


@transaction.atomic
def officer_reactivate(*, officer: User) -> None:
    officer.is_active, officer.deactivated_on = True, None
    officer.save(update_fields=["is_active", "deactivated_on"])


@transaction.atomic
def officer_retirement_set(*, officer: User, retired: bool) -> None:
    """Mark an officer retired, or serving again (a mistake undone). A retiree keeps their
    account and every officer page, and leaves the department's figures (docs/product.md,
    "Retired officers"); the peer directory's card says "Retired" (peers.standing)."""
    if retired == officer.is_retired:
        return
    if retired and not officer.is_active:
        raise OfficerActionRefused("Reactivate this officer before marking them retired.")
    if retired and officer.is_department_admin:
        raise OfficerActionRefused(
            "This officer is a department admin. Remove their admin role first: a retired "
            "officer cannot administer the department."
        )
    officer.retired_on = timezone.localdate() if retired else None
    officer.save(update_fields=["retired_on"])


@transaction.atomic
def officer_admin_set(*, officer: User, admin: bool) -> None:
    """Make or unmake a department admin; a department always keeps at least one active admin."""
    if admin and not officer.is_active:
        raise OfficerActionRefused("Reactivate this officer before making them an admin.")
    if admin and officer.is_retired:
        raise OfficerActionRefused(
            "A retired officer cannot administer the department. Mark them serving first, if "
            "they have come back."
        )
    if not admin and officer.is_department_admin:
        _keep_an_admin(officer, "A department needs at least one admin. Make someone else one.")
    officer.is_department_admin = admin
    officer.save(update_fields=["is_department_admin"])


def _keep_an_admin(officer: User, message: str) -> None:
    # Lock the admins so that two admins removing each other at once cannot both succeed.
    list(
        User.objects.select_for_update()
        .filter(department_id=officer.department_id, is_department_admin=True)
        .values_list("pk", flat=True)
    )
    if active_admin_count(department=officer.department) <= 1:
        raise OfficerActionRefused(message)


@transaction.atomic
def invitation_resend(*, officer: User) -> None:
    """Queue a fresh invitation for the worker. Only for officers not yet active."""
    if not officer.is_invited:
        raise OfficerActionRefused(
            "This officer has already activated their account; they can reset their password "
            "from the sign-in page if they forgot it."
        )
    Invitation.objects.update_or_create(officer=officer, defaults={"queued_at": timezone.now()})
    invitations_enqueue(officer_ids=[officer.pk])


# --- Invitations --------------------------------------------------------------------------------


@transaction.atomic
def invitations_resend_all(*, department: Department, expected: int) -> int:
    """Queue a fresh invitation for every officer of the department who has not accepted theirs
    (departments.selectors.invitations_to_resend), and return how many.

    Refused (InvitationsChanged) when that is not `expected`, the number the admin confirmed.
    The worker sends them, as an apply's.
    """
    Department.objects.select_for_update().get(pk=department.pk)  # one resend at a time
    targets = invitations_to_resend(department=department)
    ids = list(targets.values_list("pk", flat=True))
    if len(ids) != expected:
        raise InvitationsChanged(
            f"{len(ids):,} officers are waiting for an invitation now, not {expected:,} as the "
            "page said (invitations were sent or accepted meanwhile). Nothing was sent: check "
            "the new number and confirm again."
        )
    now = timezone.now()
    without_record = list(targets.filter(invitation__isnull=True).values_list("pk", flat=True))
    Invitation.objects.filter(officer__in=targets.filter(invitation__isnull=False)).update(
        queued_at=now
    )
    Invitation.objects.bulk_create(
        [Invitation(officer_id=pk, queued_at=now) for pk in without_record], batch_size=2000
    )
    if ids:
        invitations_enqueue(officer_ids=ids)
    return len(ids)


def invitations_enqueue(*, officer_ids: Iterable[int] | None = None) -> int:
    """Once the current transaction commits, hand the queued invitations (all, or these
    officers') to the worker, emails.CHUNK to a task; returns how many are queued now.

    Officers deactivated or activated meanwhile leave the queue without an email. An invitation
    queued twice (a resend before the first went) is sent once: each task sends only what is
    still queued when it runs.
    """
    queue = Invitation.objects.queued()
    if officer_ids is not None:
        queue = queue.filter(officer_id__in=list(officer_ids))

    def enqueue() -> None:
        queue.exclude(emails.INVITABLE).update(queued_at=None)
        ids = list(queue.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            for start in range(0, len(ids), emails.CHUNK):
                chunk = ids[start : start + emails.CHUNK]
                emails.send_invitation_chunk.enqueue(invitation_ids=chunk)

    count = queue.count()
    after_commit(enqueue, what="invitations")
    return count


# --- A department leaving the network -----------------------------------------------------------

LEAVING_NOTICE_DAYS = 30  # "a month before" (docs/product.md, "Retired officers")


def _retirees(department_ids) -> QuerySet[User]:
    return User.objects.filter(
        department_id__in=department_ids, is_active=True, retired_on__isnull=False
    )


@transaction.atomic
def departures_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily work of departments leaving the network (`manage.py departments_leaving`).

    A department whose `leaves_on` falls within LEAVING_NOTICE_DAYS has its retirees told, once
    (`leaving_notice_sent_on`; a new day in the admin clears it). On and after the day, its
    membership lapses (its serving officers lose access, as in any lapse) and its retirees are
    deactivated, so the retention purge erases them in time: they have no department to do it.
    Its family accounts get the day before as their last (`families_ending` tells them a month
    ahead and ends them). A lapse without a leaving day deactivates nobody. Idempotent; returns
    counts only.
    """
    today = today or timezone.localdate()
    due = list(
        Department.objects.select_for_update().filter(
            leaves_on__gt=today,
            leaves_on__lte=today + datetime.timedelta(days=LEAVING_NOTICE_DAYS),
            leaving_notice_sent_on__isnull=True,
        )
    )
    told = list(_retirees([d.pk for d in due]).values_list("pk", flat=True))
    Department.objects.filter(pk__in=[d.pk for d in due]).update(leaving_notice_sent_on=today)
    for department in due:  # families_ending tells their families, the same month ahead
        families_end_with_department(
            department_ids=[department.pk],
            last_day=department.leaves_on - datetime.timedelta(days=1),
        )
    if told:
        email_send_batch(build=lambda: emails.leaving_notices(told), what="leaving notice")
    gone = Department.objects.filter(leaves_on__lte=today)
    lapsed = gone.filter(membership_status=Department.Status.ACTIVE).update(
        membership_status=Department.Status.LAPSED
    )
    retirees = _retirees(gone.values("pk"))
    families_release(officer_ids=list(retirees.values_list("pk", flat=True)), today=today)
    ended = retirees.update(
        is_active=False, deactivated_on=today, session_token=new_session_token()
    )
    for department in gone.filter(family_accounts__isnull=False).distinct():
        # Without the month's notice when the day was set late; families_ending ends them.
        families_end_with_department(
            department_ids=[department.pk],
            last_day=department.leaves_on - datetime.timedelta(days=1),
        )
    return {"notified": len(told), "departments": len(due), "lapsed": lapsed, "ended": ended}


# --- Retention ----------------------------------------------------------------------------------


@transaction.atomic
def deactivated_purge(*, today: datetime.date | None = None) -> dict[str, int]:
    """Erase officers and family accounts deactivated more than RETENTION_DAYS ago, and stale
    roster previews.

    Officers are deleted with what hangs off them (listing, certifications, devices). Where
    another record must be kept (a protected reference), the officer's personal data is blanked
    instead. Returns counts only.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.RETENTION_DAYS)
    # Officers, and family accounts (they have no department of their own), never staff.
    expired = User.objects.filter(
        Q(department__isnull=False) | Q(family_account__isnull=False),
        is_active=False,
        deactivated_on__lt=cutoff,
    )
    ids = list(expired.values_list("pk", flat=True))
    families_release(officer_ids=ids, today=today)  # should the daily run have missed any
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        try:
            with transaction.atomic():
                records_erase(user_ids=chunk)  # staff records and Django admin's log naming them
                User.objects.filter(pk__in=chunk).delete()
        except ProtectedError:
            for pk in chunk:
                _erase_one(pk)
    stale = timezone.now() - datetime.timedelta(days=1)
    previews, _ = RosterPreview.objects.filter(
        created_at__lt=stale, applied_at__isnull=True
    ).delete()
    return {"officers": len(ids), "previews": previews}


def _erase_one(pk: int) -> None:
    records_erase(user_ids=[pk])
    try:
        with transaction.atomic():
            User.objects.filter(pk=pk).delete()
    except ProtectedError:
        User.objects.filter(pk=pk).update(
            email=f"erased-{pk}@erased.invalid",
            first_name="",
            last_name="",
            badge_number="",
            rank="",
            password=make_password(None),
            deactivated_on=None,
        )
