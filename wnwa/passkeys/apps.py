from django.apps import AppConfig


class PasskeysConfig(AppConfig):
    name = "wnwa.passkeys"
    label = "passkeys"
    verbose_name = "Passkeys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wnwa.passkeys import checks  # noqa: F401
