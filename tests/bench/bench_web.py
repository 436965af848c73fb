"""By hand: `creditdesk-web` under N concurrent clients on loopback, on SQLite or PostgreSQL.

    .venv/bin/python -m tests.bench.bench_web --db sqlite     [--clients 50 --requests 5000]
    .venv/bin/python -m tests.bench.bench_web --db postgresql [--workers 2] [--client ab|asyncio]
    .venv/bin/python -m tests.bench.bench_web --db sqlite --think 1.0   # people, not a flood

Builds a database with a few reports (tests/web/conftest.py make_codes), starts the real server
(`python -m web`, rate limits raised out of the way) and has N clients fetch /V/<digits> of a
valid report: each check is a full one (signature, archive, audit chain, new penalties, record
of the check); nothing caches a verdict. Two load generators, both light so that they leave the
server most of the 2 CPUs they share with it:

- `ab` (Debian's apache2-utils, C, one thread): N requests always in flight (closed loop, no
  pause), a new connection per request as a phone's would be;
- `asyncio` (this file, one thread, raw sockets, keep-alive per client): the same closed loop,
  or with `--think S` a pause of S seconds (±50 %, random) between a client's requests.

Prints p50/p95/p99/max in ms, requests a second, the CPU seconds of the load generator and of the
server (its workers included) and the load average. Note that a closed loop with no pause is a
saturation test: by Little's law the mean latency is N / throughput, so 50 clients with p95 under
50 ms need a mean of ~20 ms (p95 runs 2–2.5x the mean here): ~2,500 checks a second. Set
PYTHONPATH to a folder holding `httptools` to measure uvicorn with its C HTTP parser.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text


def _database(kind: str, folder: Path):
    from core.db import schema
    from core.db.engine import Database
    from tests.conftest import PG_BASE

    if kind == "sqlite":
        db = Database(f"sqlite:///{folder / 'creditdesk.sqlite3'}")
    else:
        name = f"cdbench_{uuid.uuid4().hex[:10]}"
        with create_engine(PG_BASE).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        db = Database(f"{PG_BASE}?options=-csearch_path%3D{name}")
    schema.upgrade(db)
    return db


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers), from /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


async def _asyncio_load(port: int, path: str, clients: int, requests: int, think: float) -> list[float]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    times: list[float] = []
    left = [requests]

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while left[0] > 0:
            left[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head[:40]
            length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])
            await reader.readexactly(length)
            times.append((time.perf_counter() - started) * 1000)
            if think:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))
        writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return times


def _ab_load(url: str, clients: int, requests: int, folder: Path) -> list[float]:
    data = folder / "ab.tsv"
    done = subprocess.run(["ab", "-q", "-c", str(clients), "-n", str(requests), "-g", str(data), url],
                          capture_output=True, text=True, check=True)
    assert "Non-2xx responses" not in done.stdout and re.search(r"Failed requests:\s+0\b", done.stdout), done.stdout
    rows = data.read_text().splitlines()[1:]
    return [float(r.split("\t")[4]) for r in rows]  # ttime: connect + wait + receive, in ms


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--requests", type=int, default=5000)
    p.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests (asyncio)")
    p.add_argument("--client", choices=("ab", "asyncio"), default="ab")
    p.add_argument("--workers", type=int, default=1, help="creditdesk-web --workers")
    args = p.parse_args()
    if args.think and args.client == "ab":
        p.error("--think needs --client asyncio")

    from core.policy import load_profile
    from tests.web.conftest import get, make_codes, start_server, stop_server

    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    db = _database(args.db, folder)
    codes = make_codes(db, load_profile("suzhou-2024"), folder)
    server = start_server(db.url, folder, "--rate", "1000000", "--burst", "1000000",
                          "--workers", str(args.workers), *os.environ.get("BENCH_SERVER_ARGS", "").split())
    path = f"/V/{codes.valid}"
    for _ in range(50):  # warm up (each worker's connections, caches)
        assert get(server.base + path).status == 200
    port = int(server.base.rsplit(":", 1)[1])
    server_cpu, load_before = _cpu_seconds(server.process.pid), os.getloadavg()
    own_cpu, ab_cpu = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    if args.client == "ab":
        times = _ab_load(server.base + path, args.clients, args.requests, folder)
    else:
        times = asyncio.run(_asyncio_load(port, path, args.clients, args.requests, args.think))
    wall = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (time.process_time() - own_cpu) + (children.ru_utime + children.ru_stime
                                                     - ab_cpu.ru_utime - ab_cpu.ru_stime)
    server_cpu = _cpu_seconds(server.process.pid) - server_cpu
    stop_server(server)
    db.dispose()
    if args.db == "postgresql":  # the bench's own schema, gone again
        from tests.conftest import PG_BASE

        schema_name = db.url.rsplit("%3D", 1)[1]
        with create_engine(PG_BASE).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
    q = statistics.quantiles(times, n=100)
    load = os.getloadavg()
    print(f"{args.db}, {args.workers} worker(s), {args.client}, {args.clients} clients, think {args.think}s: "
          f"{len(times)} requests in {wall:.1f} s: p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, "
          f"p99 {q[98]:.1f} ms, max {max(times):.1f} ms, {len(times) / wall:.0f} req/s; "
          f"CPU: server {server_cpu:.1f} s ({100 * server_cpu / wall:.0f} %), load generator "
          f"{client_cpu:.1f} s ({100 * client_cpu / wall:.0f} %); load average "
          f"{load_before[0]:.2f} before, {load[0]:.2f} after")


if __name__ == "__main__":
    main()
