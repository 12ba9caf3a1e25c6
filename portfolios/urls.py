from django.urls import path

from . import views

# The "portfolios" namespace, under /portfolio/; marketplace/urls.py adds promotions' feedback on the feed
# (promotions.urls.portfolio_urlpatterns) to it.
app_name = "portfolios"

urlpatterns = [
    path("", views.PortfolioView.as_view(), name="portfolio"),
    path("add/<id:vendor_id>/", views.MembershipAddView.as_view(), name="add"),
    path("end/<id:vendor_id>/", views.MembershipEndView.as_view(), name="end"),
    path("reinstate/<id:vendor_id>/", views.MembershipReinstateView.as_view(), name="reinstate"),
    path("mute/<id:vendor_id>/", views.MembershipMuteView.as_view(), name="mute"),
]
