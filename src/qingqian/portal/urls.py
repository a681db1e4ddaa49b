"""The public pages, under /public/ (see qingqian/urls.py)."""

app_name = "portal"

urlpatterns: list = []
