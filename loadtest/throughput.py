"""How many requests a second Ruta serves: /healthz, a static file and the finder.

Usage: ``python loadtest/throughput.py http://127.0.0.1:8765 [--seconds 20] [--connections 8]``
(``make throughput`` starts the server as in production and runs this; see README.md).

A closed loop: ``--connections`` clients each send a request, wait for the whole answer and
send the next, for ``--seconds`` per measure, after a warm-up of a few seconds. Each
measure prints requests per second, the median and p95 time of one request, the share of
answers that were not 200, and its ratio to ``/healthz`` from the same run (the floor: a
request through gunicorn and Django that does no work). Machines are shared: read ratios,
not wall times.

The client is plain asyncio over sockets (no third-party load generator), one request per
connection as gunicorn's sync workers answer (``Connection: close``), and it reports its
own CPU time: it runs on the same cores as the server and takes part of them.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import itertools
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

# Words a person types into the finder (the load test's list, Spanish and English).
WORDS = [
    "psicológica",
    "violencia",
    "salud mental",
    "refugio",
    "legal",
    "niñas",
    "línea",
    "apoyo",
    "migrantes",
    "mental health",
    "shelter",
    "grupo",
]


@dataclass
class Measure:
    label: str
    seconds: float = 0.0
    timings: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.timings)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def fetch(host: str, port: int, path: str) -> tuple[int, bytes]:
    """One GET on a fresh connection; the status and the body."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        "Accept-Language: es\r\nX-Forwarded-Proto: https\r\n\r\n".encode("ascii")
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 else 0
    return status, body


async def run(
    label: str, host: str, port: int, paths: Iterator[str], seconds: float, clients: int
) -> Measure:
    measure = Measure(label)
    stop = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < stop:
            path = next(paths)
            began = time.perf_counter()
            try:
                status, _body = await fetch(host, port, path)
            except OSError:
                measure.failures += 1
                continue
            measure.statuses[status] = measure.statuses.get(status, 0) + 1
            if status == 200:
                measure.timings.append(time.perf_counter() - began)
            else:
                measure.failures += 1

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    measure.seconds = time.perf_counter() - began
    return measure


def options(page: str, name: str) -> list[str]:
    """The non-empty option values of the finder's <select name=...>."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if not found:
        return []
    values = re.findall(r'<option value="([^"]+)"', found.group(1))
    return [html.unescape(v) for v in values]


def distinct_queries(page: str) -> list[str]:
    """Many different finder searches: every word, alone and with each filter's values."""
    sectors, profiles, regions = (options(page, n) for n in ("sector", "profile", "admin1"))
    queries = [urlencode({"q": w}) for w in WORDS]
    for word, sector in itertools.product(WORDS, sectors):
        queries.append(urlencode({"q": word, "sector": sector}))
    for word, profile in itertools.product(WORDS, profiles):
        queries.append(urlencode({"q": word, "profile": profile}))
    for sector, region in itertools.product(sectors, regions):
        queries.append(urlencode({"sector": sector, "admin1": region}))
    return [f"/servicios/?{q}" for q in dict.fromkeys(queries)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8765")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    parts = urlsplit(args.base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80

    status, body = asyncio.run(fetch(host, port, "/servicios/"))
    if status != 200:
        print(f"The finder answered {status}: is the server up?", file=sys.stderr)
        return 2
    page = body.decode("utf-8", "replace")
    static = re.search(r'(?:href|src)="(/static/[^"]+\.css)"', page)
    if not static:
        print("No stylesheet on the finder page to fetch as the static file.", file=sys.stderr)
        return 2
    distinct = distinct_queries(page)
    repeated = "/servicios/?" + urlencode({"q": "violencia"})
    # Every distinct search also carries a number of its own (a parameter the finder
    # ignores), so that none is answered from the page cache, even on a later round.
    numbered = (f"{path}&n={n}" for n, path in enumerate(itertools.cycle(distinct)))
    plan: list[tuple[str, Iterator[str]]] = [
        ("/healthz (floor)", itertools.cycle(["/healthz"])),
        (f"static file {static.group(1).rsplit('/', 1)[-1]}", itertools.cycle([static.group(1)])),
        ("finder, one query repeated", itertools.cycle([repeated])),
        (f"finder, {len(distinct)} searches, never repeated", numbered),
    ]
    cpu_before = time.process_time()
    wall_before = time.perf_counter()
    results = []
    for label, paths in plan:
        asyncio.run(run(label, host, port, paths, args.warmup, args.connections))
        results.append(asyncio.run(run(label, host, port, paths, args.seconds, args.connections)))
    client_cpu = time.process_time() - cpu_before
    wall = time.perf_counter() - wall_before

    floor = results[0].rate
    width = max(len(m.label) for m in results)
    print(
        f"{args.connections} connections, {args.seconds:.0f} s per measure after "
        f"{args.warmup:.0f} s of warm-up"
    )
    print(
        f"{'measure':<{width}}  {'req/s':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'not 200':>7}  "
        f"{'x healthz':>9}"
    )
    for m in results:
        share = m.failures / max(1, m.failures + len(m.timings))
        ratio = floor / m.rate if m.rate else float("inf")
        print(
            f"{m.label:<{width}}  {m.rate:>8.1f}  {statistics.median(m.timings) * 1000:>7.1f}  "
            f"{m.percentile(0.95):>7.1f}  {share:>6.1%}  {ratio:>9.2f}"
        )
    print(
        f"the client itself used {client_cpu:.1f} s of CPU in {wall:.1f} s "
        f"({client_cpu / wall:.0%} of one core)"
    )
    bad = [m.label for m in results if m.failures and not m.timings]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
