"""The baselines' views, the same code in Qingqian's settings (bench_urls) and
in the minimal project (minimal_urls): a bare page and a one-row insert."""

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

BARE_PAGE = (
    "<!DOCTYPE html><html lang=zh-Hans><head><meta charset=utf-8><title>bare</title></head>"
    "<body><p>bare Django page</p></body></html>"
)
BARE_TABLE = "CREATE TABLE IF NOT EXISTS bench_bare (id {primary_key}, payload TEXT)"


@csrf_exempt
def bare_insert(request):
    """Insert the request's body as one row: the least a submission can cost."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (payload) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"ok": True}, status=201)


def bare_page(request):
    """No database, no template: what the framework and the middleware cost alone."""
    return HttpResponse(BARE_PAGE)


def create_bare_table() -> None:
    primary_key = {
        "postgresql": "BIGSERIAL PRIMARY KEY",
        "sqlite": "INTEGER PRIMARY KEY",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(BARE_TABLE.format(primary_key=primary_key))
