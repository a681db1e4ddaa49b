"""The project's URLs plus one that fails, to see the real 500 page."""

from django.urls import path

from qingqian.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate failure")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
handler500 = "qingqian.web.views.server_error"
