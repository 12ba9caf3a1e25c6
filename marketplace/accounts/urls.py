from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("language/", views.LanguageSetView.as_view(), name="language"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
