"""Pages of the dashboard and the facts behind its figures (spliced into `supervision.urls`)."""

from django.urls import path

from qingqian.supervision.dashboard import views

urlpatterns: list = [
    path("", views.dashboard_page, name="dashboard"),
    path("facts/", views.facts_page, name="facts"),
    path("map.json", views.map_file, name="map-file"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule-edit"),
]
