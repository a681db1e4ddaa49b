from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from qingqian.api import errors, organisations, public, public_tools, users, views
from qingqian.api.complaints import views as complaints
from qingqian.api.ledger import evidence, imports, items, payments, plans, proceedings, totals
from qingqian.api.supervision import cases as supervision_cases
from qingqian.api.supervision import reports as supervision_reports
from qingqian.api.supervision import stats
from qingqian.api.supervision import targets as supervision_targets
from qingqian.complaints.services import ACTIONS

public_v1 = [
    path("interest/", public_tools.InterestView.as_view(), name="api-public-interest"),
    path("deadline/", public_tools.DeadlineView.as_view(), name="api-public-deadline"),
    path("size/", public_tools.SizeView.as_view(), name="api-public-size"),
    path("payment-term/", public_tools.PaymentTermView.as_view(), name="api-public-payment-term"),
    path("statistics/", public.PublicStatisticsView.as_view(), name="api-public-statistics"),
    path("notices/", public.PublicNoticeListView.as_view(), name="api-public-notice-list"),
    path("notices/<int:pk>/", public.PublicNoticeDetailView.as_view(), name="api-public-notice"),
    re_path(
        r"^open311/services\.(?P<fmt>[^/.]+)$",
        public.Open311ServicesView.as_view(),
        name="api-public-open311-services",
    ),
    re_path(
        r"^open311/requests\.(?P<fmt>[^/.]+)$",
        public.Open311RequestsView.as_view(),
        name="api-public-open311-requests",
    ),
    re_path(
        r"^open311/requests/(?P<request_id>[^/]+)\.(?P<fmt>[^/.]+)$",
        public.Open311RequestView.as_view(),
        name="api-public-open311-request",
    ),
]

v1 = [
    path("public/", include(public_v1)),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", views.RevokeTokenView.as_view(), name="api-token-revoke"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="api-enterprise-list"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="api-enterprise"),
    *organisations.urlpatterns,
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
    path("ledger/items/", items.LedgerItemListView.as_view(), name="api-ledger-item-list"),
    path("ledger/items/<int:pk>/", items.LedgerItemDetailView.as_view(), name="api-ledger-item"),
    path(
        "ledger/items/<int:pk>/confirm/",
        items.LedgerConfirmView.as_view(),
        name="api-ledger-item-confirm",
    ),
    path(
        "ledger/items/<int:pk>/payments/",
        payments.LedgerPaymentsView.as_view(),
        name="api-ledger-item-payments",
    ),
    path(
        "ledger/items/<int:pk>/plans/",
        plans.LedgerPlansView.as_view(),
        name="api-ledger-item-plans",
    ),
    path(
        "ledger/items/<int:pk>/proceedings/",
        proceedings.LedgerProceedingsView.as_view(),
        name="api-ledger-item-proceedings",
    ),
    path(
        "ledger/payments/<int:pk>/reverse/",
        payments.PaymentReverseView.as_view(),
        name="api-ledger-payment-reverse",
    ),
    path(
        "ledger/proceedings/<int:pk>/decide/",
        proceedings.ProceedingDecideView.as_view(),
        name="api-ledger-proceeding-decide",
    ),
    path(
        "ledger/items/<int:pk>/evidence/",
        evidence.LedgerEvidenceListView.as_view(),
        name="api-ledger-evidence",
    ),
    path(
        "ledger/items/<int:pk>/evidence/<int:eid>/",
        evidence.LedgerEvidenceDownloadView.as_view(),
        name="api-ledger-evidence-file",
    ),
    path("ledger/totals/", totals.LedgerTotalsView.as_view(), name="api-ledger-totals"),
    path("ledger/exports/", totals.LedgerExportView.as_view(), name="api-ledger-export"),
    path("ledger/imports/", imports.LedgerImportListView.as_view(), name="api-ledger-import-list"),
    path(
        "ledger/imports/<int:pk>/",
        imports.LedgerImportDetailView.as_view(),
        name="api-ledger-import",
    ),
    path(
        "ledger/imports/<int:pk>/errors/",
        imports.LedgerImportErrorsView.as_view(),
        name="api-ledger-import-errors",
    ),
    *stats.urlpatterns,
    *supervision_targets.urlpatterns,
    *supervision_cases.urlpatterns,
    *supervision_reports.urlpatterns,
    *users.urlpatterns,  # staff accounts and API tokens
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # The public API's own schema: only what needs no token (tag "public").
    path(
        "v1/public/schema/",
        SpectacularAPIView.as_view(urlconf="qingqian.api.public_urls"),
        name="api-public-schema",
    ),
    path("v1/", include(v1)),
    re_path(r"", errors.not_found, name="api-not-found"),  # JSON, not the HTML page
]
