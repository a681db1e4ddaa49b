"""The regions a legal service covers besides its own, set by an administrator who
manages it. Only new requests follow a change: those already assigned stay."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.selectors import organisations_managed
from qingqian.core import audit
from qingqian.core.regions import is_valid_region_code
from qingqian.core.scoping import region_prefix
from qingqian.services.legalaid import verbs
from qingqian.services.models import AidCoverage


@transaction.atomic
def aid_coverage_set(*, actor, provider: Organisation, region_codes: list[str]) -> list[str]:
    """Replace the legal service's added regions; each lies in its parent authority's region."""
    managed = organisations_managed(actor=actor).filter(
        pk=provider.pk, kind=Organisation.Kind.LEGAL_SERVICE
    )
    provider = get_object_or_404(managed)
    codes = sorted({code.strip() for code in region_codes if code.strip()})
    within = region_prefix(provider.parent.region_code)
    bad = [code for code in codes if not is_valid_region_code(code) or not code.startswith(within)]
    if bad:
        raise ValidationError(
            {
                "region_codes": _("Not regions of the parent authority: %(codes)s.")
                % {"codes": ", ".join(bad)}
            }
        )
    before = sorted(provider.aid_coverage.values_list("region_code", flat=True))
    provider.aid_coverage.all().delete()
    AidCoverage.objects.bulk_create(AidCoverage(provider=provider, region_code=c) for c in codes)
    audit.record(
        actor=actor,
        verb=verbs.AID_COVERAGE_SET,
        target=provider,
        payload={"before": before, "after": codes},
    )
    return codes
