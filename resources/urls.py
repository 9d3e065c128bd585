# No app_name: the nav, the landing page and the privacy audit link to the bare name "resources".
from django.urls import path

from resources import views

urlpatterns = [
    path("resources/", views.index, name="resources"),
    path("resources/<int:pk>/pdf/", views.document, name="resources-document"),
    path("self-checks/", views.self_checks, name="self-checks"),
    path("self-checks/<slug:slug>/", views.self_check, name="self-check"),
]
