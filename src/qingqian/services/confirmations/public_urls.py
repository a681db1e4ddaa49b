from django.urls import path

from qingqian.services.confirmations import public_views

app_name = "confirmations_public"
urlpatterns = [
    path("<str:token>/", public_views.confirm_link_view, name="answer"),
]
