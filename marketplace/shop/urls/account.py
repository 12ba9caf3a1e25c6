from django.urls import path

from ..views import account as account_views
from ..views import addresses as address_views

app_name = "account_data"

urlpatterns = [
    path("export/", account_views.AccountExportView.as_view(), name="export"),
    path("delete/", account_views.AccountDeleteView.as_view(), name="delete"),
    path("addresses/", address_views.AddressListView.as_view(), name="addresses"),
    path("addresses/<id:pk>/", address_views.AddressEditView.as_view(), name="address-edit"),
    path("addresses/<id:pk>/delete/", address_views.AddressDeleteView.as_view(), name="address-delete"),
]
