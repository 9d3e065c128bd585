"""The peer directory's search, answered by the database.

Every search reads one table, `peers_peerlisting`, in today's order: the partial index
`peers_listing_rotation_idx` holds the listable listings by `rotation`, so a page is the first
matching rows the index meets, and the count stops at COUNT_CAP. Who may be listed comes from the
officer's, department's and certification's own rows through `listable`, which the database keeps
(peers/migrations/0006), so any server answers the same the moment a change commits. Nothing
about who searches, or for what, is stored (docs/privacy.md). bench/directory.py measures it.
"""

import datetime
import hashlib
from dataclasses import dataclass, fields, replace

from django.db import connection, connections
from django.db.models import (
    BigIntegerField,
    CharField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)

from departments.models import Department
from peers.models import ExperienceArea, Language, PeerListing
from peers.schedule import zone_slots
from peers.selectors import listed_peers, moment

PAGE_SIZE = 20
# Counting stops here: "More than 200 peers" says all a caller needs, and a count that walks
# 40,000 listings on every search would cost more than the rest of the page. A search that finds
# no more than this is answered from its one counting query (see `directory_page`).
COUNT_CAP = 200


@dataclass(frozen=True)
class DirectoryFilters:
    """What an officer asked for. Empty values mean "any"."""

    q: str = ""
    area: ExperienceArea | None = None
    language: Language | None = None
    gender: str = ""
    state: str = ""
    county: str = ""
    available: bool = False
    include_own: bool = False
    # Set by the view for a family member, never by the query string: only the peers who talk
    # with family members (docs/product.md, "Families").
    families: bool = False

    def active(self) -> list[str]:
        """Names of the narrowing filters in use (the own-department rule is not one)."""
        names = ["q", "area", "language", "gender", "state", "county", "available"]
        return [name for name in names if getattr(self, name)]

    def without(self, name: str) -> "DirectoryFilters":
        default = next(f.default for f in fields(self) if f.name == name)
        return replace(self, **{name: default})


# --- Today's order -------------------------------------------------------------------------------

ROTATION_MODULUS = 2_147_483_647  # a prime (2**31 - 1) above any listing id


def rotation_key(today: datetime.date) -> ExpressionWrapper:
    """A listing's place today: the same for everyone, different tomorrow, from nothing stored.

    `(id * a + b) mod p` with `a` and `b` drawn from the date: distinct ids get distinct places
    (p is prime), and a new `a` each day reshuffles the list rather than merely rotating it.
    Integer arithmetic, the same on PostgreSQL and SQLite (ids stay far below 2**32, so the
    products fit in 64 bits). `peers.services.directory_shuffle` stores it in `rotation`.
    """
    seed = hashlib.sha256(f"wnwa-directory:{today.isoformat()}".encode()).digest()
    a = int.from_bytes(seed[:8], "big") % (ROTATION_MODULUS - 1) + 1
    b = int.from_bytes(seed[8:16], "big") % ROTATION_MODULUS
    key = (F("pk") * Value(a) + Value(b)) % Value(ROTATION_MODULUS)
    return ExpressionWrapper(key, output_field=BigIntegerField())


# --- The search ----------------------------------------------------------------------------------


class Group(Expression):
    """Each listing's group at `now`, as a column: 0 when its "available now" switch is on, 1
    when it is reachable now without it (day and night, or within its weekly hours, read as the
    one character of `week` that is now in its zone: peers.schedule), 2 for the rest. The
    directory shows the groups in this order.

    One SQL CASE written here rather than `Case`, `When` and a `Q` per zone: the same condition,
    but the ORM took longer to compile those (about 2.5 ms a query, for eight zones) than the
    database took to run the whole search, and a page runs it in up to four queries. Plain SQL
    that PostgreSQL and SQLite read alike; the clock's values are parameters.
    """

    output_field = IntegerField()
    COLUMNS = ("available_until", "reachability", "time_zone", "week")

    def __init__(self, now: datetime.datetime):
        super().__init__()
        self.now = now
        self.columns: list = [F(name) for name in self.COLUMNS]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, expressions):
        self.columns = list(expressions)

    def as_sql(self, compiler, connection):
        available_until, reachability, time_zone, week = (
            compiler.compile(column)[0] for column in self.columns
        )
        slots = zone_slots(self.now)
        zones = " ".join("WHEN %s THEN %s" for _ in slots)
        sql = (
            f"CASE WHEN {available_until} > %s THEN 0"
            f" WHEN {reachability} = %s THEN 1"
            f" WHEN {reachability} = %s"
            f" AND SUBSTR({week}, CASE {time_zone} {zones} END, 1) = '1' THEN 1"
            " ELSE 2 END"
        )
        params = [
            connection.ops.adapt_datetimefield_value(self.now),
            PeerListing.Reachability.ALWAYS,
            PeerListing.Reachability.HOURS,
        ]
        for zone, slot in slots:
            params += [zone, slot + 1]  # SQL counts characters from 1
        return sql, params


