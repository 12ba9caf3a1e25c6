from django.urls import path

from . import views

urlpatterns = [
    path("", views.PortfolioListApi.as_view(), name="portfolio-list"),
    path("history/", views.PortfolioHistoryApi.as_view(), name="portfolio-history"),
    path("<id:vendor_id>/end/", views.MembershipEndApi.as_view(), name="portfolio-end"),
    path("<id:vendor_id>/reinstate/", views.MembershipReinstateApi.as_view(), name="portfolio-reinstate"),
    path("<id:vendor_id>/mute/", views.MembershipMuteApi.as_view(), name="portfolio-mute"),
]
