"""`qingqian manage check --deploy` is clean with the production environment
of docs/operator-guide.md (step 2), run as the operator runs it."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

OPERATOR_GUIDE = Path(__file__).parents[2] / "docs" / "operator-guide.md"


def documented_environment() -> dict[str, str]:
    """The NAME=value lines of the guide's step 2, with their placeholders."""
    guide = OPERATOR_GUIDE.read_text()
    step = guide.split("2. Set the environment", 1)[1].split("```", 2)[1]
    return dict(re.findall(r"^\s*([A-Z_]+)=(\S+)", step, flags=re.MULTILINE))


def test_check_deploy_is_clean_in_the_documented_production_environment(tmp_path):
    documented = documented_environment()
    assert {"QINGQIAN_SECURE_COOKIES", "QINGQIAN_TLS_PROXY", "QINGQIAN_AUDIT_KEY"} <= set(
        documented
    )
    environment = {
        # The machine's environment without this test run's own settings (the
        # browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, for one).
        **{k: v for k, v in os.environ.items() if not k.startswith(("QINGQIAN_", "DJANGO_"))},
        **documented,
        # The placeholders, filled as an operator would.
        "QINGQIAN_SECRET_KEY": secrets.token_urlsafe(50),
        "QINGQIAN_AUDIT_KEY": secrets.token_urlsafe(50),
        "QINGQIAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'qingqian.sqlite3'}",
    }
    qingqian = Path(sys.executable).with_name("qingqian")  # the installed console script
    command = [str(qingqian), "manage", "check", "--deploy"]
    result = subprocess.run(
        [*command, "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "System check identified no issues" in output, output
