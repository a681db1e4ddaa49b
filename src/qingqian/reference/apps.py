from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """The data behind core's rules (working-day calendar, LPR, regions): its
    audited services and administrators' pages. Its models live in core."""

    name = "qingqian.reference"
    label = "reference"
