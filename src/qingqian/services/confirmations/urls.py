from django.urls import path

from qingqian.services.confirmations import views

app_name = "confirmations"
urlpatterns = [
    path("", views.confirmation_list_view, name="list"),
    path("new/", views.confirmation_new_view, name="new"),
    path("<int:pk>/", views.confirmation_detail_view, name="detail"),
    path("<int:pk>/answer/", views.confirmation_answer_view, name="answer"),
    path("<int:pk>/withdraw/", views.confirmation_withdraw_view, name="withdraw"),
    path("<int:pk>/request.pdf", views.confirmation_request_pdf_view, name="request-pdf"),
]
