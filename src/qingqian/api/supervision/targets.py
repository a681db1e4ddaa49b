"""Campaign targets over the API: `/api/v1/stats/targets/` (those that concern
the caller's jurisdiction) and `/api/v1/stats/targets/<id>/` (each province's
progress month by month). Same selectors, scope and numbers as the pages;
money in fen, shares in percent (null when nothing is identified)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import run_service
from qingqian.api.supervision.stats import TAGS, errors, plain
from qingqian.supervision.models import CampaignTarget
from qingqian.supervision.targets import selectors


def target_data(target: CampaignTarget) -> dict:
    return {
        "id": target.pk,
        "name": target.name,
        "min_owed_fen": target.min_owed_fen,
        "max_owed_fen": target.max_owed_fen,
        "provinces": target.provinces,
        "debtor_types": target.types,
        "starts_on": plain(target.starts_on),
        "due_on": plain(target.due_on),
        "state": target.state,
    }


def months_data(months: list[selectors.Progress]) -> list[dict]:
    return [
        {
            "as_of": plain(month.as_of),
            "items": month.totals.items,
            "identified_fen": month.identified_fen,
            "repaid_fen": month.repaid_fen,
            "remaining_fen": month.remaining_fen,
            "share_cleared": plain(month.share_cleared),
        }
        for month in months
    ]


class TargetListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="stats_targets",
        responses={200: OpenApiTypes.OBJECT, **errors(401, 403)},
        description="The campaign targets that concern your jurisdiction.",
    )
    def get(self, request):
        targets = run_service(selectors.campaign_targets, actor=request.user)
        return Response({"results": [target_data(target) for target in targets]})


class TargetDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="stats_target",
        responses={200: OpenApiTypes.OBJECT, **errors(401, 403, 404)},
        description="A campaign target with each province's progress month by month "
        "(the provinces of your jurisdiction) and their total.",
    )
    def get(self, request, pk: int):
        target = run_service(selectors.campaign_target_get, actor=request.user, pk=pk)
        rows = selectors.target_progress(actor=request.user, target=target)
        return Response(
            {
                **target_data(target),
                "progress": [
                    {"code": row.province_code, "name": row.name, "months": months_data(row.months)}
                    for row in rows
                ],
                "total": months_data(selectors.total_progress(rows)),
            }
        )


urlpatterns = [
    path("stats/targets/", TargetListView.as_view(), name="api-stats-targets"),
    path("stats/targets/<int:pk>/", TargetDetailView.as_view(), name="api-stats-target"),
]
