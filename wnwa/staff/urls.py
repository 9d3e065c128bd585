from django.urls import path

from wnwa.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("invite/", views.staff_invite, name="invite"),
    path("records/", views.staff_records, name="records"),
    path("accounts/<int:pk>/", views.staff_account, name="account"),
    path(
        "accounts/<int:pk>/roles/<slug:role>/remove/",
        views.staff_role_remove,
        name="role-remove",
    ),
    path(
        "accounts/<int:pk>/second-factor/reset/",
        views.staff_second_factor_reset,
        name="second-factor-reset",
    ),
    path("accounts/<int:pk>/invitation/", views.staff_invitation_resend, name="invitation-resend"),
]
