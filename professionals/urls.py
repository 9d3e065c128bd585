from django.urls import path

from professionals import views

app_name = "professionals"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_thanks, name="apply-thanks"),
    path("confirm/<str:token>/", views.reconfirm, name="reconfirm"),
    path("vetting/", views.queue, name="queue"),
    path("vetting/documents/<int:pk>/", views.document, name="document"),
    path("vetting/<str:reference>/", views.application, name="application"),
    path("vetting/<str:reference>/assess/", views.assess, name="assess"),
    path("vetting/<str:reference>/reopen/", views.reopen, name="reopen"),
]
