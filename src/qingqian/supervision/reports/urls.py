"""Pages of the periodic information reports (spliced into `supervision.urls`)."""

from django.urls import path

from qingqian.supervision.reports import unit_views, views

urlpatterns: list = [
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/units/", unit_views.unit_list, name="reporting-units"),
    path("reports/units/<int:pk>/remove/", unit_views.unit_remove, name="reporting-unit-remove"),
    path("reports/<int:pk>/value/", views.report_value, name="report-value"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path(
        "reports/national/<slug:code>/<str:period>/",
        views.report_national,
        name="report-national",
    ),
    path(
        "reports/national/<slug:code>/<str:period>/report.<slug:fmt>",
        views.report_national_file,
        name="report-national-file",
    ),
]
