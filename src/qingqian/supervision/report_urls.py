"""Pages of the periodic information reports (spliced into `supervision.urls`)."""

from django.urls import path

from qingqian.supervision import report_views

urlpatterns: list = [
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/value/", report_views.report_value, name="report-value"),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report-submit"),
    path(
        "reports/national/<slug:code>/<str:period>/",
        report_views.report_national,
        name="report-national",
    ),
    path(
        "reports/national/<slug:code>/<str:period>/report.<slug:fmt>",
        report_views.report_national_file,
        name="report-national-file",
    ),
]
