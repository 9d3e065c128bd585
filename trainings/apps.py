from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"

    def ready(self) -> None:
        from trainings import signals  # noqa: F401  (connects the receivers)
