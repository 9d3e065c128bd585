"""Who may be listed, and when a card changes, kept by the database: triggers over the source rows.

A listing is `listable` when its officer is active, of an active member department, and holds a
verified certification, and the listing itself has a name, a number, a language and an area.
`department` is its officer's department, and `retired` whether the officer has retired from it
(a retiree stays listable: retirement is a status, not a deactivation; the card says "Retired").
The directory reads them off the listing's own row, so
that a search never joins the officer table (800,000 rows nationally); the database recomputes
them, in the same transaction, whenever one of the rows they come from changes — through a
service, the Django admin, `QuerySet.update()`, `bulk_create` or raw SQL alike. Django's model
signals would miss all but the first two.

`card_version` changes whenever anything a card shows changes (the listing's own fields, its
lists, its department's name and place, an area's or a language's name): the directory keys its
cached cards by it (peers.cards).

The triggers are (re)installed after every `migrate` (peers.apps), on PostgreSQL and SQLite:
SQLite drops a table's triggers when Django rebuilds the table to alter it, so installing them
once in a migration would not be enough. Each install also repairs any listing that differs.
"""

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

from departments.models import Department
from peers.models import ExperienceArea, Language, PeerListing
from trainings.models import Certification
from wnwa.accounts.models import User


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    event: str  # INSERT, DELETE, or UPDATE OF columns
    listings: str  # which listings to recompute, from NEW and OLD
    when: str = ""  # skip the recomputation unless this holds (a no-op update)
    standing: bool = True  # recompute `listable` and `department`
    card: bool = False  # give the card a new `card_version` (peers.cards)


def _tables() -> dict[str, str]:
    return {
        "listing": PeerListing._meta.db_table,
        "areas": PeerListing.areas.through._meta.db_table,
        "languages": PeerListing.languages.through._meta.db_table,
        "user": User._meta.db_table,
        "department": Department._meta.db_table,
        "certification": Certification._meta.db_table,
    }


def listable_sql() -> str:
    """`listable` of the listing row `_L_` (the one definition; tests/peers/test_standing.py)."""
    t = _tables()
    return (
        "(_L_.shown_name <> '' AND _L_.call_number <> ''"
        f" AND EXISTS (SELECT 1 FROM {t['user']} u JOIN {t['department']} d"
        "  ON d.id = u.department_id WHERE u.id = _L_.peer_id AND u.is_active"
        f"  AND d.membership_status = '{Department.Status.ACTIVE}')"
        f" AND EXISTS (SELECT 1 FROM {t['certification']} c"
        f"  WHERE c.person_id = _L_.peer_id AND c.status = '{Certification.Status.VERIFIED}')"
        f" AND EXISTS (SELECT 1 FROM {t['areas']} a WHERE a.peerlisting_id = _L_.id)"
        f" AND EXISTS (SELECT 1 FROM {t['languages']} g WHERE g.peerlisting_id = _L_.id))"
    )


def department_sql() -> str:
    user = _tables()["user"]
    return f"(SELECT u.department_id FROM {user} u WHERE u.id = _L_.peer_id)"


def retired_sql() -> str:
    """Whether the listing's officer has retired (never NULL: a listing always has its peer)."""
    user = _tables()["user"]
    return (
        f"COALESCE((SELECT u.retired_on IS NOT NULL FROM {user} u WHERE u.id = _L_.peer_id), FALSE)"
    )


def refresh_sql(where: str, *, only_changed: bool, vendor: str) -> str:
    """One UPDATE that recomputes the listings `where` selects (written over `_L_`)."""
    table = _tables()["listing"]
    listable, department, retired = listable_sql(), department_sql(), retired_sql()
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    if only_changed:
        changed = (
            f"_L_.listable {differs} {listable} OR _L_.department_id {differs} {department}"
            f" OR _L_.retired {differs} {retired}"
        )
        where = f"({where}) AND ({changed})"
    statement = (
        f"UPDATE {table} SET listable = {listable}, department_id = {department},"
        f" retired = {retired} WHERE {where}"
    )
    # UPDATE … AS alias is not portable: name the row by the table itself.
    return statement.replace("_L_.", f"{table}.")


def card_sql(where: str, *, vendor: str) -> str:
    """Give the listings `where` selects a new, random `card_version`: what their card shows has
    changed, so the cached copy (keyed by it) is no longer read. Random, not a counter, so that
    a stale value written back by a full save can never name a newer card."""
    table = _tables()["listing"]
    value = "floor(random() * 9e15)::bigint" if vendor == "postgresql" else "random()"
    return f"UPDATE {table} SET card_version = {value} WHERE {where}".replace("_L_.", f"{table}.")


