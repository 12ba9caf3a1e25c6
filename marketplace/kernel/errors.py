"""Domain errors raised by services, and the one place that turns them into API responses.

Services raise django.core.exceptions.ValidationError for bad input (400 with field errors) or one of
these for a refused action. Two places turn them into answers, by type, never by message text:
DomainErrorMixin for browser views (404, 403, or the message shown where the user came from) and the API's
exception handler (a status code with one error shape: {"detail": "...", "code": "..."}).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .redirects import redirect_back


class DomainError(Exception):
    """A rule refused the action; the message is written for the user."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class NotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ForbiddenError(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class ConflictError(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


def _validation_detail(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus: Django ValidationError → 400 with field errors; DomainError → its status."""
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "The request body is too large.", "code": "too_large"}, status=413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": str(exc) or "Too many fields.", "code": "too_many_fields"}, status=400)
    if isinstance(exc, DjangoValidationError):
        return Response(_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc), "code": exc.code}, status=exc.status_code)
    return drf_exception_handler(exc, context)


class DomainErrorMixin:
    """For browser views that call a service: NotFoundError answers 404 (nothing of anyone else's shows), and
    every other refusal (ForbiddenError, ConflictError, or a ValidationError the view did not attach to a
    form) is shown, in its own words, as a message on the page the user came from (the posted `next` on
    this site, else `get_error_redirect()`): a person reads why, where a bare 403 page would not say."""

    error_redirect: str = "shop:home"

    def get_error_redirect(self) -> str:
        return self.error_redirect

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except NotFoundError as exc:
            raise Http404(str(exc)) from exc
        except DomainError as exc:
            messages.error(request, str(exc))
        except DjangoValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect_back(request, self.get_error_redirect())
