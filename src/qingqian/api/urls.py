from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qingqian.api import views

v1 = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", views.RevokeTokenView.as_view(), name="api-token-revoke"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="api-enterprise-list"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="api-enterprise"),
    path("organisations/", views.OrganisationListView.as_view(), name="api-organisation-list"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="api-organisation",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include(v1)),
]
