"""The public pages of typical cases, included in the portal's under /public/cases/."""

from django.urls import path

from qingqian.publication.typical_cases import public

urlpatterns: list = [
    path("", public.case_list, name="typical-case-list"),
    path("feed/", public.TypicalCaseFeed(), name="typical-case-feed"),
    path("<int:pk>/", public.case_detail, name="typical-case-detail"),
]
