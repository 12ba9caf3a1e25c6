"""/payments/: the providers' webhook endpoint and the fake provider's pages (namespace "payments")."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("webhooks/<slug:provider>/", views.PaymentWebhookView.as_view(), name="webhook"),
    path("fake/authenticate/<str:token>/", views.FakeAuthenticateView.as_view(), name="fake-authenticate"),
    path("fake/onboarding/<str:token>/", views.FakeOnboardingView.as_view(), name="fake-onboarding"),
]
