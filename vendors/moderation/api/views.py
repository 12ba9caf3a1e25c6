"""The moderators' API: the same services as the pages, so every action is audited and notified."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import ModerationAction, Vendor, VendorFlag, VendorReport
from .. import selectors
from .. import services as moderation
from .serializers import (
    AuditFilterSerializer,
    AuditSerializer,
    FlagSerializer,
    ModerationVendorSerializer,
    NoteInputSerializer,
    ReasonInputSerializer,
    ReportCreateInputSerializer,
    ReportSerializer,
    VendorFilterSerializer,
)


class IsModerator(BasePermission):
    message = _("Only moderators may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_moderator)


MODERATOR = [IsAuthenticated, IsModerator]


class QueueApi(generics.ListAPIView):
    """Pending applications, oldest first."""

    serializer_class = ModerationVendorSerializer
    permission_classes = MODERATOR
    queryset = Vendor.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.vendor_list_pending()


class FlagListApi(generics.ListAPIView):
    """Open early-warning flags with the figures that raised them."""

    serializer_class = FlagSerializer
    permission_classes = MODERATOR
    queryset = VendorFlag.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.flag_list_open()


class ModerationVendorListApi(generics.ListAPIView):
    serializer_class = ModerationVendorSerializer
    permission_classes = MODERATOR
    queryset = Vendor.objects.none()

    @extend_schema(parameters=[VendorFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = VendorFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.vendor_list_for_moderation(
            status=params.validated_data.get("status"), search=params.validated_data.get("q", "")
        )


def _vendor_action(service: Any) -> type[APIView]:
    class VendorActionApi(APIView):
        permission_classes = MODERATOR

        @extend_schema(request=ReasonInputSerializer, responses=ModerationVendorSerializer)
        def post(self, request: Request, pk: int) -> Response:
            data = ReasonInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            vendor = service(moderator=request.user, vendor_id=pk, reason=data.validated_data["reason"])
            return Response(ModerationVendorSerializer(vendor).data)

    VendorActionApi.__doc__ = (service.__doc__ or "").split("\n")[0]
    return VendorActionApi


VendorApproveApi = _vendor_action(moderation.vendor_approve)
VendorRejectApi = _vendor_action(moderation.vendor_reject)
VendorSuspendApi = _vendor_action(moderation.vendor_suspend)
VendorReinstateApi = _vendor_action(moderation.vendor_reinstate)


class ReportListApi(generics.ListAPIView):
    """Reports, newest first; `?status=open` for the open ones."""

    serializer_class = ReportSerializer
    permission_classes = MODERATOR
    queryset = VendorReport.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = self.request.query_params.get("status")
        return selectors.report_list(status=wanted if wanted in VendorReport.Status.values else None)


def _report_action(service: Any) -> type[APIView]:
    class ReportActionApi(APIView):
        permission_classes = MODERATOR

        @extend_schema(request=NoteInputSerializer, responses=ReportSerializer)
        def post(self, request: Request, pk: int) -> Response:
            data = NoteInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            report = service(moderator=request.user, report_id=pk, note=data.validated_data["note"])
            return Response(ReportSerializer(report).data)

    return ReportActionApi


ReportResolveApi = _report_action(moderation.report_resolve)
ReportDismissApi = _report_action(moderation.report_dismiss)


class FlagClearApi(APIView):
    permission_classes = MODERATOR

    @extend_schema(request=None, responses=FlagSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return Response(FlagSerializer(moderation.vendor_flag_clear(flag_id=pk, moderator=request.user)).data)


class AuditLogApi(generics.ListAPIView):
    """Every moderation action, newest first, filtered by kind, moderator, vendor and dates."""

    serializer_class = AuditSerializer
    permission_classes = MODERATOR
    queryset = ModerationAction.objects.none()

    @extend_schema(parameters=[AuditFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = AuditFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.moderation_action_list(
            kind=data.get("kind"),
            moderator_id=data.get("moderator"),
            vendor=data.get("vendor", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class ReportCreateApi(APIView):
    """Report a vendor (any signed-in user; one open report per user and vendor)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReportCreateInputSerializer, responses={201: ReportSerializer})
    def post(self, request: Request, slug: str) -> Response:
        vendor = selectors.vendor_get_reportable(slug=slug)
        if vendor is None:
            raise Http404
        data = ReportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = moderation.report_create(reporter=request.user, vendor_id=vendor.pk, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
