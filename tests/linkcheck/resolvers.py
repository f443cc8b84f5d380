"""A DNS stand-in for tests: names answer from a fixed table, so nothing leaves the machine."""

import socket

from aiohttp.abc import AbstractResolver, ResolveResult


class StaticResolver(AbstractResolver):
    """A resolver answering from a fixed table: ``{"news.example": ["93.184.216.34"]}``.

    Names not in the table fail like NXDOMAIN. The checker's GuardedResolver
    wraps it as it wraps the system resolver, so the guard is what is tested.
    """

    def __init__(self, table: dict[str, list[str]]):
        self.table = {name.lower(): addresses for name, addresses in table.items()}

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        addresses = self.table.get(host.lower())
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: name not known")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None
