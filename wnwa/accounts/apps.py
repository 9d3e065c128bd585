from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wnwa.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from wnwa.accounts import signals  # noqa: F401
