from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "wnwa.staff"
    label = "staff"
    verbose_name = "Staff accounts"
