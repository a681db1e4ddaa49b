"""The product's URLs plus the baseline: a bare Django view inserting one row."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (payload) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/bare/", bare_insert),
    path("", include("qingqian.urls")),
]
