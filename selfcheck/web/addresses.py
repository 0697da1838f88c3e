"""The address people use to reach this server: in links, QR codes and invitations.

Behind a reverse proxy, or when the moderator's browser runs on the server itself
(http://127.0.0.1:8000), the address of the request is not the one phones can reach.
`SELFCHECK_PUBLIC_URL` names it; without it the request's own address is used.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the command line imports this module; keep it light
    from litestar import Request

    from selfcheck.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Connecting a UDP socket only picks the outgoing interface: no packet is sent. The
# address is from TEST-NET-1 (RFC 5737), so it never reaches anyone even if it were.
_ROUTE_PROBE = ("192.0.2.1", 9)


def public_base_url(request: Request[Any, Any, Any]) -> str:
    """ "https://selbstcheck.example.de" without trailing slash."""
    settings: Settings = request.app.state.settings
    return (settings.public_url or str(request.base_url)).rstrip("/")


def public_link(request: Request[Any, Any, Any], path: str) -> str:
    """An absolute link for people elsewhere (phones, e-mail); `path` starts with "/"."""
    return public_base_url(request) + path


def is_loopback_url(url: str) -> bool:
    """Whether only this computer can open `url` (127.0.0.1, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This computer's address in the local network (IPv4), or None if it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:
        address = ""
    if address and not ipaddress.ip_address(address).is_loopback:
        return address
    return _address_of_hostname()


def _address_of_hostname() -> str | None:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    for *_, sockaddr in infos:
        address = str(sockaddr[0])
        if not ipaddress.ip_address(address).is_loopback:
            return address
    return None


def phone_hints(host: str, port: int, public_url: str | None) -> list[str]:
    """What `selfcheck serve` tells the operator about reaching it from phones (German)."""
    if public_url:
        return [f"Teilnehmende erreichen den Server unter {public_url} (SELFCHECK_PUBLIC_URL)."]
    lan = lan_address()
    if lan is None:
        return ["Kein Netzwerk gefunden: Handys können diesen Server nicht erreichen."]
    suggestion = f"http://{lan}:{port}"
    if is_loopback_url(f"http://{host}"):
        return [
            f"Nur dieser Computer erreicht den Server ({host}). Für Handys im selben WLAN:",
            f"  SELFCHECK_PUBLIC_URL={suggestion} selfcheck serve --host 0.0.0.0 --port {port}",
        ]
    return [
        f"Handys im selben Netz erreichen den Server unter {suggestion}.",
        f"Damit QR-Code und Links diese Adresse zeigen: SELFCHECK_PUBLIC_URL={suggestion}",
    ]


def short_address(base_url: str) -> str:
    """ "192.168.1.20:8000" for the projector: what people type, without "http://"."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/")


def loopback_warning(request: Request[Any, Any, Any]) -> str | None:
    """The address to suggest when links point at this computer only; "" when no network
    address is known; None when all is well."""
    settings: Settings = request.app.state.settings
    if settings.public_url or not is_loopback_url(str(request.base_url)):
        return None
    lan = lan_address()
    port = request.url.port
    return f"http://{lan}:{port}" if lan and port else (f"http://{lan}" if lan else "")
