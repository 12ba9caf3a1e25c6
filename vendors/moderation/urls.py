from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("vendors/", views.VendorListView.as_view(), name="vendor-list"),
    path("vendors/<id:pk>/", views.VendorDetailView.as_view(), name="vendor-detail"),
    path("vendors/<id:pk>/<slug:action>/", views.VendorActionView.as_view(), name="vendor-action"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/<id:pk>/<slug:outcome>/", views.ReportCloseView.as_view(), name="report-close"),
    path("flags/<id:pk>/clear/", views.FlagClearView.as_view(), name="flag-clear"),
    path("audit/", views.AuditLogView.as_view(), name="audit"),
    path("report/<slug:slug>/", views.ReportCreateView.as_view(), name="report"),
]
