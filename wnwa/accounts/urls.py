from django.urls import path

from wnwa.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="two-factor-backup-codes"),
    path("two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
    path("end-access/", views.end_access, name="end-access"),
    path("family/", views.family, name="family"),
    path("family/<int:pk>/withdraw/", views.family_withdraw, name="family-withdraw"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
