"""The supervision pages: one namespace for its four parts, paths and names unchanged."""

from qingqian.supervision.cases import urls as case_urls
from qingqian.supervision.dashboard import urls as dashboard_urls
from qingqian.supervision.reports import urls as report_urls
from qingqian.supervision.targets import urls as target_urls

app_name = "supervision"
urlpatterns = [
    *dashboard_urls.urlpatterns,
    *case_urls.urlpatterns,
    *report_urls.urlpatterns,
    *target_urls.urlpatterns,
]
