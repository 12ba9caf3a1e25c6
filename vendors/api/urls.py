from django.urls import path

from . import views

urlpatterns = [
    path("application/", views.ApplicationApi.as_view(), name="sell-application"),
    path("products/", views.ProductListCreateApi.as_view(), name="sell-product-list"),
    path("products/import/", views.CatalogueImportApi.as_view(), name="sell-product-import"),
    path("products/<int:pk>/", views.ProductDetailApi.as_view(), name="sell-product-detail"),
    path("products/<int:pk>/stock/", views.ProductStockApi.as_view(), name="sell-product-stock"),
]
