from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.QueueApi.as_view(), name="moderation-queue"),
    path("flags/", views.FlagListApi.as_view(), name="moderation-flag-list"),
    path("flags/<id:pk>/clear/", views.FlagClearApi.as_view(), name="moderation-flag-clear"),
    path("vendors/", views.ModerationVendorListApi.as_view(), name="moderation-vendor-list"),
    path("vendors/<id:pk>/approve/", views.VendorApproveApi.as_view(), name="moderation-vendor-approve"),
    path("vendors/<id:pk>/reject/", views.VendorRejectApi.as_view(), name="moderation-vendor-reject"),
    path("vendors/<id:pk>/suspend/", views.VendorSuspendApi.as_view(), name="moderation-vendor-suspend"),
    path("vendors/<id:pk>/reinstate/", views.VendorReinstateApi.as_view(), name="moderation-vendor-reinstate"),
    path("reports/", views.ReportListApi.as_view(), name="moderation-report-list"),
    path("reports/<id:pk>/resolve/", views.ReportResolveApi.as_view(), name="moderation-report-resolve"),
    path("reports/<id:pk>/dismiss/", views.ReportDismissApi.as_view(), name="moderation-report-dismiss"),
    path("audit/", views.AuditLogApi.as_view(), name="moderation-audit"),
    path("report/<slug:slug>/", views.ReportCreateApi.as_view(), name="moderation-report-create"),
]
