from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_standing(sender, using, plan=None, **kwargs):
    """After every `migrate`: the triggers that keep each listing's standing (peers.standing)."""
    from peers import standing

    connection, table = connections[using], sender.get_model("PeerListing")._meta.db_table
    if table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, table)
    if "listable" in {column.name for column in columns}:  # not when migrated back before it
        standing.install(connection)


class PeersConfig(AppConfig):
    name = "peers"

    def ready(self):
        post_migrate.connect(_install_standing, sender=self, dispatch_uid="peers-standing")
