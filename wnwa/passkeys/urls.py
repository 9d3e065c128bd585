from django.urls import path

from wnwa.passkeys import views

app_name = "passkeys"

urlpatterns = [
    path("add/", views.add, name="add"),
    path("<int:pk>/name/", views.name, name="name"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    # The JSON endpoints of the library's script.
    path("add/begin/", views.add_begin, name="add-begin"),
    path("add/complete/", views.add_complete, name="add-complete"),
    path("sign-in/begin/", views.sign_in_begin, name="sign-in-begin"),
    path("sign-in/complete/", views.sign_in_complete, name="sign-in-complete"),
]
