from django.urls import path

from . import views

urlpatterns = [
    path("", views.PromotionListCreateApi.as_view(), name="sell-promotion-list"),
    path("<int:pk>/", views.PromotionDetailApi.as_view(), name="sell-promotion-detail"),
    path("<int:pk>/preview/", views.PromotionPreviewApi.as_view(), name="sell-promotion-preview"),
    path("<int:pk>/publish/", views.PromotionPublishApi.as_view(), name="sell-promotion-publish"),
    path("<int:pk>/end/", views.PromotionEndApi.as_view(), name="sell-promotion-end"),
]
