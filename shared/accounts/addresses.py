"""The client's address for throttling: the direct peer, or what a trusted proxy forwarded.

``X-Forwarded-For`` is believed only when the direct peer is one of ``trusted_proxies``;
otherwise anyone could name any address and dodge the throttle. Behind a chain of trusted
proxies the client is the right-most address that is not one of them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(setting: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` → networks; a mistyped entry stops the start-up."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    )


@dataclass(frozen=True)
class ClientAddresses:
    trusted: tuple[Network, ...] = field(default=())

    def of(self, request: Request) -> str:
        peer = request.client.host if request.client else "unknown"
        if not self._is_trusted(peer):
            return peer
        forwarded = [
            hop.strip()
            for header in request.headers.getlist("x-forwarded-for")
            for hop in header.split(",")
            if hop.strip()
        ]
        for hop in reversed(forwarded):
            if not self._is_trusted(hop):
                return hop
        return forwarded[0] if forwarded else peer

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)
