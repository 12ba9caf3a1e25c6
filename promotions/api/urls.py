from django.urls import path

from . import views

# Under /api/v1/portfolio/ (marketplace/api_urls.py), beside the portfolio's own routes.
urlpatterns = [
    path("feed/", views.PartnerFeedApi.as_view(), name="portfolio-feed"),
    path("feed/<id:promotion_id>/feedback/", views.PromotionFeedbackApi.as_view(), name="portfolio-feedback"),
    path("digest/", views.PartnerDigestApi.as_view(), name="portfolio-digest"),
]
