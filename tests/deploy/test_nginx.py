"""The shipped nginx configuration (deploy/nginx/selfcheck.conf) in front of the real server:
TLS ends at nginx, votes posted through it reach the projector's event stream through it
at once (the stream is not buffered), and the app trusts the forwarded scheme and address
only from the configured proxy – then cookies are Secure and links say https.

The test runs the shipped file itself. It only substitutes what must differ on a test
machine (ports, upstream address, certificate) and fails if one of those places moves.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from selfcheck.db.engine import Database
from selfcheck.settings import PROJECT_ROOT
from tests.conftest import PASSWORD, World
from tests.helpers import log_in
from tests.live_server import HOST, ServerProcess, free_port
from tests.workshop.conftest import create_workshop_via_pages, join, open_mood_round, vote

SHIPPED = PROJECT_ROOT / "deploy" / "nginx" / "selfcheck.conf"
NGINX = os.environ.get("SELFCHECK_TEST_NGINX", "/usr/sbin/nginx")
VOTES = 5
# The goal: a vote is on the projector within 300 ms. Checked on the median of a
# few votes, so that one slow moment of a shared test machine does not decide it; every
# figure is printed (pytest -rP). Buffering would hold events for seconds.
PUSH_GOAL_S = 0.3


@pytest.fixture(scope="module")
def nginx_binary() -> str:
    if not (shutil.which(NGINX) or Path(NGINX).is_file()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"nginx fehlt ({NGINX}); .ci/run installiert es")
        pytest.skip(f"nginx fehlt ({NGINX})")
    return NGINX


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _substitute(text: str, old: str, new: str, count: int) -> str:
    found = text.count(old)
    assert found == count, f"„{old}“ steht {found}-mal in {SHIPPED.name}, erwartet {count}-mal"
    return text.replace(old, new)


def site_for_test(http_port: int, https_port: int, app_port: int, cert: Path, key: Path) -> str:
    """The shipped file with test ports, the test server as upstream and a test certificate."""
    site = SHIPPED.read_text(encoding="utf-8")
    for old, new, count in [
        ("listen 80;", f"listen {HOST}:{http_port};", 1),
        ("listen [::]:80;", "", 1),
        ("listen 443 ssl http2;", f"listen {HOST}:{https_port} ssl http2;", 1),
        ("listen [::]:443 ssl http2;", "", 1),
        ("server 127.0.0.1:8000;", f"server {HOST}:{app_port};", 1),
        ("/etc/ssl/CHANGE-ME/fullchain.pem", str(cert), 1),
        ("/etc/ssl/CHANGE-ME/privkey.pem", str(key), 1),
    ]:
        site = _substitute(site, old, new, count)
    return site


def main_config(folder: Path, site: Path) -> str:
    """What /etc/nginx/nginx.conf provides, with every path in a temporary folder."""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    # As root, nginx's workers would run as "nobody", who cannot enter pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    access_log {folder / "access.log"};
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


@dataclass(frozen=True)
class Proxy:
    https_url: str
    http_url: str
    folder: Path

    def error_log(self) -> str:
        return (self.folder / "error.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def app_server(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> Iterator[ServerProcess]:
    env = {"SELFCHECK_TRUSTED_PROXIES": HOST}
    with ServerProcess(database_url, tmp_path, env) as server:
        yield server


@pytest.fixture
def proxy(nginx_binary: str, app_server: ServerProcess, tmp_path: Path) -> Iterator[Proxy]:
    folder = tmp_path / "nginx"
    folder.mkdir()
    cert, key = _self_signed_certificate(folder)
    http_port, https_port = free_port(), free_port()
    site = folder / "selfcheck.conf"
    site.write_text(site_for_test(http_port, https_port, app_server.port, cert, key))
    config = folder / "nginx.conf"
    config.write_text(main_config(folder, site))
    check = subprocess.run(
        [nginx_binary, "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [nginx_binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    proxy = Proxy(f"https://{HOST}:{https_port}", f"http://{HOST}:{http_port}", folder)
    try:
        _wait_until_up(proxy, process)
        yield proxy
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(proxy: Proxy, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, f"nginx hat sich beendet:\n{proxy.error_log()}"
        try:
            if httpx.get(f"{proxy.https_url}/health", verify=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"nginx antwortet nicht:\n{proxy.error_log()}")


@pytest.fixture
async def moderator(proxy: Proxy) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=proxy.https_url, verify=False, follow_redirects=True
    ) as client:
        await log_in(client, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
        yield client


async def _next_event(lines: AsyncIterator[str]) -> str:
    async for line in lines:
        if line.startswith("data:"):
            return line
    raise AssertionError("der Strom endete ohne Ereignis")


def _votes_on(event: str, item: str) -> int:
    found = re.search(rf'"key":"{item}","label":"[^"]*","n":(\d+)', event)
    assert found, event[:300]
    return int(found.group(1))


async def _until_votes(lines: AsyncIterator[str], item: str, count: int) -> None:
    while _votes_on(await _next_event(lines), item) < count:
        pass


async def test_votes_reach_the_projector_through_nginx_at_once(
    proxy: Proxy, moderator: httpx.AsyncClient, world: World
) -> None:
    workshop, round_id = await open_mood_round(moderator, world.aheim_assessment.id)  # type: ignore[arg-type]
    phones = [
        httpx.AsyncClient(base_url=proxy.https_url, verify=False, follow_redirects=True)
        for _ in range(VOTES)
    ]
    delays = []
    async with moderator.stream("GET", f"/moderation/workshops/{workshop.id}/live") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.aiter_lines()
        await _next_event(lines)  # the current state, sent when the stream opens
        for phone in phones:
            await join(phone, workshop)  # type: ignore[arg-type]
        for voted, phone in enumerate(phones, start=1):
            sent = time.monotonic()
            assert (await vote(phone, workshop, round_id, "AW", "2"))[0] == 200  # type: ignore[arg-type]
            # The event arrives while the stream stays open: nginx passes it on at once.
            await asyncio.wait_for(_until_votes(lines, "AW", voted), timeout=10)
            delays.append(time.monotonic() - sent)
    for phone in phones:
        await phone.aclose()
    median = statistics.median(delays)
    print("Stimme bis Projektor über nginx (s):", " ".join(f"{d:.3f}" for d in delays))
    assert median < PUSH_GOAL_S, delays


async def test_behind_tls_cookies_are_secure_and_links_say_https(
    proxy: Proxy, world: World
) -> None:
    async with httpx.AsyncClient(
        base_url=proxy.https_url, verify=False, follow_redirects=True
    ) as browser:
        start = await browser.get("/anmelden")
        assert start.http_version in {"HTTP/1.1", "HTTP/2"}
        cookies = start.headers.get_list("set-cookie")
        assert cookies and all("; Secure" in cookie for cookie in cookies), cookies
        await log_in(browser, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
        workshop = await create_workshop_via_pages(browser, world.aheim_assessment.id)  # type: ignore[arg-type]
        control = await browser.get(f"/moderation/workshops/{workshop.id}")
    assert f"{proxy.https_url}/w/{workshop.code}" in control.text


async def test_plain_http_is_redirected_to_https(proxy: Proxy) -> None:
    async with httpx.AsyncClient(base_url=proxy.http_url) as browser:
        response = await browser.get("/anmelden")
    assert response.status_code == 301
    assert response.headers["location"].startswith(f"https://{HOST}")


def test_nginx_speaks_http2(proxy: Proxy) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl fehlt")
    result = subprocess.run(
        ["curl", "--http2", "--insecure", "--silent", "--head", f"{proxy.https_url}/health"],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    assert result.stdout.startswith("HTTP/2 200"), result.stdout + result.stderr


async def test_forwarded_headers_count_only_from_a_trusted_proxy(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    """Straight to the app, without SELFCHECK_TRUSTED_PROXIES: a client claiming https
    gets no Secure cookie (uvicorn would otherwise trust 127.0.0.1 by default)."""
    forged = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    with ServerProcess(database_url, tmp_path) as server:
        async with httpx.AsyncClient(base_url=server.base_url) as browser:
            response = await browser.get("/anmelden", headers=forged)
    cookies = response.headers.get_list("set-cookie")
    assert cookies and not any("Secure" in cookie for cookie in cookies), cookies
