from django.urls import path

from qingqian.services.calculators import views

app_name = "tools"

urlpatterns = [
    path("", views.tools_home, name="home"),
    path("interest/", views.calculator_view, {"kind": "interest"}, name="interest"),
    path("deadline/", views.calculator_view, {"kind": "deadline"}, name="deadline"),
    path("size/", views.calculator_view, {"kind": "size"}, name="size"),
    path("payment-term/", views.calculator_view, {"kind": "payment_term"}, name="payment-term"),
]
