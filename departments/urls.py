from django.urls import path

from departments import views

app_name = "departments"

urlpatterns = [
    path("", views.home, name="home"),
    path("officers/<int:officer_id>/", views.officer, name="officer"),
    path(
        "officers/<int:officer_id>/deactivate/",
        views.officer_deactivate,
        name="officer-deactivate",
    ),
    path(
        "officers/<int:officer_id>/reactivate/",
        views.officer_reactivate,
        name="officer-reactivate",
    ),
    path("officers/<int:officer_id>/invitation/", views.officer_invite, name="officer-invite"),
    path("officers/<int:officer_id>/admin/", views.officer_admin, name="officer-admin"),
    path(
        "officers/<int:officer_id>/retirement/",
        views.officer_retirement,
        name="officer-retirement",
    ),
    path("roster/upload/", views.roster_upload, name="roster-upload"),
    path("roster/previews/<int:preview_id>/", views.roster_preview, name="roster-preview"),
    path("roster/export/", views.roster_export, name="roster-export"),
    path("invitations/", views.invitations, name="invitations"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/designation/", views.designation_document, name="designation-document"),
    path(
        "compliance/designation/upload/",
        views.designation_upload,
        name="designation-upload",
    ),
]
