from django.urls import path

from qingqian.publication.referrals import views

urlpatterns = [
    path("", views.referral_list_view, name="referral-list"),
    path("new/<slug:origin>/<int:pk>/", views.referral_new_view, name="referral-new"),
    path("<int:pk>/", views.referral_detail_view, name="referral-detail"),
    path("<int:pk>/letter.pdf", views.referral_letter_view, name="referral-letter"),
]
