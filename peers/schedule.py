"""A peer's weekly hours: the week as half-hour slots in the peer's own time zone.

A listing keeps its hours as one string of WEEK_SLOTS characters, "1" where the peer can be
reached: Monday 00:00-00:30 local time first, Sunday 23:30-24:00 last. It is the only copy of the
schedule (the form's day-and-time ranges are read from it and written to it), it needs no table
of its own, and it answers "reachable now?" in SQL on PostgreSQL and SQLite alike: the current
slot of each time zone is one character of it (`zone_slots`). Local time is what
is kept, so the change to and from daylight saving time needs nothing: the slot is found from the
moment in the peer's zone, every time.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SLOT_MINUTES = 30
DAY_SLOTS = 24 * 60 // SLOT_MINUTES
WEEK_SLOTS = 7 * DAY_SLOTS
NO_HOURS = "0" * WEEK_SLOTS
DASH = "\u2013"
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# The zones a listing may be in, with the short name a card shows ("Tue 6 pm CT"): the generic
# name, not CST/CDT, which peers and callers mix up and which changes twice a year.
TIME_ZONES: list[tuple[str, str, str]] = [
    ("America/New_York", "Eastern time", "ET"),
    ("America/Chicago", "Central time", "CT"),
    ("America/Denver", "Mountain time", "MT"),
    ("America/Phoenix", "Arizona (no daylight saving)", "MST"),
    ("America/Los_Angeles", "Pacific time", "PT"),
    ("America/Anchorage", "Alaska time", "AKT"),
    ("Pacific/Honolulu", "Hawaii time", "HT"),
    ("America/Puerto_Rico", "Atlantic time (Puerto Rico)", "AT"),
]
ZONE_CHOICES = [(zone, label) for zone, label, _ in TIME_ZONES]
SHORT_NAMES = {zone: short for zone, _, short in TIME_ZONES}
DEFAULT_ZONE = "America/Chicago"

# A department's zone is its state's usual one (where a state spans two, the larger part's);
# a peer whose department sits across the line chooses their own on the listing form.
_STATE_ZONES = {
    "America/New_York": "CT DC DE FL GA IN KY MA MD ME MI NC NH NJ NY OH PA RI SC VA VT WV",
    "America/Chicago": "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI",
    "America/Denver": "CO ID MT NM UT WY",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
    "America/Puerto_Rico": "PR",
}
STATE_ZONES = {state: zone for zone, states in _STATE_ZONES.items() for state in states.split()}


def zone_of_state(state: str) -> str:
    return STATE_ZONES.get(state, DEFAULT_ZONE)


def slot_at(moment: datetime.datetime, zone: str) -> int:
    """The index of the slot `moment` falls in, in `zone`'s local week."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() * DAY_SLOTS + (local.hour * 60 + local.minute) // SLOT_MINUTES


def is_reachable(week: str, zone: str, moment: datetime.datetime) -> bool:
    return week[slot_at(moment, zone)] == "1"


def zone_slots(now: datetime.datetime) -> list[tuple[str, int]]:
    """Each zone with the index of its slot at `now`: what "reachable now" reads of `week`
    (`peers.directory.Group` in SQL, `is_reachable` in Python)."""
    return [(zone, slot_at(now, zone)) for zone, _, _ in TIME_ZONES]


# --- Ranges: the form's and the card's way of saying it -----------------------------------------


@dataclass(frozen=True)
class Range:
    """Some days, each from `start` to `end` (slot indexes within a day; `end` may be past
    DAY_SLOTS, for hours that run past midnight: 22:00-02:00 is 44 to 52)."""

    days: tuple[int, ...]
    start: int
    end: int


def week_of(ranges: list[Range]) -> str:
    slots = ["0"] * WEEK_SLOTS
    for hours in ranges:
        for day in hours.days:
            for slot in range(day * DAY_SLOTS + hours.start, day * DAY_SLOTS + hours.end):
                slots[slot % WEEK_SLOTS] = "1"
    return "".join(slots)


def ranges_of(week: str) -> list[Range]:
    """`week` as ranges, days with the same hours together ("Mon-Fri 6-10 pm"); a run that goes
    past midnight belongs to the day it starts on."""
    if "1" not in week:
        return []
    runs: list[tuple[int, int]] = []  # (first slot, length) over the week, wrapping Sunday
    if week == "1" * WEEK_SLOTS:
        runs = [(day * DAY_SLOTS, DAY_SLOTS) for day in range(7)]
    else:
        first = week.index("0")  # start reading just after a gap, so no run is cut in two
        slot = first
        for _ in range(WEEK_SLOTS):
            index = slot % WEEK_SLOTS
            if week[index] == "1" and week[index - 1] == "0":
                length = 0
                while week[(index + length) % WEEK_SLOTS] == "1":
                    length += 1
                runs.append((index, length))
            slot += 1
    by_day: dict[int, list[tuple[int, int]]] = {}
    for start, length in sorted(runs):
        for day, first, last in _pieces(start, length):
            by_day.setdefault(day, []).append((first, last))
    grouped: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day, spans in sorted(by_day.items()):
        grouped.setdefault(tuple(spans), []).append(day)
    ranges = [
        Range(days=tuple(days), start=start, end=end)
        for spans, days in grouped.items()
        for start, end in spans
    ]
    return sorted(ranges, key=lambda hours: (hours.days[0], hours.start))


