"""API body parsers with bounds: no request body can make the API answer 500 or hold a worker long.

DRF's own parsers let Django's RequestDataTooBig, TooManyFieldsSent and TooManyFilesSent escape the API's
exception handler (Django answers them with its HTML 400 page), and DRF's JSON parser recurses once per
nesting level, so 100 000 nested brackets raise RecursionError (a 500). These answer every such body in
the API's JSON error shape: 413 when it is larger than settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 400 when it is
nested deeper than settings.API_JSON_MAX_DEPTH, is not JSON (or not text), or carries too many fields or files.

The JSON and form parsers deliberately do not subclass DRF's JSONParser and FormParser: DRF reads the whole
body (request.body) before calling those, raising RequestDataTooBig outside the parser. Reading the stream
here keeps the refusal in one place and never reads more than the limit plus one byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from rest_framework import renderers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles
from rest_framework.parsers import MultiPartParser as DRFMultiPartParser

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_DEPTH = 32


class RequestBodyTooLarge(ParseError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def max_body_bytes() -> int:
    """The largest body read into memory: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (None would mean no limit,
    which the API never allows, so the 1 MB default stands in)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return DEFAULT_MAX_BODY_BYTES if limit is None else int(limit)


def max_json_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def _too_large(limit: int) -> RequestBodyTooLarge:
    size = f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} kB"
    return RequestBodyTooLarge(f"The request body is larger than {size}.")


def read_bounded(stream: IO[bytes] | None, parser_context: Mapping[str, Any] | None) -> bytes:
    """The body, read from the stream; RequestBodyTooLarge (413) past max_body_bytes(), without reading on."""
    limit = max_body_bytes()
    request = (parser_context or {}).get("request")
    if request is not None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise _too_large(limit)
    if stream is None:
        return b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


def json_problem(value: Any, max_depth: int) -> str | None:
    """Why a parsed JSON value is refused, or None: containers nested deeper than `max_depth` (a list of
    lists is depth 2), or a string (key or value) with a lone surrogate, which JSON's \\u escapes allow but
    no database column can store. Iterative, so no value is too deep to check."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "a string holds an unpaired surrogate (\\ud800-\\udfff), which is not text"
            continue
        if isinstance(item, dict):
            children: list[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return f"nested deeper than {max_depth} levels"
        stack.extend((child, depth + 1) for child in children)
    return None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class BoundedJSONParser(BaseParser):
    """application/json, at most max_body_bytes() and nested at most max_json_depth() levels."""

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        body = read_bounded(stream, parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limit = max_json_depth()
        try:
            data = json.loads(body.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested deeper than {limit} levels.") from exc
        except (ValueError, LookupError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {exc}") from exc
        problem = json_problem(data, limit)
        if problem:
            raise ParseError(f"JSON parse error - {problem}.")
        return data


class BoundedFormParser(BaseParser):
    """application/x-www-form-urlencoded, at most max_body_bytes() and DATA_UPLOAD_MAX_NUMBER_FIELDS fields."""

    media_type = "application/x-www-form-urlencoded"

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> QueryDict:
        body = read_bounded(stream, parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return QueryDict(body, encoding=encoding)
        except TooManyFieldsSent as exc:
            raise ParseError(f"Form parse error - more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.") from exc


class BoundedMultiPartParser(DRFMultiPartParser):
    """multipart/form-data (uploads): DRF's parser, with Django's own limits answered in the API's shape.
    Files stream to disk past FILE_UPLOAD_MAX_MEMORY_SIZE; each service checks its file's size itself."""

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> DataAndFiles:
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise _too_large(max_body_bytes()) from exc
        except TooManyFieldsSent as exc:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            raise ParseError(f"Multipart form parse error - more than {limit} fields.") from exc
        except TooManyFilesSent as exc:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
            raise ParseError(f"Multipart form parse error - more than {limit} files.") from exc
