"""Every bad setting stops the real command with one German line that names the setting:
no traceback, a non-zero exit code, and never a server that starts half-configured."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfcheck.settings import PROJECT_ROOT, SettingError, Settings
from tests.live_server import HOST, free_port

GOOD_KEY = "ein-langer-geheimer-schluessel-" + "x" * 20
COMMAND_TIMEOUT_S = 60  # a case that wrongly starts the server fails instead of hanging


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_command(env, "serve", "--port", str(free_port()), *args)


def run_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "selfcheck", *args],
            env={**_without_selfcheck_settings(), **env},
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"selfcheck {' '.join(args)} hat nicht abgebrochen") from error


def _without_selfcheck_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SELFCHECK_")}


def assert_refused(result: subprocess.CompletedProcess[str], setting: str, *words: str) -> str:
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith(f"Fehler: {setting}: "), output
    for word in words:
        assert word in lines[0], output
    return lines[0]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "daten"
    folder.mkdir()
    return folder


@pytest.fixture
def env(data_dir: Path) -> dict[str, str]:
    """A working configuration; each test breaks one thing."""
    return {
        "SELFCHECK_DATA_DIR": str(data_dir),
        "SELFCHECK_SECRET_KEY": GOOD_KEY,
        "SELFCHECK_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'selfcheck.db'}",
    }


@pytest.fixture
def unwritable_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write to. As root, permissions do not stop writes, so
    the folder is also made immutable (chattr +i)."""
    folder = tmp_path / "schreibgeschuetzt"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        if shutil.which("chattr") is None:
            pytest.skip("als root braucht dieser Test chattr")
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_an_empty_database_url_is_refused(env: dict[str, str]) -> None:
    result = run_serve({**env, "SELFCHECK_DATABASE_URL": ""})
    assert_refused(result, "SELFCHECK_DATABASE_URL", "leer")


def test_an_unparsable_database_url_is_refused(env: dict[str, str]) -> None:
    result = run_serve({**env, "SELFCHECK_DATABASE_URL": "nonsense"})
    assert_refused(result, "SELFCHECK_DATABASE_URL", "„nonsense“", "keine Datenbank-Adresse")


def test_an_unsupported_database_driver_is_refused_without_showing_the_password(
    env: dict[str, str],
) -> None:
    result = run_serve({**env, "SELFCHECK_DATABASE_URL": "mysql://kommune:geheim@db/selfcheck"})
    line = assert_refused(result, "SELFCHECK_DATABASE_URL", "„mysql“", "nicht unterstützt")
    assert "geheim" not in line


def test_an_unreachable_database_is_named_as_such_without_the_password(
    env: dict[str, str],
) -> None:
    closed_port = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://kommune:geheim@{HOST}:{closed_port}/selfcheck"
    result = run_serve({**env, "SELFCHECK_DATABASE_URL": url})
    line = assert_refused(result, "SELFCHECK_DATABASE_URL", "nicht erreichbar", str(closed_port))
    assert "geheim" not in line


def test_a_missing_data_folder_is_refused_and_not_created(
    env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "gibt-es-nicht"
    del env["SELFCHECK_DATABASE_URL"]
    result = run_serve({**env, "SELFCHECK_DATA_DIR": str(missing)})
    assert_refused(result, "SELFCHECK_DATA_DIR", str(missing), "gibt es nicht")
    assert not missing.exists()


def test_an_unwritable_data_folder_without_secret_key_is_not_called_a_database_problem(
    env: dict[str, str], unwritable_dir: Path
) -> None:
    del env["SELFCHECK_SECRET_KEY"], env["SELFCHECK_DATABASE_URL"]
    result = run_serve({**env, "SELFCHECK_DATA_DIR": str(unwritable_dir)})
    line = assert_refused(result, "SELFCHECK_DATA_DIR", str(unwritable_dir), "nicht schreiben")
    assert "Datenbank" not in line


def test_an_unwritable_data_folder_with_secret_key_is_refused(
    env: dict[str, str], unwritable_dir: Path
) -> None:
    del env["SELFCHECK_DATABASE_URL"]  # the database file would go into the data folder
    result = run_serve({**env, "SELFCHECK_DATA_DIR": str(unwritable_dir)})
    assert_refused(result, "SELFCHECK_DATA_DIR", str(unwritable_dir), "nicht schreiben")


def test_a_short_secret_key_is_refused(env: dict[str, str]) -> None:
    result = run_serve({**env, "SELFCHECK_SECRET_KEY": "geheim"})
    assert_refused(result, "SELFCHECK_SECRET_KEY", "zu kurz", "32")


def test_a_missing_questionnaire_folder_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "frageboegen"
    result = run_serve({**env, "SELFCHECK_QUESTIONNAIRE_DIR": str(missing)})
    assert_refused(result, "SELFCHECK_QUESTIONNAIRE_DIR", str(missing))


def test_a_broken_questionnaire_file_is_reported_with_file_and_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "frageboegen"
    folder.mkdir()
    broken = folder / "kaputt.yaml"
    broken.write_text("id: kaputt\nversion: '1'\ntitle: [nicht geschlossen\n", encoding="utf-8")
    result = run_serve({**env, "SELFCHECK_QUESTIONNAIRE_DIR": str(folder)})
    assert_refused(result, "SELFCHECK_QUESTIONNAIRE_DIR", f"{broken}:4:")


def test_a_missing_word_template_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    result = run_serve({**env, "SELFCHECK_REPORTS_DIR": str(tmp_path)})
    assert_refused(result, "SELFCHECK_REPORTS_DIR", str(tmp_path / "template.docx"), "fehlt")


def test_a_port_that_is_not_a_number_is_refused(env: dict[str, str]) -> None:
    result = run_command(env, "serve", "--port", "achtzig")
    assert_refused(result, "--port (SELFCHECK_PORT)", "„achtzig“", "keine Zahl")


def test_a_port_out_of_range_is_refused(env: dict[str, str]) -> None:
    result = run_command({**env, "SELFCHECK_PORT": "70000"}, "serve")
    assert_refused(result, "--port (SELFCHECK_PORT)", "70000", "außerhalb")


def test_a_port_in_use_is_refused(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_command(env, "serve", "--host", HOST, "--port", str(port))
    assert_refused(result, "--port (SELFCHECK_PORT)", str(port), "belegt")


def test_an_untrusted_proxy_entry_is_refused(env: dict[str, str]) -> None:
    result = run_serve({**env, "SELFCHECK_TRUSTED_PROXIES": "127.0.0.1, proxy.intern"})
    assert_refused(result, "SELFCHECK_TRUSTED_PROXIES", "„proxy.intern“")


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["demo"], ["backup", "kopie.db"], ["export", "1", "--out", "x"]]
)
def test_other_commands_report_a_bad_setting_the_same_way(
    env: dict[str, str], command: list[str]
) -> None:
    result = run_command({**env, "SELFCHECK_DATABASE_URL": "mysql://db/selfcheck"}, *command)
    assert_refused(result, "SELFCHECK_DATABASE_URL", "nicht unterstützt")


def test_settings_name_the_variable_in_their_error(data_dir: Path) -> None:
    env = {"SELFCHECK_DATA_DIR": str(data_dir), "SELFCHECK_METRICS": "vielleicht"}
    with pytest.raises(SettingError, match="SELFCHECK_METRICS"):
        Settings.from_env(env)
    assert Settings.from_env({**env, "SELFCHECK_METRICS": "true"}).metrics is True
