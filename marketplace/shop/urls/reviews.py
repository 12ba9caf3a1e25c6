"""The moderators' review pages, under /moderation/reviews/ beside the moderation app's own pages."""

from django.urls import path

from ..views import reviews as views

app_name = "review-moderation"

urlpatterns = [
    path("", views.ReviewModerationView.as_view(), name="list"),
    path("<id:pk>/hide/", views.ReviewHideView.as_view(), name="hide"),
]
