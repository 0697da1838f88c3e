"""The shipped systemd unit (deploy/systemd/selfcheck.service) is valid for systemd and runs
`selfcheck serve` as an unprivileged user with the data folder and the environment file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "deploy" / "systemd" / "selfcheck.service"
INSTALLED_COMMAND = "/opt/selfcheck/bin/selfcheck"


def _settings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_runs_serve_unprivileged_with_data_folder_and_environment_file() -> None:
    unit = _settings()
    assert unit["User"] == ["selfcheck"] and unit["Group"] == ["selfcheck"]
    assert unit["ExecStart"] == [f"{INSTALLED_COMMAND} serve"]
    assert unit["StateDirectory"] == ["selfcheck"]
    assert "SELFCHECK_DATA_DIR=/var/lib/selfcheck" in unit["Environment"]
    assert unit["EnvironmentFile"] == ["/etc/selfcheck/selfcheck.env"]
    for hardening in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "RestrictSUIDSGID"):
        assert unit[hardening] == ["yes"], hardening
    assert unit["ProtectSystem"] == ["strict"]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze fehlt")
    command = Path(sys.executable).parent / "selfcheck"  # the installed command, here
    unit = tmp_path / "selfcheck.service"
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(INSTALLED_COMMAND) == 1  # ExecStart
    unit.write_text(text.replace(INSTALLED_COMMAND, str(command)), encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
