"""The SME's demand letters (mounted at /services/letters/)."""

from django.urls import path

from qingqian.services.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("new/", views.letter_new, name="new"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/letter.pdf", views.letter_pdf, name="pdf"),
    path("<int:pk>/letter.docx", views.letter_docx, name="docx"),
    path("<int:pk>/attach/", views.letter_attach, name="attach"),
]
