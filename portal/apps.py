from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer (docs/architecture.md): the site's own pages, the root URLs and the demo
    data. It may import every app; no app imports it."""

    name = "portal"
