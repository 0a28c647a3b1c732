"""Forwarded headers (X-Forwarded-For, -Proto, -Host) are believed only when the direct peer is our proxy."""
from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(text: str) -> list:
    """Turn "10.0.0.1, 192.168.0.0/16" into a list of ip_network objects (a bad entry raises ValueError)."""
    networks = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def address_in(address: str | None, networks: list) -> bool:
    """True when ``address`` is a valid IP inside one of ``networks``."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyFix:
    """WSGI middleware: applies werkzeug's ProxyFix only to requests that come from a trusted proxy.

    A client that talks to the app directly and sends its own X-Forwarded-For keeps its real
    address, so rate limits, log-in pauses and the audit log cannot be fooled.
    """

    def __init__(self, wsgi_app, networks: list):
        self.wsgi_app = wsgi_app
        self.networks = networks
        # One proxy hop (nginx): it appends the client's address as the last X-Forwarded-For entry.
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)

    def __call__(self, environ, start_response):
        """Route the request through ProxyFix when its peer is trusted, untouched otherwise."""
        if address_in(environ.get("REMOTE_ADDR"), self.networks):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)
