from django.urls import path

from . import views

# Under /portfolio/ in the "portfolios" namespace (marketplace/urls.py): feedback on a promotion in the feed.
portfolio_urlpatterns = [
    path("feedback/<id:promotion_id>/", views.PromotionFeedbackView.as_view(), name="feedback"),
]
