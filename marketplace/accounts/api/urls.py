from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileApi.as_view(), name="account-profile"),
]
