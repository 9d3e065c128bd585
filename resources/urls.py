from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.index, name="index"),
    path("resources/<int:pk>/pdf/", views.document, name="document"),
    path("self-checks/", views.self_checks, name="self-checks"),
    path("self-checks/<slug:slug>/", views.self_check, name="self-check"),
]
