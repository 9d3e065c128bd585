"""What each staff role has to do, for their landing page: counts, each linking to where it is
done. The site pages sit above every app (docs/architecture.md, "Layers"), so this is the one
place that may read them all.

Every figure is a count or a short list the database answers in a fixed number of queries,
whatever the size of the department (13,000 officers) or the network: tests/portal count them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, DesignationStatus
from departments.selectors import department_compliance, invitation_counts
from peers.models import RECONFIRM_DAYS, REMINDER_DAYS_BEFORE, PeerListing
from peers.selectors import listed_peer_count
from professionals.models import Application, Assessment
from professionals.selectors import expiring_licences, overdue_listings
from trainings.models import Attendance, Registration, Session
from trainings.selectors import pending_external
from wnwa.accounts import roles
from wnwa.accounts.models import User
from wnwa.staff.selectors import pending_invitation_counts

# A department's term, or its yearly renewal, this close needs the network's attention.
TERM_WARNING_DAYS = 60
NAMED_AT_MOST = 10  # departments named on the page; the rest are counted


@dataclass(frozen=True)
class Task:
    text: str
    url: str
    urgent: bool = False


@dataclass
class Worklist:
    heading: str
    empty: str
    tasks: list[Task] = field(default_factory=list)

    def add(self, text: str, url: str, *, urgent: bool = False) -> None:
        self.tasks.append(Task(text, url, urgent))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def worklists(user: User, *, now: datetime.datetime | None = None) -> list[Worklist]:
    """The lists of work for every staff role `user` holds (none for an officer)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    lists = []
    if roles.is_department_admin(user):
        lists.append(department_work(user.department, now=now, today=today))
    if roles.is_network_admin(user):
        lists.append(network_work(now=now, today=today))
    if roles.is_vetter(user):
        lists.append(vetting_work(user, today=today))
    if roles.is_training_staff(user):
        lists.append(training_work(today=today))
    return lists


# --- Department admins ---------------------------------------------------------------------------


def department_work(
    department: Department, *, now: datetime.datetime, today: datetime.date
) -> Worklist:
    work = Worklist(f"{department.name}: to do", "Nothing to do for your department right now.")
    invitations = invitation_counts(department=department, today=today)
    if invitations["not_accepted"]:
        states = [
            f"{invitations[key]:,} {label}"
            for key, label in [("expired", "expired"), ("expiring", "expiring within days")]
            if invitations[key]
        ]
        work.add(
            _plural(invitations["not_accepted"], "officer has", "officers have")
            + " not accepted their invitation yet"
            + (f" ({', '.join(states)})" if states else "")
            + ": send it again to everyone who has not.",
            reverse("departments:invitations"),
            urgent=bool(invitations["expired"] or invitations["expiring"]),
        )
    lapse = now - datetime.timedelta(days=RECONFIRM_DAYS)
    listings = PeerListing.objects.filter(department=department, listable=True).aggregate(
        lapsing=Count(
            "pk",
            filter=Q(
                confirmed_at__gte=lapse,
                confirmed_at__lt=lapse + datetime.timedelta(days=REMINDER_DAYS_BEFORE),
            ),
        ),
        lapsed=Count("pk", filter=Q(confirmed_at__lt=lapse) | Q(confirmed_at__isnull=True)),
    )
    peers_url = reverse("peers:department")
    if listings["lapsed"]:
        work.add(
            _plural(listings["lapsed"], "peer's listing has", "peers' listings have")
            + " lapsed: officers no longer see them until the peer confirms.",
            peers_url,
            urgent=True,
        )
    if listings["lapsing"]:
        work.add(
            _plural(listings["lapsing"], "peer's listing lapses", "peers' listings lapse")
            + f" within {REMINDER_DAYS_BEFORE} days unless confirmed.",
            peers_url,
        )
    figures = department_compliance(
        department=department, listed_peers=listed_peer_count(department=department), today=today
    )
    compliance_url = reverse("departments:compliance")
    if not figures.quota_met:
        needed = _plural(figures.peers_needed, "more listed peer", "more listed peers")
        if figures.days_left is None:
            when = "the quota's 12 months start when the membership's joining date is recorded"
        elif figures.days_left >= 0:
            left = _plural(figures.days_left, "day", "days")
            when = f"{left} left (by {figures.deadline:%b %-d, %Y})"
        else:
            when = f"the quota is {_plural(figures.days_overdue, 'day', 'days')} overdue"
        work.add(
            f"Peer quota: {needed} needed; {when}.",
            compliance_url,
            urgent=bool(figures.days_left is not None and figures.days_left < 30),
        )
    status = department.designation_status
    if status == DesignationStatus.MISSING:
        work.add(
            "The designation of the network's peers is not on file: upload the signed document"
            " (state peer-support laws protect only peers their own agency designates).",
            compliance_url,
            urgent=True,
        )
    elif status == DesignationStatus.AWAITING:
        work.add(
            "Your designation is uploaded and awaits a network admin's verification.",
            compliance_url,
        )
    return work


