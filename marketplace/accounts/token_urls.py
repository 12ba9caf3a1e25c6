from django.urls import path

from . import token_views

app_name = "tokens"

urlpatterns = [
    path("", token_views.TokenListView.as_view(), name="list"),
    path("<id:pk>/revoke/", token_views.TokenRevokeView.as_view(), name="revoke"),
]
