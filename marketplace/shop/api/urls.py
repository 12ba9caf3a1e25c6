from django.urls import path

from . import views

urlpatterns = [
    path("vendors/", views.VendorListApi.as_view(), name="vendor-list"),
    path("vendors/<slug:slug>/", views.VendorDetailApi.as_view(), name="vendor-detail"),
]