# What a card shows, beside its lists and its department: a change to any of them is a new card.
# `retired` is the database's own copy of the officer's status (the card's "Retired").
CARD_COLUMNS = "shown_name, rank, years_of_service, gender, bio, call_number, text_number, retired"


def triggers(vendor: str) -> list[Trigger]:
    t = _tables()
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    # A listing's own trigger recomputes the columns it sets itself: on PostgreSQL it must not
    # fire again for its own UPDATE (SQLite never lets a trigger fire itself).
    top_level = "pg_trigger_depth() < 1" if vendor == "postgresql" else ""
    found = [
        Trigger(
            "peers_standing_officer",
            t["user"],
            "UPDATE OF is_active, department_id, retired_on",
            "_L_.peer_id = NEW.id",
            when=f"OLD.is_active {differs} NEW.is_active"
            f" OR OLD.department_id {differs} NEW.department_id"
            f" OR OLD.retired_on {differs} NEW.retired_on",
        ),
        Trigger(
            "peers_standing_department",
            t["department"],
            "UPDATE OF membership_status",
            "_L_.department_id = NEW.id",
            when=f"OLD.membership_status {differs} NEW.membership_status",
        ),
        Trigger(
            "peers_card_department",
            t["department"],
            "UPDATE OF name, county, state",
            "_L_.department_id = NEW.id",
            standing=False,
            card=True,
        ),
        Trigger(
            "peers_card_listing",
            t["listing"],
            f"UPDATE OF {CARD_COLUMNS}, department_id",
            "_L_.id = NEW.id",
            standing=False,
            card=True,
        ),
        Trigger("peers_standing_listing_new", t["listing"], "INSERT", "_L_.id = NEW.id"),
        Trigger(
            "peers_standing_listing_changed",
            t["listing"],
            "UPDATE OF peer_id, shown_name, call_number, listable, department_id, retired",
            "_L_.id = NEW.id",
            when=top_level,
        ),
    ]
    for table, column, key, card in [
        (t["certification"], "person_id", "_L_.peer_id", False),
        (t["areas"], "peerlisting_id", "_L_.id", True),
        (t["languages"], "peerlisting_id", "_L_.id", True),
    ]:
        short = table.split("_", 1)[1]
        found += [
            Trigger(
                f"peers_standing_{short}_new", table, "INSERT", f"{key} = NEW.{column}", card=card
            ),
            Trigger(
                f"peers_standing_{short}_gone", table, "DELETE", f"{key} = OLD.{column}", card=card
            ),
            Trigger(
                f"peers_standing_{short}_changed",
                table,
                "UPDATE",
                f"{key} = OLD.{column} OR {key} = NEW.{column}",
                card=card,
            ),
        ]
    # A renamed experience area or language is a new card for every listing that names it.
    for model, through, column in [
        (ExperienceArea, t["areas"], "experiencearea_id"),
        (Language, t["languages"], "language_id"),
    ]:
        name = model._meta.db_table
        found.append(
            Trigger(
                f"peers_card_{name.split('_', 1)[1]}",
                name,
                "UPDATE OF name",
                f"_L_.id IN (SELECT peerlisting_id FROM {through} WHERE {column} = NEW.id)",
                standing=False,
                card=True,
            )
        )
    return found


def _install_statements(trigger: Trigger, vendor: str) -> list[str]:
    body = []
    if trigger.standing:
        body.append(refresh_sql(trigger.listings, only_changed=False, vendor=vendor))
    if trigger.card:
        body.append(card_sql(trigger.listings, vendor=vendor))
    refresh = "; ".join(body)
    when = f" WHEN ({trigger.when})" if trigger.when else ""
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN {refresh}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}",
            f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table}"
            f" FOR EACH ROW{when} EXECUTE FUNCTION {trigger.name}()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {trigger.name}",
        f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table}"
        f" FOR EACH ROW{when} BEGIN {refresh}; END",
    ]


def install(connection: BaseDatabaseWrapper) -> int:
    """Install (or replace) every trigger, then repair the listings that differ. Returns how
    many listings were repaired."""
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise NotImplementedError(f"No triggers written for {vendor}.")
    with connection.cursor() as cursor:
        for trigger in triggers(vendor):
            for statement in _install_statements(trigger, vendor):
                cursor.execute(statement)
        cursor.execute(refresh_sql("1 = 1", only_changed=True, vendor=vendor))
        return cursor.rowcount


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of this module's triggers the database holds now."""
    if connection.vendor == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'peers_%%'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'peers_%%'"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {name for (name,) in cursor.fetchall()}
