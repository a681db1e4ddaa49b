from django.urls import include, path
from django.views.i18n import set_language

from qingqian.accounts.urls import organisation_urlpatterns
from qingqian.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("qingqian.accounts.urls")),
    path("organisations/", include(organisation_urlpatterns)),
    path("enterprises/", include("qingqian.parties.urls")),
    path("reference/", include("qingqian.reference.urls")),
    path("complaints/", include("qingqian.complaints.urls")),
    path("ledger/", include("qingqian.ledger.urls")),
    path("supervision/", include("qingqian.supervision.urls")),
    path("typical-cases/", include("qingqian.publication.typical_cases.urls")),
    path("inbox/", include("qingqian.notifications.urls")),
    path("findings/referrals/", include("qingqian.publication.referrals.urls")),
    path("findings/", include("qingqian.publication.findings.urls")),
    path("services/", include("qingqian.services.urls")),
    path("disclosures/", include("qingqian.publication.disclosures.urls")),
    path("", include("qingqian.portal.account_urls")),
]