# --- Vetters ------------------------------------------------------------------------------------


def vetting_work(user: User, *, today: datetime.date) -> Worklist:
    work = Worklist("Vetting: to do", "Nothing to vet right now.")
    mine = Assessment.objects.filter(
        application=OuterRef("pk"), vetter=user, round=OuterRef("round")
    )
    awaiting = (
        Application.objects.filter(
            status__in=[Application.Status.NEW, Application.Status.IN_REVIEW]
        )
        .exclude(Exists(mine))
        .count()
    )
    queue = reverse("professionals:queue")
    if awaiting:
        work.add(
            _plural(awaiting, "application awaits", "applications await") + " your assessment.",
            queue,
        )
    if overdue := overdue_listings(today=today).count():
        work.add(
            _plural(overdue, "listed professional has", "listed professionals have")
            + " not confirmed their availability for 90 days.",
            queue + "#overdue",
        )
    if expiring := expiring_licences(today=today).count():
        work.add(
            _plural(expiring, "licence expires", "licences expire")
            + " within 60 days (or has expired).",
            queue + "#licences",
        )
    return work


# --- Training staff -----------------------------------------------------------------------------


def training_work(*, today: datetime.date) -> Worklist:
    work = Worklist("Trainings: to do", "Nothing to do for the trainings right now.")
    window = datetime.timedelta(days=settings.TRAININGS_EXAM_WINDOW_DAYS)
    running = Session.objects.filter(status=Session.Status.PUBLISHED, starts_on__lte=today)
    registered = Registration.objects.filter(
        session=OuterRef("pk"), status=Registration.Status.REGISTERED
    )
    marks = Attendance.objects.filter(
        registration__session=OuterRef("pk"),
        registration__status=Registration.Status.REGISTERED,
        day__lte=today,
    )
    attendance = (
        running.filter(ends_on__gte=today - window)
        .annotate(
            trainees=Coalesce(_count(registered, "session"), 0),
            marked=Coalesce(_count(marks, "registration__session"), 0),
        )
        .filter(trainees__gt=0)
        .select_related("course")
        .order_by("starts_on", "pk")
    )
    for session in attendance:
        days = (min(today, session.ends_on) - session.starts_on).days + 1
        missing = session.trainees * days - session.marked
        if missing > 0:
            work.add(
                f"Attendance to take: {session} ({_plural(missing, 'mark', 'marks')} missing).",
                reverse("trainings:attendance", args=[session.pk]),
            )
    exams = running.filter(ends_on__lte=today, ends_on__gte=today - window).select_related("course")
    for session in exams.order_by("ends_on", "pk"):
        work.add(
            f"Exam open for {session} until {session.exam_closes_on:%b %-d}: send exam links "
            "to those who attended every day.",
            reverse("trainings:session-detail", args=[session.pk]),
        )
    if external := pending_external().count():
        work.add(
            _plural(external, "external training waits", "external trainings wait")
            + " to be verified.",
            reverse("trainings:external-queue"),
        )
    return work


