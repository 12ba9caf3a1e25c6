"""The page where a user creates and revokes personal API tokens (stored hashed, shown once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views import View

from marketplace.kernel.errors import DomainErrorMixin

from .models import APIToken
from .services import api_token_create, api_token_revoke


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=60, label=gettext_lazy("Token name"), help_text=gettext_lazy("For example: my stock script.")
    )


class TokenListView(LoginRequiredMixin, View):
    template_name = "accounts/tokens.html"

    def _render(
        self, request: HttpRequest, form: TokenCreateForm, new_key: str = "", status: int = 200
    ) -> HttpResponse:
        tokens = APIToken.objects.filter(user=request.user).order_by("-created_at")
        context: dict[str, Any] = {"form": form, "tokens": tokens, "new_key": new_key}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TokenCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            _, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render(request, form, status=400)
        # Rendered, not redirected: the key exists only in this response and is never stored.
        return self._render(request, TokenCreateForm(), new_key=key)


class TokenRevokeView(DomainErrorMixin, LoginRequiredMixin, View):
    error_redirect = "tokens:list"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = api_token_revoke(user=request.user, token_id=pk)
        messages.success(request, gettext("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("tokens:list")
