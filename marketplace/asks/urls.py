"""The asks' pages, mounted at the site's root: /asks/ (consumer), /sell/asks/ (vendor), /moderation/asks/."""

from django.urls import path

from . import views

app_name = "asks"

urlpatterns = [
    path("asks/", views.AskListView.as_view(), name="list"),
    path("asks/new/", views.AskCreateView.as_view(), name="create"),
    path("asks/audience/", views.AskAudienceView.as_view(), name="audience"),
    path("asks/partners/", views.AskPartnersView.as_view(), name="partners"),
    path("asks/partners/<id:vendor_id>/mute/", views.AskMuteView.as_view(), name="mute"),
    path("asks/<id:pk>/", views.AskDetailView.as_view(), name="detail"),
    path("asks/<id:pk>/publish/", views.AskPublishView.as_view(), name="publish"),
    path("asks/<id:pk>/cancel/", views.AskCancelView.as_view(), name="cancel"),
    path("asks/<id:pk>/offers/<id:offer_id>/accept/", views.OfferAcceptView.as_view(), name="offer-accept"),
    path("asks/<id:pk>/offers/<id:offer_id>/report/", views.OfferReportView.as_view(), name="offer-report"),
    path("sell/asks/", views.VendorAskListView.as_view(), name="vendor-ask-list"),
    path("sell/asks/settings/", views.VendorAskSettingsView.as_view(), name="vendor-ask-settings"),
    path("sell/asks/insights/", views.VendorAskInsightsView.as_view(), name="vendor-ask-insights"),
    path("sell/asks/<id:pk>/", views.VendorAskDetailView.as_view(), name="vendor-ask-detail"),
    path("sell/asks/<id:pk>/offer/", views.OfferMakeView.as_view(), name="vendor-offer-make"),
    path("sell/asks/<id:pk>/withdraw/", views.OfferWithdrawView.as_view(), name="vendor-offer-withdraw"),
    path("sell/asks/<id:pk>/not-interested/", views.OfferNotInterestedView.as_view(), name="vendor-not-interested"),
    path("moderation/asks/", views.ModerationAsksView.as_view(), name="moderation"),
]
