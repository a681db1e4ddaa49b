from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qingqian.api import errors, views
from qingqian.api.complaints import views as complaints
from qingqian.complaints.services import ACTIONS

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
    path("complaints/", complaints.ComplaintListView.as_view(), name="api-complaint-list"),
    path("complaints/<int:pk>/", complaints.ComplaintDetailView.as_view(), name="api-complaint"),
    path(
        "complaints/<int:pk>/events/",
        complaints.ComplaintEventsView.as_view(),
        name="api-complaint-events",
    ),
    path(
        "complaints/<int:pk>/evidence/",
        complaints.EvidenceListView.as_view(),
        name="api-complaint-evidence",
    ),
    path(
        "complaints/<int:pk>/evidence/<int:eid>/",
        complaints.EvidenceDownloadView.as_view(),
        name="api-complaint-evidence-file",
    ),
    *[
        path(
            f"complaints/<int:pk>/{action}/",
            complaints.action_view(action),
            name=f"api-complaint-{action}",
        )
        for action in ACTIONS
    ],
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include(v1)),
    re_path(r"", errors.not_found, name="api-not-found"),  # JSON, not the HTML page
]
