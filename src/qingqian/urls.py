from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("qingqian.api.urls")),
    path("", include("qingqian.web.urls")),
]
