from django.urls import path

from ..views import account as account_views

app_name = "account_data"

urlpatterns = [
    path("export/", account_views.AccountExportView.as_view(), name="export"),
    path("delete/", account_views.AccountDeleteView.as_view(), name="delete"),
]
