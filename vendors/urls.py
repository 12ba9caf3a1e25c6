from django.urls import path

from . import views

app_name = "sell"

urlpatterns = [
    path("", views.WorkspaceView.as_view(), name="workspace"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/new/", views.ProductFormView.as_view(), name="product-create"),
    path("products/<int:pk>/edit/", views.ProductFormView.as_view(), name="product-edit"),
    path("products/<int:pk>/stock/", views.ProductStockView.as_view(), name="product-stock"),
    path("products/<int:pk>/active/", views.ProductActiveView.as_view(), name="product-active"),
    path("products/import/", views.CsvImportView.as_view(), name="product-import"),
    path("products/export.csv", views.CsvExportView.as_view(), name="product-export"),
]