# What a search forgives: case, spaces and punctuation ("Du Page" finds DuPage).
IGNORED = " -.,'’"


def compact(text: str) -> str:
    """`text` as the search compares it (the Python side of `Compacted`)."""
    return "".join(character for character in text.upper() if character not in IGNORED)


class Compacted(Func):
    """A text column upper-cased, without the characters a search ignores: one expression
    compiled to nested REPLACE calls (as with `Group`, seven nested `Replace` expressions cost
    the ORM more to compile than the query costs to run)."""

    output_field = CharField()

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        sql, params = f"UPPER({sql})", list(params)
        for character in IGNORED:
            sql = f"REPLACE({sql}, %s, '')"
            params.append(character)
        return sql, params


def name_or_department_q(text: str) -> Q:
    """Every word found in the shown name or the department's name ("Carlos Maple" finds Carlos
    of Maplewood PD), or the whole text in either once spaces and punctuation are dropped."""
    words = Q()
    for word in text.split():
        words &= Q(shown_name__icontains=word) | Q(department__name__icontains=word)
    whole = compact(text)
    if not whole:
        return words
    return words | Q(compact_name__contains=whole) | Q(compact_department__contains=whole)


def matching(
    *,
    filters: DirectoryFilters,
    own_department_id: int | None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[PeerListing]:
    """Listed peers matching `filters`, in no order. Every filter is a condition on the listing
    row or on its department's (a primary-key join); none reads the officer table."""
    today, now = moment(today, now)
    listings = listed_peers(today=today, now=now)
    if filters.q:
        listings = listings.alias(
            compact_name=Compacted("shown_name"), compact_department=Compacted("department__name")
        )
    if own_department_id is not None and not filters.include_own:
        listings = listings.exclude(department_id=own_department_id)
    if filters.q:
        listings = listings.filter(name_or_department_q(filters.q))
    if filters.area:
        listings = listings.filter(areas=filters.area)
    if filters.language:
        listings = listings.filter(languages=filters.language)
    if filters.gender:
        listings = listings.filter(gender=filters.gender)
    if filters.state:
        listings = listings.filter(department__state=filters.state)
    if filters.county:
        listings = listings.alias(compact_county=Compacted("department__county")).filter(
            compact_county=compact(filters.county)
        )
    if filters.available:  # the first two groups
        listings = listings.alias(group=Group(now)).filter(group__lt=2)
    if filters.families:
        listings = listings.filter(talks_with_families=True)
    return listings


@dataclass(frozen=True)
class Result:
    """A listing found, with what orders it and what its card's line of the clock shows; the
    rest of its card is kept under `card_version` (peers.cards)."""

    pk: int
    card_version: int
    rotation: int
    reachability: str
    available_until: datetime.datetime | None
    time_zone: str
    week: str
    hours_note: str

    COLUMNS = (
        "pk",
        "card_version",
        "rotation",
        "reachability",
        "available_until",
        "time_zone",
        "week",
        "hours_note",
    )


@dataclass(frozen=True)
class DirectoryPage:
    """A page of results: the three groups in turn (`Group`), each in today's order."""

    number: int
    listings: list[Result]
    count: int  # at most COUNT_CAP + 1
    has_next: bool

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def num_pages(self) -> int | None:
        """The number of pages, when the count is exact."""
        if self.count_is_capped:
            return None
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1


# A search's rows are (group, *Result.COLUMNS): where today's order and the id sit in them.
_ROTATION = 1 + Result.COLUMNS.index("rotation")
_PK = 1 + Result.COLUMNS.index("pk")


def _order(row: tuple) -> tuple:
    """The groups in turn, each in today's order, the id breaking a tie."""
    return (row[0], row[_ROTATION], row[_PK])


class _Search:
    """The search as one SQL statement, compiled once by the ORM, which the page then reads in
    up to four ways: counted (with the first group beside the count), read whole, and walked
    group by group in today's order.

    Each way wraps the compiled statement as a subquery, which PostgreSQL and SQLite both fold
    back into it, so each plans as if written out (the walk still stops in the rotation index
    after a page). Building and compiling a queryset for each way cost the ORM more than the
    database took to run it (about half a millisecond a query). The ORM's own converters turn
    the rows into Python values (SQLite's dates are text).
    """

    def __init__(self, found: QuerySet[PeerListing], now: datetime.datetime):
        listings = found.annotate(group_now=Group(now)).values_list("group_now", *Result.COLUMNS)
        listings = listings.order_by()
        compiler = listings.query.get_compiler(using=listings.db)
        self.sql, self.params = compiler.as_sql()
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select])
        self.connection = connections[listings.db]

    def _rows(self, sql: str, params: tuple, *, convert: bool = True) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return self._converted(rows) if convert else rows

    def _converted(self, rows: list) -> list[tuple]:
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [tuple(row) for row in rows]

    # Each statement is the ORM's compiled one inside ours; every value is a parameter.

    def _count_sql(self) -> str:
        return f"SELECT COUNT(*) AS n FROM ({self.sql} LIMIT %s) found"  # noqa: S608

    def count(self, limit: int) -> int:
        return self._rows(self._count_sql(), (*self.params, limit), convert=False)[0][0]

    def rows(self, limit: int) -> list[tuple]:
        """(group, *Result.COLUMNS) of up to `limit` matches, in no order."""
        return self._rows(f"{self.sql} LIMIT %s", (*self.params, limit))

    def _group_sql(self) -> str:
        return (
            f'SELECT * FROM ({self.sql}) found WHERE found."group_now" = %s'  # noqa: S608
            ' ORDER BY found."rotation", found."pk" LIMIT %s OFFSET %s'
        )

    def group(self, number: int, start: int, stop: int) -> list[Result]:
        """Rows `start` to `stop` of group `number`, in today's order."""
        rows = self._rows(self._group_sql(), (*self.params, number, stop - start, start))
        return [Result(*row[1:]) for row in rows]

    def counted_group(self, limit: int, number: int, stop: int) -> tuple[int, list[Result]]:
        """`count(limit)` and `group(number, 0, stop)` in one statement: the count joined to
        the group's rows, so that it comes back even when the group is empty."""
        sql = (
            f"SELECT counted.n, walked.* FROM ({self._count_sql()}) counted"  # noqa: S608
            f" LEFT JOIN ({self._group_sql()}) walked ON 1 = 1"
            ' ORDER BY walked."rotation", walked."pk"'
        )
        params = (*self.params, limit, *self.params, number, stop, 0)
        rows = self._rows(sql, params, convert=False)
        found = self._converted([row[1:] for row in rows if row[2] is not None])
        return rows[0][0], [Result(*row[1:]) for row in found]

    def group_count(self, number: int, limit: int) -> int:
        sql = (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({self.sql}) found"  # noqa: S608
            ' WHERE found."group_now" = %s LIMIT %s) counted'
        )
        return self._rows(sql, (*self.params, number, limit), convert=False)[0][0]