def _count(rows, per: str) -> Subquery:
    """The number of `rows` of each `per` (the outer row), as a subquery."""
    return Subquery(rows.order_by().values(per).annotate(n=Count("pk")).values("n")[:1])


# --- Network admins -----------------------------------------------------------------------------


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def renewal_due_q(*, today: datetime.date, horizon: datetime.date) -> Q:
    """Departments whose term ends, or whose yearly renewal falls, between `today` and
    `horizon` (Department.next_renewal, in SQL), or that have no term to go by."""
    years = settings.FIRST_TERM_YEARS
    first_term = Q(term_ends_on__isnull=True, joined_on__isnull=False)
    ends_soon = Q(term_ends_on__gte=today, term_ends_on__lte=horizon) | first_term & Q(
        joined_on__gte=_years_before(today, years), joined_on__lte=_years_before(horizon, years)
    )
    ended = Q(term_ends_on__lt=today) | first_term & Q(joined_on__lt=_years_before(today, years))
    # After its term a membership renews every year on the same day: compare month and day.
    start, stop = today.month * 100 + today.day, horizon.month * 100 + horizon.day
    within = Q(anniversary__gte=start, anniversary__lte=stop)
    if start > stop:  # the window runs over the new year
        within = Q(anniversary__gte=start) | Q(anniversary__lte=stop)
    return ends_soon | (ended & within) | Q(term_ends_on__isnull=True, joined_on__isnull=True)


def network_work(*, now: datetime.datetime, today: datetime.date) -> Worklist:
    work = Worklist("The network: to do", "Nothing needs the network's admins right now.")
    horizon = today + datetime.timedelta(days=TERM_WARNING_DAYS)
    term_end = Coalesce("term_ends_on", "joined_on")
    members = Department.objects.filter(membership_status=Department.Status.ACTIVE).annotate(
        anniversary=ExtractMonth(term_end) * 100 + ExtractDay(term_end)
    )
    renewing = members.filter(renewal_due_q(today=today, horizon=horizon)).order_by("name")
    changelist = reverse("admin:departments_department_changelist") + "?membership_status=active"
    named = list(renewing.only("pk", "name", "joined_on", "term_ends_on")[: NAMED_AT_MOST + 1])
    for department in named[:NAMED_AT_MOST]:
        renewal = department.next_renewal(today)
        when = f"renews {renewal:%b %-d, %Y}" if renewal else "has no joining date or term"
        work.add(f"{department.name} {when}.", _admin_url(department))
    if len(named) > NAMED_AT_MOST:
        more = renewing.count() - NAMED_AT_MOST
        work.add(f"…and {more:,} more departments whose term needs action.", changelist)
    awaiting = members.exclude(designation_document="").filter(designation_verified_at=None)
    if count := awaiting.count():
        work.add(
            _plural(count, "designation awaits", "designations await") + " your verification.",
            f"{changelist}&designation={DesignationStatus.AWAITING}",
            urgent=True,
        )
    undesignated = members.filter(designation_document="").order_by("name")
    if count := undesignated.count():
        names = ", ".join(undesignated.values_list("name", flat=True)[:3])
        more = f" and {count - 3:,} more" if count > 3 else ""
        work.add(
            _plural(count, "member department has", "member departments have")
            + f" no designation on file ({names}{more}).",
            changelist,
        )
    invitations = pending_invitation_counts(now=now)
    if invitations["pending"]:
        expired = invitations["expired"]
        work.add(
            _plural(invitations["pending"], "staff invitation is", "staff invitations are")
            + " not accepted yet"
            + (f", {expired:,} of them expired." if expired else "."),
            reverse("staff:list"),
            urgent=bool(expired),
        )
    return work


def _admin_url(department: Department) -> str:
    return reverse("admin:departments_department_change", args=[department.pk])
