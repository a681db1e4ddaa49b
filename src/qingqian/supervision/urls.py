from django.urls import path

from qingqian.supervision import case_urls, report_urls, views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("facts/", views.facts_page, name="facts"),
    *case_urls.urlpatterns,
    *report_urls.urlpatterns,
]