def _pieces(start: int, length: int) -> list[tuple[int, int, int]]:
    """A run of slots as (day, start, end) pieces: whole days are days of their own, and a run
    that starts in the day keeps the hours past midnight when they end the next day
    (Fri 10 pm-2 am), not when they go on past it."""
    pieces = []
    while length > 0:
        day, offset = divmod(start % WEEK_SLOTS, DAY_SLOTS)
        piece = DAY_SLOTS - offset  # to midnight
        if offset and length - piece < DAY_SLOTS:
            piece = length
        piece = min(piece, length)
        pieces.append((day, offset, offset + piece))
        start, length = start + piece, length - piece
    return pieces


def clock(slot: int, *, ending: bool = False) -> str:
    """A slot's start as a card says it: "6 pm", "6:30 am", "noon", "12 am"; as the end of
    some hours, 12 am is "midnight"."""
    minutes = (slot % DAY_SLOTS) * SLOT_MINUTES
    hour, minute = divmod(minutes, 60)
    if minutes == 0:
        return "midnight" if ending else "12 am"
    if minutes == 12 * 60:
        return "noon"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {suffix}" if minute else f"{hour} {suffix}"


def _days(days: tuple[int, ...]) -> str:
    """ "Mon–Fri, Sun": runs of three days or more as a span."""
    if len(days) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{DAYS[run[0]]}{DASH}{DAYS[run[-1]]}")
        else:
            words += [DAYS[day] for day in run]
    return ", ".join(words)


@functools.lru_cache(maxsize=4096)
def describe(week: str, zone: str) -> str:
    """The hours in words, with the zone: "Mon–Fri 6 pm–10 pm, Sun 9 am–5 pm CT". A pure
    function of its arguments, remembered: the directory asks it for twenty cards a page."""
    ranges = ranges_of(week)
    if not ranges:
        return ""
    if week == "1" * WEEK_SLOTS:
        return "Every day, all day"
    parts = []
    for hours in ranges:
        if hours.end - hours.start == DAY_SLOTS:
            span = "all day"
        else:
            span = f"{clock(hours.start)}{DASH}{clock(hours.end, ending=True)}"
        parts.append(f"{_days(hours.days)} {span}")
    return f"{', '.join(parts)} {SHORT_NAMES.get(zone, '')}".strip()


