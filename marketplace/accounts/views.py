"""The consumer's profile and consent page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from .forms import ProfileForm
from .models import ConsumerProfile
from .services import profile_update


class ProfileView(LoginRequiredMixin, View):
    template_name = "accounts/profile.html"

    def _render(self, request: HttpRequest, form: ProfileForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "min_group": settings.MARKETPLACE["STATS_MIN_GROUP"]}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        profile, _ = ConsumerProfile.objects.get_or_create(user=request.user)
        form = ProfileForm(
            initial={
                "region": profile.region,
                "age_band": profile.age_band,
                "interests": list(profile.interests.all()),
                "share_region": profile.share_region,
                "share_age_band": profile.share_age_band,
                "share_interests": profile.share_interests,
                "weekly_promotion_cap": profile.weekly_promotion_cap,
            }
        )
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render(request, form, status=400)
        messages.success(request, "Your profile and sharing choices are saved.")
        return redirect("account:profile")
