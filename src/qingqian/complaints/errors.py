"""Refusals a caller can tell apart (the API maps them to 409; the web UI to a message)."""

from django.utils.translation import gettext as _


class ComplaintConflict(Exception):
    """The action does not fit the complaint's current state or version."""

    code = "conflict"

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("This action is not possible in the complaint's current state.")
        )


class StaleVersion(ComplaintConflict):
    code = "stale"

    def __init__(self):
        super().__init__(_("Someone else changed this complaint meanwhile. Reload and try again."))
