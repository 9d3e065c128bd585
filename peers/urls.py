from django.urls import path

from peers import views

app_name = "peers"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("my-listing/", views.my_listing, name="my-listing"),
    path("my-listing/edit/", views.my_listing_edit, name="my-listing-edit"),
    path("my-listing/confirm/", views.my_listing_confirm, name="my-listing-confirm"),
    path("my-listing/available/", views.my_listing_available, name="my-listing-available"),
    path("my-listing/pause/", views.my_listing_pause, name="my-listing-pause"),
    path("my-listing/remove/", views.my_listing_remove, name="my-listing-remove"),
    path("department/", views.department, name="department"),
]
