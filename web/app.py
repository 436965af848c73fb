"""The routes of `creditdesk-web`: a verdict page and its PDF per signed code, a health probe.

Nothing else is served: no index, no listing, no search, no static files, no report by number.
The code is the key: `/v/<digits>` (and `/V/<digits>`, as a phone keeps the QR's upper case)
checks the digits exactly as the counter does, through the desk's `verify_public`; the PDF link
re-checks them. The database work runs in a pool of `threads` threads, off the event loop (a
plain executor: anyio's thread hand-off, Starlette's default, costs three times the CPU).
"""
from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from core.errors import DatabaseUnavailable, IntegrityBroken, NotFound
from web import strings as text
from web.guard import Guard
from web.limits import RateLimit, TokenBuckets
from web.pages import message_page, verdict_page

LOG = logging.getLogger("creditdesk.web")
CODE = re.compile(r"[0-9]{1,2000}")  # a report's code is 293 digits; a misread one may be shorter or longer
RETRY_SECONDS = 30


def _html(title: str, message: str, status: int, headers: dict | None = None) -> HTMLResponse:
    return HTMLResponse(message_page(title, message), status_code=status, headers=headers)


def _digits(request: Request) -> str:
    digits = request.path_params["digits"]
    if not CODE.fullmatch(digits):
        raise HTTPException(404)
    return digits


def create_app(desk, *, rate_limit: RateLimit | None = None, https: bool = False, threads: int = 8) -> Guard:
    """The ASGI application over a desk (core.usecases.CounterDesk); at most `threads` checks
    run at once (more only queue for the interpreter lock and hold more connections)."""
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="creditdesk-web")

    async def run_in_threadpool(func, *args):
        return await asyncio.get_running_loop().run_in_executor(pool, func, *args)

    @asynccontextmanager
    async def lifespan(_app):
        try:
            yield
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    async def verify(request: Request) -> Response:
        digits = _digits(request)
        check = await run_in_threadpool(desk.verify_public, digits)
        # relative, so it follows whichever case (/v or /V) and host the phone used
        return HTMLResponse(verdict_page(check, f"{digits}/pdf"))

    async def report_pdf(request: Request) -> Response:
        digits = _digits(request)
        try:
            report_no, pdf = await run_in_threadpool(desk.public_report_pdf, digits)
        except NotFound:
            return _html(text.NOT_FOUND_TITLE, text.NO_PDF_TEXT, 404)
        except IntegrityBroken:
            LOG.error("archived PDF refused: it differs from the record of its issue")
            return _html(text.BROKEN_TITLE, text.BROKEN_TEXT, 500)
        how = "attachment" if "download" in request.query_params else "inline"
        return Response(pdf, media_type="application/pdf",
                        headers={"content-disposition": f'{how}; filename="{report_no}.pdf"'})

    async def healthz(_request: Request) -> Response:
        connected = await run_in_threadpool(desk.public_health)
        return JSONResponse({"status": "ok" if connected else "unavailable",
                             "database": text.HEALTH_OK if connected else text.HEALTH_DOWN},
                            status_code=200 if connected else 503)

    async def not_found(_request: Request, _exc: Exception) -> Response:
        return _html(text.NOT_FOUND_TITLE, text.NOT_FOUND_TEXT, 404)

    async def not_allowed(_request: Request, _exc: Exception) -> Response:
        return _html(text.METHOD_TITLE, text.METHOD_TEXT, 405, {"allow": "GET, HEAD"})

    async def unavailable(_request: Request, _exc: Exception) -> Response:
        return _html(text.UNAVAILABLE_TITLE, text.UNAVAILABLE_TEXT, 503, {"retry-after": str(RETRY_SECONDS)})

    async def failed(_request: Request, exc: Exception) -> Response:
        LOG.error("request failed: %s", type(exc).__name__)  # no payload, no message with values
        return _html(text.ERROR_TITLE, text.ERROR_TEXT, 500)

    routes = [
        Route("/v/{digits}", verify, methods=["GET"]),
        Route("/V/{digits}", verify, methods=["GET"]),
        Route("/v/{digits}/pdf", report_pdf, methods=["GET"]),
        Route("/V/{digits}/pdf", report_pdf, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        404: not_found, 405: not_allowed, DatabaseUnavailable: unavailable, Exception: failed})
    app.router.redirect_slashes = False
    return Guard(app, TokenBuckets(rate_limit or RateLimit()), https=https)
