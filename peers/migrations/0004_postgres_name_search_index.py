"""PostgreSQL only: a trigram index for the directory's name search.

`shown_name__icontains` compiles to `UPPER(shown_name::text) LIKE UPPER('%…%')`; a GIN trigram
index over that same expression serves it. SQLite has neither pg_trgm nor GIN, and its
LIKE over a few thousand rows is fast enough, so there the migration does nothing. The index is
not declared in Meta (a GinIndex there would break SQLite), so `makemigrations` never sees it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS peers_listing_name_trgm ON peers_peerlisting "
    "USING gin ((UPPER(shown_name::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS peers_listing_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("peers", "0003_experience_areas_and_languages")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
