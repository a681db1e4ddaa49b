"""The library's editing pages, under /services/library/ (signed in)."""

from django.urls import path

from qingqian.services.library import views

urlpatterns = [
    path("", views.entry_list, name="library-edit-list"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="library-entry-edit"),
    path("entries/<int:pk>/history/", views.entry_history, name="library-entry-history"),
]
