from django.urls import path

from ..views import portfolio as views

app_name = "portfolios"

urlpatterns = [
    path("", views.PortfolioView.as_view(), name="portfolio"),
    path("add/<int:vendor_id>/", views.MembershipAddView.as_view(), name="add"),
    path("end/<int:vendor_id>/", views.MembershipEndView.as_view(), name="end"),
    path("reinstate/<int:vendor_id>/", views.MembershipReinstateView.as_view(), name="reinstate"),
    path("mute/<int:vendor_id>/", views.MembershipMuteView.as_view(), name="mute"),
]
