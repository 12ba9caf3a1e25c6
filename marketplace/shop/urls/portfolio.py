from django.urls import path

from ..views import portfolio as views

app_name = "portfolios"

urlpatterns = [
    path("", views.PortfolioView.as_view(), name="portfolio"),
    path("add/<id:vendor_id>/", views.MembershipAddView.as_view(), name="add"),
    path("end/<id:vendor_id>/", views.MembershipEndView.as_view(), name="end"),
    path("reinstate/<id:vendor_id>/", views.MembershipReinstateView.as_view(), name="reinstate"),
    path("mute/<id:vendor_id>/", views.MembershipMuteView.as_view(), name="mute"),
    path("feedback/<id:promotion_id>/", views.PromotionFeedbackView.as_view(), name="feedback"),
]
