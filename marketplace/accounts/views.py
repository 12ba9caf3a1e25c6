"""The consumer's profile and consent page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from marketplace.kernel.privacy import min_group

from .forms import ProfileForm
from .models import ConsumerProfile
from .services import profile_digest_unsubscribe, profile_update, user_language_set
from .unsubscribe import UnsubscribeRefused, unsubscribe_target


class ProfileView(LoginRequiredMixin, View):
    template_name = "accounts/profile.html"

    def _render(self, request: HttpRequest, form: ProfileForm, status: int = 200) -> HttpResponse:
        profile = ConsumerProfile.objects.filter(user=request.user).first()
        context = {
            "form": form,
            "min_group": min_group(),
            "digest_confirmed": profile is not None and profile.digest_confirmed_at is not None,
        }
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
                "digest_frequency": profile.digest_frequency,
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
        messages.success(request, gettext("Your profile and sharing choices are saved."))
        return redirect("account:profile")


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:2]}{'*' * max(1, len(local) - 2)}@{domain}"


# The one view without CSRF protection: mail clients send RFC 8058's one-click POST ("List-Unsubscribe=One-Click")
# with no token. It only ever unsubscribes, and only with a signed, unexpired, unused token in the address.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET: what the link would stop, with a confirm button. POST (the button, or a mail client's one-click):
    stop the partner digest. No login needed; a forged, expired or used link is refused (400), changing nothing."""

    template_name = "accounts/unsubscribe.html"

    def _refused(self, request: HttpRequest, exc: UnsubscribeRefused) -> HttpResponse:
        return render(request, self.template_name, {"refusal": str(exc)}, status=400)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            target = unsubscribe_target(token=token)
        except UnsubscribeRefused as exc:
            return self._refused(request, exc)
        return render(request, self.template_name, {"token": token, "email": _masked(target.user.email)})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            profile = profile_digest_unsubscribe(token=token)
        except UnsubscribeRefused as exc:
            return self._refused(request, exc)
        return render(request, self.template_name, {"done": True, "email": _masked(profile.user.email)})


@method_decorator(csrf_exempt, name="dispatch")
class LanguageSetView(View):
    """The language switcher (the header's, the account page's): a plain POST, so the page it returns to is a
    full load in the new language (htmx history keeps no page of the old one). Django's set_language sets the
    language cookie and sends the visitor back to `next` (a page of this site only); a signed-in user's choice
    is also saved on them, so it follows them to every device.

    The header's form is on pages kept for anonymous visitors, which carry no CSRF token: for a visitor who is
    not signed in the only thing a forged post could change is a cookie of their own saying which language to
    show, so the token is checked only for a signed-in user, whose saved choice it changes."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            refused = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, None, (), {})
            if refused is not None:
                return refused
        language = request.POST.get("language", "")
        if language not in dict(settings.LANGUAGES):
            choices = ", ".join(code for code, _name in settings.LANGUAGES)
            message = gettext("Choose a language the site speaks (%(choices)s).") % {"choices": choices}
            return HttpResponseBadRequest(message, content_type="text/plain")
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
        return set_language(request)
