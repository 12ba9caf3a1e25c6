from django.urls import path

from . import views

# Under /portfolio/ in the "portfolios" namespace (marketplace/urls.py): feedback on a promotion in the feed, and
# the consumer's digest page.
portfolio_urlpatterns = [
    path("feedback/<id:promotion_id>/", views.PromotionFeedbackView.as_view(), name="feedback"),
    path("digest/", views.DigestView.as_view(), name="digest"),
]
