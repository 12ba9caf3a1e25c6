"""The asks' API, mounted under /api/v1/ (names prefixed "asks-" for the consumer, "sell-ask" for the vendor)."""

from django.urls import path

from . import views

urlpatterns = [
    path("asks/", views.AskListCreateApi.as_view(), name="asks-list"),
    path("asks/audience/", views.AskAudienceApi.as_view(), name="asks-audience"),
    path("asks/partners/<id:vendor_id>/mute/", views.AskMuteApi.as_view(), name="asks-mute"),
    path("asks/<id:pk>/", views.AskDetailApi.as_view(), name="asks-detail"),
    path("asks/<id:pk>/publish/", views.AskPublishApi.as_view(), name="asks-publish"),
    path("asks/<id:pk>/cancel/", views.AskCancelApi.as_view(), name="asks-cancel"),
    path("asks/<id:pk>/offers/<id:offer_id>/accept/", views.OfferAcceptApi.as_view(), name="asks-offer-accept"),
    path("asks/<id:pk>/offers/<id:offer_id>/report/", views.OfferReportApi.as_view(), name="asks-offer-report"),
    path("sell/asks/", views.VendorAskListApi.as_view(), name="sell-ask-list"),
    path("sell/asks/insights/", views.VendorAskInsightsApi.as_view(), name="sell-ask-insights"),
    path("sell/asks/<id:pk>/", views.VendorAskDetailApi.as_view(), name="sell-ask-detail"),
    path("sell/asks/<id:pk>/offer/", views.VendorOfferApi.as_view(), name="sell-ask-offer"),
    path("sell/asks/<id:pk>/withdraw/", views.VendorOfferWithdrawApi.as_view(), name="sell-ask-withdraw"),
    path("sell/asks/<id:pk>/not-interested/", views.VendorNotInterestedApi.as_view(), name="sell-ask-not-interested"),
]
