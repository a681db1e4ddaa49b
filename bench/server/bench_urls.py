"""The product's URLs plus the baselines: bare Django views, one inserting a row
(intake.py), one answering a fixed page (public_pages.py)."""

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

BARE_PAGE = (
    "<!DOCTYPE html><html lang=zh-Hans><head><meta charset=utf-8><title>bare</title></head>"
    "<body><p>bare Django page</p></body></html>"
)


@csrf_exempt
def bare_insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (payload) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"ok": True}, status=201)


def bare_page(request):
    """No database, no template: what the framework and the middleware cost alone."""
    return HttpResponse(BARE_PAGE)


urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/bare-page/", bare_page),
    path("", include("qingqian.urls")),
]
