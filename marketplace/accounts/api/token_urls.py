from django.urls import path

from . import token_views

urlpatterns = [
    path("", token_views.TokenListCreateApi.as_view(), name="account-token-list"),
    path("<id:pk>/revoke/", token_views.TokenRevokeApi.as_view(), name="account-token-revoke"),
]
