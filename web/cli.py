"""`creditdesk-web`: start the verification web service (uvicorn) against the report database."""
from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import sys

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080
DEFAULT_THREADS = 8  # checks at once per process: more only queue for the interpreter lock
ARGV_ENV = "CREDITDESK_WEB_ARGV"  # how a worker process learns the command line (--workers > 1)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="creditdesk-web", description="专用信用报告核验网页服务（只读）")
    p.add_argument("--db", metavar="URL", help="数据库地址（默认：环境变量 CREDITDESK_DB，或用户数据目录中的内置 SQLite）")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"监听端口（默认 {DEFAULT_PORT}）")
    p.add_argument("--trusted-proxy", action="append", default=[], metavar="IP",
                   help="可信反向代理的地址（可多次指定）：只采信来自它的 X-Forwarded-For / X-Forwarded-Proto")
    p.add_argument("--https", action="store_true",
                   help="对外地址是 HTTPS（由反向代理终结 TLS）：发送 Strict-Transport-Security")
    p.add_argument("--rate", type=float, default=30.0, metavar="N", help="每个客户端每分钟的请求数（默认 30；IPv6 客户端按 /64 网段合计）")
    p.add_argument("--burst", type=int, default=10, metavar="N", help="每个客户端可连续发出的请求数（默认 10）")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="工作进程数（默认 1；每个进程各自限流，见 docs/web.md）")
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS, metavar="N",
                   help=f"每个进程同时核验的线程数（默认 {DEFAULT_THREADS}）")
    args = p.parse_args(argv)
    for proxy in args.trusted_proxy:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            p.error(f"--trusted-proxy 不是有效的 IP 地址或网段：{proxy}")
    if not 0 < args.port < 65536:
        p.error(f"--port 应在 1–65535 之间：{args.port}")
    if not 1 <= args.workers <= 64 or not 1 <= args.threads <= 200:
        p.error("--workers 应在 1–64 之间，--threads 应在 1–200 之间")
    if args.rate <= 0 or args.burst < 1:
        p.error("--rate 和 --burst 必须为正数")
    return args


def open_web_desk(db_url: str | None, threads: int = DEFAULT_THREADS):
    """The desk, ready to verify: refuses a missing or out-of-date database (exit 1), starts
    while the database is unreachable (the pages answer 503 until it is back). Its pool keeps a
    connection per check thread and one for the recorder, so none is opened per request."""
    from core.config import Settings, key_dir, trust_cache_path
    from core.db import schema
    from core.db.engine import Database
    from core.errors import CreditDeskError, DatabaseUnavailable
    from core.policy import load_profile
    from core.services.signing.keys import KeyService
    from core.usecases import CounterDesk

    settings = Settings.from_env(db_url=db_url)
    db = Database(settings.db_url, pool_size=threads + 1)
    desk = CounterDesk(db, load_profile(settings.profile_id), settings,
                       KeyService(db, key_dir(), trust_cache_path()))
    if schema.is_missing(db):
        raise SystemExit(f"creditdesk-web：{schema.missing(db)}")
    try:
        if schema.current_revision(db) != schema.head_revision():
            raise SystemExit("creditdesk-web：数据库结构不是最新版本，请先由管理员运行 creditdesk-admin init")
        desk.refresh_profile()
    except DatabaseUnavailable as exc:
        logging.getLogger("creditdesk.web").warning("数据库暂时无法连接，核验页面将返回 503：%s", exc)
    except CreditDeskError:
        pass  # the profile choice cannot be read: the configured one applies
    return desk


def _access_log_to_stdout() -> None:
    log = logging.getLogger("creditdesk.web.access")
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the schema check's plugin chatter
    _access_log_to_stdout()


def _app(args: argparse.Namespace, desk):
    from web.app import create_app
    from web.limits import RateLimit

    return create_app(desk, rate_limit=RateLimit(per_minute=args.rate, burst=args.burst),
                      https=args.https, threads=args.threads)


def worker_app():
    """The application of one worker process (uvicorn's factory when --workers > 1)."""
    args = parse_args(json.loads(os.environ[ARGV_ENV]))
    _logging()
    return _app(args, open_web_desk(args.db, args.threads))


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    _logging()
    desk = open_web_desk(args.db, args.threads)  # refuses a missing or old database before any worker starts
    server = dict(host=args.host, port=args.port, access_log=False, server_header=False,
                  proxy_headers=bool(args.trusted_proxy), forwarded_allow_ips=args.trusted_proxy or "",
                  log_level="info")
    if args.workers == 1:
        uvicorn.run(_app(args, desk), **server)
    else:  # each worker opens its own desk (engine, pool, caches) from the same command line
        desk.db.dispose()
        os.environ[ARGV_ENV] = json.dumps(argv)
        uvicorn.run("web.cli:worker_app", factory=True, workers=args.workers, **server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
