from django.apps import AppConfig


class WnwaConfig(AppConfig):
    name = "wnwa"
    verbose_name = "WeNeverWalkAlone"

    def ready(self) -> None:
        from wnwa import checks  # noqa: F401