def next_reachable(week: str, zone: str, now: datetime.datetime) -> datetime.datetime | None:
    """When the hours next begin after `now`, in the peer's zone; None without hours."""
    if "1" not in week:
        return None
    local = now.astimezone(ZoneInfo(zone))
    start = slot_at(now, zone)
    for ahead in range(1, WEEK_SLOTS + 1):
        slot = (start + ahead) % WEEK_SLOTS
        if week[slot] == "1" and week[slot - 1] == "0":
            day, offset = divmod(slot, DAY_SLOTS)
            date = local.date() + datetime.timedelta(days=(day - local.weekday()) % 7)
            if day == local.weekday() and ahead >= DAY_SLOTS:
                date += datetime.timedelta(days=7)
            minutes = offset * SLOT_MINUTES
            naive = datetime.datetime.combine(date, datetime.time(minutes // 60, minutes % 60))
            return naive.replace(tzinfo=ZoneInfo(zone))
    return None


def reachable_until(week: str, zone: str, now: datetime.datetime) -> str:
    """While the hours run: when they end, in words ("10 pm CT")."""
    start = slot_at(now, zone)
    for ahead in range(1, WEEK_SLOTS + 1):
        slot = (start + ahead) % WEEK_SLOTS
        if week[slot] == "0":
            return f"{clock(slot, ending=True)} {SHORT_NAMES.get(zone, '')}".strip()
    return ""


def when(moment: datetime.datetime, zone: str) -> str:
    """A coming moment as a card says it, in the peer's zone: "Tue 6 pm CT"."""
    local = moment.astimezone(ZoneInfo(zone))
    slot = (local.hour * 60 + local.minute) // SLOT_MINUTES
    return f"{DAYS[local.weekday()]} {clock(slot)} {SHORT_NAMES.get(zone, '')}".strip()


# --- Reading the hours peers typed before there was a schedule ---------------------------------

_DAY_WORDS = {
    "mon": 0, "monday": 0, "mondays": 0, "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "wednesday": 2, "wednesdays": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "thursdays": 3, "fri": 4, "friday": 4, "fridays": 4, "sat": 5, "saturday": 5,
    "saturdays": 5, "sun": 6, "sunday": 6, "sundays": 6,
}  # fmt: skip
_DAY_GROUPS = {
    "weekdays": (0, 1, 2, 3, 4), "weeknights": (0, 1, 2, 3, 4), "weekends": (5, 6),
    "weekend": (5, 6), "daily": tuple(range(7)), "everyday": tuple(range(7)),
    "nightly": tuple(range(7)),
}  # fmt: skip
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_SPAN = re.compile(rf"^{_TIME}\s*(?:-|–|to)\s*{_TIME}$")
_EVENING = (36, 44)  # 6-10 pm, what "weeknights" alone has always meant in the demo and forms


def _minutes(hour: str, minute: str | None, suffix: str | None, default: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    suffix = (suffix or default or "").replace(".", "")
    if m % SLOT_MINUTES or h > 24 or (suffix and not 1 <= h <= 12):
        return None
    if suffix == "pm" and h != 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    return h * 60 + m


def _span(text: str) -> tuple[int, int] | None:
    match = _SPAN.match(text.strip())
    if not match:
        return None
    h1, m1, s1, h2, m2, s2 = match.groups()
    end = _minutes(h2, m2, s2, None)
    start = _minutes(h1, m1, s1, s2)  # "6-10 pm": the first time takes the second's suffix
    if start is None or end is None:
        return None
    if not s1 and not s2:
        if max(start, end) <= 12 * 60 and not m1 and not m2:
            if not end < start:  # "6-10" could be morning or evening
                return None
            end += 12 * 60  # "9-5": office hours
    elif not s1 and start > end and s2.startswith("p"):  # "9-5 pm" is 9 am to 5 pm
        start -= 12 * 60
    if start == end:
        return None
    if end <= start:
        end += 24 * 60
    return start // SLOT_MINUTES, end // SLOT_MINUTES


def _day_list(text: str) -> tuple[int, ...] | None:
    words = text.lower().replace("&", " and ").replace(",", " ").split()
    days: list[int] = []
    for word in words:
        if word == "and":
            continue
        if word in _DAY_GROUPS:
            days += _DAY_GROUPS[word]
        elif "-" in word or "–" in word:
            first, _, last = word.replace("–", "-").partition("-")
            if first not in _DAY_WORDS or last not in _DAY_WORDS:
                return None
            a, b = _DAY_WORDS[first], _DAY_WORDS[last]
            days += range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
        elif word in _DAY_WORDS:
            days.append(_DAY_WORDS[word])
        else:
            return None
    return tuple(sorted(set(days))) or None


def parse_hours(text: str) -> str | None:
    """Hours typed as text ("Weeknights 6-10 pm, Sundays") as a week, or None when the text
    cannot be read for certain; peers/migrations/0007 keeps the text either way, for the peer to
    check. Days named without hours take the hours that follow them ("Mon, Wed 9 am-1 pm"), or
    else the ones before ("…, Sundays"), or else the whole day ("Weekends")."""
    ranges: list[Range] = []
    pending: list[int] = []
    span: tuple[int, int] | None = None
    for part in re.split(r"[;,]|\band\b", text.strip(), flags=re.IGNORECASE):
        part = part.strip().rstrip(".")
        if not part:
            continue
        match = re.match(r"^([a-z&\-– ]+?)\s*(?:from\s+)?(\d.*)?$", part, flags=re.IGNORECASE)
        if not match:
            return None
        days = _day_list(match.group(1).replace(" - ", "-"))
        if days is None:
            return None
        if match.group(2):
            span = _span(match.group(2))
            if span is None:
                return None
        elif match.group(1).strip().lower() in ("weeknights", "nightly"):
            span = _EVENING
        else:
            pending += days
            continue
        ranges.append(Range(days=tuple(sorted({*pending, *days})), start=span[0], end=span[1]))
        pending = []
    if pending:
        start, end = span or (0, DAY_SLOTS)
        ranges.append(Range(days=tuple(sorted(set(pending))), start=start, end=end))
    if not ranges:
        return None
    return week_of(ranges)


# --- What a card says of the clock ---------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """A peer's reach at a moment, as their card says it.

    `group` orders the directory: 0 the peer switched "available now" on, 1 reachable now by
    their hours or day and night, 2 the rest (peers.directory's three groups).
    """

    group: int
    always: bool = False
    until: str = ""  # when the switch or the hours end: "3:25 pm CT"
    next: str = ""  # when the hours next begin: "Tue 6 pm CT"
    hours: str = ""  # the hours in words, or as the peer typed them


def time_of_day(moment: datetime.datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    text = f"{hour}:{local.minute:02d} {suffix}" if local.minute else f"{hour} {suffix}"
    return f"{text} {SHORT_NAMES.get(zone, '')}".strip()


def reach_of(listing, now: datetime.datetime) -> Reach:
    """`listing` is a PeerListing or the directory's row of one (the same attribute names);
    "always" and "hours" are PeerListing.Reachability's values."""
    zone = listing.time_zone
    hours = describe(listing.week, zone) or listing.hours_note
    if listing.available_until and listing.available_until > now:
        return Reach(group=0, until=time_of_day(listing.available_until, zone), hours=hours)
    if listing.reachability == "always":
        return Reach(group=1, always=True)
    if listing.reachability == "hours":
        if is_reachable(listing.week, zone, now):
            return Reach(group=1, until=reachable_until(listing.week, zone, now), hours=hours)
        coming = next_reachable(listing.week, zone, now)
        return Reach(group=2, next=when(coming, zone) if coming else "", hours=hours)
    return Reach(group=2)