def _walk(
    search: _Search, *, start: int, stop: int, first: list[Result] | None = None
) -> list[Result]:
    """Rows `start` to `stop` of a large result: each group in turn, each a walk of the
    rotation index that stops after the page. (The groups cannot be indexed, since they depend
    on the clock, and one query ordered by them would sort every match.) `first` is the first
    group's part of the page when it has been read already (`_Search.counted_group`)."""
    results: list[Result] = []
    before = 0  # how many matches the groups already walked hold
    for number in range(3):
        wanted = stop - start - len(results)
        offset = max(0, start - before)
        if number == 0 and first is not None:
            taken = first
        else:
            taken = search.group(number, offset, offset + wanted)
        results += taken
        if len(results) >= stop - start:
            break
        if taken or offset == 0:
            before += offset + len(taken)
        else:  # the page starts past this group: count it (no more than `offset`)
            before += search.group_count(number, offset)
    return results


def directory_page(
    *,
    filters: DirectoryFilters,
    own_department_id: int | None,
    number: int = 1,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> DirectoryPage:
    """Page `number` of the search, in one to four queries whatever the result's size.

    The first query reads the matches, up to COUNT_CAP + 1, each with its group (`Group`) and
    its place today. A result that small, as most searches with a filter are, is put in order
    from that: nothing more to read. A larger one is walked in the rotation index (`_walk`),
    which finds a page quickly precisely because matches are many. Without a narrowing filter
    the result is the whole directory, large but for a small network, so the first query only
    counts, to COUNT_CAP + 1, rather than read rows the walk reads again; on page 1 it reads the
    first group's part of the page too, so a page whose first group fills it is one query. The
    cards themselves come from the cache (peers.cards).
    """
    today, now = moment(today, now)
    found = matching(filters=filters, own_department_id=own_department_id, today=today, now=now)
    search = _Search(found, now)
    rows: list[tuple] = []
    first = None  # the first group's part of page 1, when read with the count
    if filters.active():
        rows = search.rows(COUNT_CAP + 1)
        count = len(rows)
    else:
        if number == 1:
            count, first = search.counted_group(COUNT_CAP + 1, 0, PAGE_SIZE + 1)
        else:
            count = search.count(COUNT_CAP + 1)
        if count <= COUNT_CAP:
            rows = search.rows(COUNT_CAP + 1)
            count = len(rows)
    if not count:
        return DirectoryPage(number=1, listings=[], count=0, has_next=False)
    if count <= COUNT_CAP:
        number = min(number, max(1, -(-count // PAGE_SIZE)))
    start = (number - 1) * PAGE_SIZE
    stop = start + PAGE_SIZE + 1  # one more tells whether there is a next page
    if count <= COUNT_CAP:
        rows.sort(key=_order)
        results = [Result(*row[1:]) for row in rows[start:stop]]
    else:
        results = _walk(search, start=start, stop=stop, first=first)
        if not results and number > 1:  # past the end of a count too long to tell
            return directory_page(filters=filters, own_department_id=own_department_id, now=now)
    return DirectoryPage(
        number=number, listings=results[:PAGE_SIZE], count=count, has_next=len(results) > PAGE_SIZE
    )


def directory_count(*, filters: DirectoryFilters, own_department_id: int | None, now=None) -> int:
    found = matching(filters=filters, own_department_id=own_department_id, now=now)
    return found[: COUNT_CAP + 1].count()


def loosening_hints(
    *, filters: DirectoryFilters, own_department_id: int | None, limit: int = 8
) -> list[tuple[str, int]]:
    """For an empty result: each filter whose removal would find someone, with the count."""
    hints = []
    for name in filters.active():
        count = directory_count(filters=filters.without(name), own_department_id=own_department_id)
        if count:
            hints.append((name, count))
    if own_department_id is not None and not filters.include_own:
        own = replace(filters, include_own=True)
        count = directory_count(filters=own, own_department_id=own_department_id)
        if count:
            hints.append(("include_own", count))
    return hints[:limit]


@dataclass(frozen=True)
class Choices:
    areas: list[ExperienceArea]
    languages: list[Language]
    states: list[str]  # the states with listed peers, which the state filter offers first


def directory_choices() -> Choices:
    """What the directory's filters offer: staff's short lists of experience areas and
    languages, and the states that have listed peers. peers.cards keeps it for a minute."""
    return Choices(
        areas=list(ExperienceArea.objects.all()),
        languages=list(Language.objects.all()),
        states=_states_with_listed_peers(),
    )


def _states_with_listed_peers() -> list[str]:
    """Each state the departments are in, kept if one listed peer is found there: a probe per
    state (its departments by the state index, their listings by department), where the
    distinct states of all listed peers read every listing (40 ms at national scale)."""
    listed = listed_peers().values("department__state").order_by()
    sql, params = listed.query.sql_with_params()
    departments = connection.ops.quote_name(Department._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT places.state FROM (SELECT DISTINCT state FROM {departments}) places"  # noqa: S608
            f' WHERE EXISTS (SELECT 1 FROM ({sql}) listed WHERE listed."department__state"'
            " = places.state) ORDER BY 1",
            params,
        )
        return [state for (state,) in cursor.fetchall() if state]
