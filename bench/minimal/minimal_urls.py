from bare_views import bare_insert, bare_page
from django.urls import path

urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/bare-page/", bare_page),
]
