"""Promotion pages of the consumer: their feedback on a promotion in their partner feed, and their digest page
(what their partners sent them, as the digest e-mail tells it, with its settings)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views import View

from marketplace.accounts.models import DigestFrequency
from marketplace.accounts.services import profile_digest_set
from marketplace.kernel.errors import DomainError, DomainErrorMixin, NotFoundError

from .forms import DigestSettingsForm, PromotionFeedbackForm
from .models import PromotionFeedback
from .selectors.feedback import feedback_by_promotion_for_consumer, promotion_get_delivered
from .services.digest import PERIODS, partner_digest_show
from .services.feedback import promotion_feedback_give


class PromotionFeedbackView(DomainErrorMixin, LoginRequiredMixin, View):
    """A partner says whether a promotion in their feed was useful. With htmx the form is swapped in place
    (refusals shown in it); without JavaScript a success returns to the feed, bad input shows the form again
    (400), a promotion never delivered to them is 404 and other refusals are a message on the feed."""

    error_redirect = "portfolios:portfolio"
    partial = "portfolios/_feedback.html"

    def _render(
        self, request: HttpRequest, promo: object, feedback: object, error: str = "", status: int = 200
    ) -> HttpResponse:
        context = {"promo": promo, "feedback": feedback, "error": error, "reasons": PromotionFeedback.Reason.choices}
        if request.htmx:
            return render(request, self.partial, context)
        return render(request, "portfolios/feedback.html", context, status=status)

    def post(self, request: HttpRequest, promotion_id: int) -> HttpResponse:
        promo = promotion_get_delivered(consumer=request.user, promotion_id=promotion_id)
        if promo is None:
            raise Http404(_("You did not receive this promotion."))
        previous = feedback_by_promotion_for_consumer(consumer=request.user, promotion_ids=[promo.pk]).get(promo.pk)
        form = PromotionFeedbackForm(request.POST)
        if not form.is_valid():
            errors = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
            return self._render(request, promo, previous, errors, status=400)
        try:
            feedback = promotion_feedback_give(consumer=request.user, promotion_id=promo.pk, **form.cleaned_data)
        except ValidationError as exc:
            return self._render(request, promo, previous, " ".join(exc.messages), status=400)
        except NotFoundError:
            raise
        except DomainError as exc:
            if not request.htmx:
                raise
            return self._render(request, promo, previous, str(exc))
        if request.htmx:
            return self._render(request, promo, feedback)
        messages.success(request, _("Thank you: your feedback on “%(title)s” is saved.") % {"title": promo.title})
        return redirect(f"{reverse('portfolios:portfolio')}#promotion-{promo.pk}")


class DigestView(LoginRequiredMixin, View):
    """What your partners sent you: the signed-in consumer's own digest, the same content as the e-mail the job
    would send now (nothing is sent or delivered by looking), with how often the e-mail comes, changeable here."""

    template_name = "portfolios/digest.html"

    def _render(self, request: HttpRequest, form: DigestSettingsForm, status: int = 200) -> HttpResponse:
        digest, profile = partner_digest_show(consumer=request.user)
        confirmed = profile.digest_confirmed_at is not None
        if confirmed and not form.is_bound:
            form.initial["digest_frequency"] = profile.digest_frequency
        context = {
            "digest": digest,
            "profile": profile,
            "form": form,
            "confirmed": confirmed,
            "mailed": confirmed and profile.digest_frequency in PERIODS,
            "frequency_label": gettext(DigestFrequency(profile.digest_frequency).label).lower(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, DigestSettingsForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DigestSettingsForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        profile = profile_digest_set(user=request.user, digest_frequency=form.cleaned_data["digest_frequency"])
        label = DigestFrequency(profile.digest_frequency).label.lower()
        if profile.digest_frequency == DigestFrequency.NEVER:
            messages.success(request, _("Saved: no digest e-mail will come; this page still shows it."))
        else:
            messages.success(request, _("Saved: your digest will come %(frequency)s.") % {"frequency": label})
        return redirect("portfolios:digest")
