# Complaints to deactivate departments with: the complaints tests' draft.
from tests.complaints.conftest import draft  # noqa: F401
