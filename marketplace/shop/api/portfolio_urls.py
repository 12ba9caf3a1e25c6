from django.urls import path

from .views import portfolio as views

urlpatterns = [
    path("", views.PortfolioListApi.as_view(), name="portfolio-list"),
    path("history/", views.PortfolioHistoryApi.as_view(), name="portfolio-history"),
    path("feed/", views.PartnerFeedApi.as_view(), name="portfolio-feed"),
    path("feed/<id:promotion_id>/feedback/", views.PromotionFeedbackApi.as_view(), name="portfolio-feedback"),
    path("<id:vendor_id>/end/", views.MembershipEndApi.as_view(), name="portfolio-end"),
    path("<id:vendor_id>/reinstate/", views.MembershipReinstateApi.as_view(), name="portfolio-reinstate"),
    path("<id:vendor_id>/mute/", views.MembershipMuteApi.as_view(), name="portfolio-mute"),
]
