from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("", views.contact, name="contact"),
    path("demo/", views.demo, name="demo"),
    path("member-agencies/", views.member_list, name="member-list"),
    path("thanks/<slug:kind>/", views.thanks, name="thanks"),
]
