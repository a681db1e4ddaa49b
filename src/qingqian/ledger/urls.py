from django.urls import path

from qingqian.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_list, name="list"),
    path("new/", views.ledger_item_new, name="new"),
    path("<int:pk>/", views.ledger_item_detail, name="item"),
    path("<int:pk>/act/<slug:action>/", views.ledger_item_act, name="act"),
    path("<int:pk>/evidence/<int:eid>/", views.ledger_evidence, name="evidence"),
    path("parties/<int:enterprise_id>/", views.ledger_party, name="party"),
    path("imports/", views.ledger_imports, name="imports"),
    path("imports/<int:pk>/", views.ledger_import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.ledger_import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", views.ledger_import_errors, name="import-errors"),
    path("template.<slug:fmt>", views.ledger_template, name="template"),
]
