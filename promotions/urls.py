from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("", views.PromotionListView.as_view(), name="list"),
    path("new/", views.PromotionFormView.as_view(), name="create"),
    path("<int:pk>/", views.PromotionFormView.as_view(), name="edit"),
    path("<int:pk>/<slug:action>/", views.PromotionActionView.as_view(), name="action"),
]
