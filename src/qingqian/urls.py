from django.urls import include, path

from qingqian.core.admin import site as admin_site
from qingqian.web import health, metrics

urlpatterns = [
    # Answered by qingqian.web.health.ProbeMiddleware before any other middleware.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin_site.urls),
    path("api/", include("qingqian.api.urls")),
    path("public/", include("qingqian.services.public_urls")),
    path("public/", include("qingqian.portal.urls")),
    path("", include("qingqian.web.urls")),
]

handler500 = "qingqian.web.views.server_error"
