"""The supervision pages: one namespace for its three parts, paths and names unchanged."""

from qingqian.supervision.cases import urls as case_urls
from qingqian.supervision.dashboard import urls as dashboard_urls
from qingqian.supervision.reports import urls as report_urls

app_name = "supervision"
urlpatterns = [
    *dashboard_urls.urlpatterns,
    *case_urls.urlpatterns,
    *report_urls.urlpatterns,
]
