"""Refuse, before any view runs, request text that no page or API field can take: a NUL character.

PostgreSQL cannot store or compare a NUL in text, so a `?q=a%00b` reaching a query raises inside the ORM (a
500) wherever a view reads the query string without a form. One check here answers 400 for every page and
API list instead, in the API's JSON shape under /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "The request contains a NUL character, which no field accepts."


class RefuseNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or any("\x00" in v for v in request.GET.values()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "code": "invalid_characters"}, status=400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)
