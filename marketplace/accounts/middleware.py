"""The language a signed-in person reads: their saved choice wins over the browser's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PREFIX = "/api/"


class UserLanguageMiddleware:
    """After AuthenticationMiddleware (it reads request.user) and LocaleMiddleware (which chose from the language
    cookie or Accept-Language): a signed-in user who saved a language (User.language) reads the site in it on
    every device, whatever their browser asks for. LocaleMiddleware's response step then names it in
    Content-Language. The API (API_PREFIX) answers in the language of each request's Accept-Language: a program
    says what it wants per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
