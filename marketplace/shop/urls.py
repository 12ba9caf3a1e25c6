from django.urls import path

from . import views

app_name = "shop"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("vendors/", views.VendorListView.as_view(), name="vendor-list"),
    path("vendors/<slug:slug>/", views.VendorDetailView.as_view(), name="vendor-detail"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
]
