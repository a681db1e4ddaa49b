from django.urls import path

from qingqian.publication.disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.disclosure_home, name="home"),
    path("periods/<int:period_pk>/file/", views.disclosure_form, name="file"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/new/", views.period_edit, name="period-new"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period-edit"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("import/", views.disclosure_import, name="import"),
    path("flags/<int:pk>/", views.flag_detail, name="flag"),
    path("flags/<int:pk>/close/", views.flag_close, name="flag-close"),
]
