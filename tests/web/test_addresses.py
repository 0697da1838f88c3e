"""Which address people are sent to, and what `selfcheck serve` says about phones."""

from __future__ import annotations

import ipaddress

import pytest

from selfcheck.settings import Settings
from selfcheck.web.addresses import is_loopback_url, lan_address, phone_hints, short_address


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8000/w/X",
        "http://[::1]:8000",
        "http://app.localhost",
    ],
)
def test_loopback_addresses_are_recognised(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url", ["http://192.168.1.20:8000", "https://selbstcheck.kreis.example", "http://0.0.0.0:8000"]
)
def test_network_addresses_are_not_loopback(url: str) -> None:
    assert not is_loopback_url(url)


def test_the_lan_address_is_never_a_loopback_address() -> None:
    address = lan_address()
    assert address is None or not ipaddress.ip_address(address).is_loopback


def test_serve_on_loopback_explains_how_phones_get_in() -> None:
    hints = "\n".join(phone_hints("127.0.0.1", 8000, None))
    if lan_address() is None:
        assert "Handys können diesen Server nicht erreichen" in hints
    else:
        assert f"SELFCHECK_PUBLIC_URL=http://{lan_address()}:8000" in hints
        assert "--host 0.0.0.0" in hints


def test_serve_with_a_public_address_names_it() -> None:
    hints = phone_hints("0.0.0.0", 8000, "https://selbstcheck.kreis.example")
    assert hints == [
        "Teilnehmende erreichen den Server unter https://selbstcheck.kreis.example "
        "(SELFCHECK_PUBLIC_URL)."
    ]


def test_the_short_address_drops_the_scheme() -> None:
    assert short_address("http://192.168.1.20:8000/") == "192.168.1.20:8000"
    assert short_address("https://kreis.example/selbstcheck") == "kreis.example/selbstcheck"


@pytest.mark.parametrize("value", ["192.168.1.20:8000", "ftp://x.example", "http://x.example/?a=1"])
def test_a_malformed_public_address_is_refused_with_a_german_message(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCHECK_PUBLIC_URL", value)
    monkeypatch.setenv("SELFCHECK_SECRET_KEY", "x" * 40)
    with pytest.raises(ValueError, match="SELFCHECK_PUBLIC_URL"):
        Settings.from_env()


def test_the_public_address_is_read_without_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SELFCHECK_PUBLIC_URL", " http://192.168.1.20:8000/ ")
    monkeypatch.setenv("SELFCHECK_SECRET_KEY", "x" * 40)
    assert Settings.from_env().public_url == "http://192.168.1.20:8000"
