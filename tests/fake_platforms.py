"""Local fakes of the Telegram Bot API and the WhatsApp Graph API, for tests and the benchmark.

Each is a real HTTP server on 127.0.0.1 (Starlette under uvicorn, in its own thread and event
loop), so the real clients (python-telegram-bot's ``Bot``, httpx) talk to it exactly as they
would to the platform. Every call is recorded with its arrival time (``time.monotonic()``, which
the whole machine shares), and failures can be scripted per chat: flood control (429 with
``retry_after``), a blocked bot (403), a bad request (400), a server error (500), and the Graph
API's error codes (131047 outside the window, 131026 undeliverable, 130429 throughput).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOT_ID = 7_000_000_001
BOT_USERNAME = "TanyaPPIDBot"
JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Call:
    at: float  # time.monotonic() when the request arrived
    method: str  # Bot API method ("sendMessage") or Graph API call ("messages", "media")
    params: JSON
    status: int


class FakeServer:
    """A Starlette app served by uvicorn on 127.0.0.1 in a thread; records calls."""

    def __init__(self, routes: list[Route]) -> None:
        self.app = Starlette(routes=routes)
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def record(self, method: str, params: JSON, status: int = 200) -> None:
        with self._lock:
            self.calls.append(Call(time.monotonic(), method, params, status))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]


class FakeTelegram(FakeServer):
    """The Bot API under ``{url}/bot<token>/<method>`` and files under ``{url}/file/bot<token>/``."""

    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.failures: dict[str, deque[str]] = defaultdict(deque)  # chat id -> scripted failures
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (bytes, file path)
        self.webhook: JSON = {}
        self._updates: list[JSON] = []
        self._ids = itertools.count(1)
        super().__init__(
            [
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )

    @property
    def api_base(self) -> str:
        return f"{self.url}/bot"

    def fail_next(self, chat_id: str | int, *kinds: str) -> None:
        """Script failures for the next sendMessage calls to a chat: retry_after, blocked, bad, server."""
        self.failures[str(chat_id)].extend(kinds)

    def add_file(self, file_id: str, data: bytes, path: str) -> None:
        self.files[file_id] = (data, path)

    def queue_updates(self, *updates: JSON) -> None:
        """Updates a long-polling client will receive from getUpdates."""
        with self._lock:
            self._updates += updates

    def sent(self, chat_id: str | int | None = None) -> list[JSON]:
        """The sendMessage calls that succeeded (to one chat, or all), in arrival order."""
        calls = [c for c in self.calls_to("sendMessage") if c.status == 200]
        return [c.params for c in calls if chat_id is None or str(c.params["chat_id"]) == str(chat_id)]

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params = await _params(request)
        status, body = await self._answer(method, params)
        self.record(method, params, status)
        return JSONResponse(body, status)

    async def _answer(self, method: str, params: JSON) -> tuple[int, JSON]:
        if method == "getMe":
            return 200, _ok(
                {"id": BOT_ID, "is_bot": True, "first_name": "Tanya PPID", "username": BOT_USERNAME}
            )
        if method == "sendMessage":
            chat = str(params.get("chat_id"))
            if self.failures[chat]:
                return _telegram_failure(self.failures[chat].popleft())
            return 200, _ok(self._message(int(chat), str(params.get("text", ""))))
        if method == "getFile":
            data, path = self.files[str(params["file_id"])]
            result = {"file_id": params["file_id"], "file_unique_id": "u" + path, "file_size": len(data)}
            return 200, _ok({**result, "file_path": path})
        if method == "setWebhook":
            self.webhook = dict(params)
            return 200, _ok(True)
        if method == "deleteWebhook":
            self.webhook = {}
            return 200, _ok(True)
        if method == "getUpdates":
            return 200, _ok(await self._poll(params))
        if method in ("sendDocument", "sendPhoto"):
            chat = str(params.get("chat_id"))
            if self.failures[chat]:
                return _telegram_failure(self.failures[chat].popleft())
            message = self._message(int(chat), "")
            given = params.get("document" if method == "sendDocument" else "photo")
            file_id = str(given) if given != "<file>" else f"tgfile{message['message_id']}"  # a new upload
            sent_file = {"file_id": file_id, "file_unique_id": "u" + file_id}
            if method == "sendPhoto":
                message["photo"] = [{**sent_file, "width": 800, "height": 600}]
            else:
                message["document"] = sent_file
            if params.get("caption"):
                message["caption"] = params["caption"]
            return 200, _ok(message)
        if method in ("answerCallbackQuery", "setMyCommands", "close", "logOut"):
            return 200, _ok(True)
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    async def _poll(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _message(self, chat_id: int, text: str) -> JSON:
        chat_type = "private" if chat_id > 0 else "supergroup"
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Tanya PPID", "username": BOT_USERNAME},
            "text": text,
        }

    async def _file(self, request: Request) -> Response:
        path = request.path_params["path"]
        for data, file_path in self.files.values():
            if file_path == path and request.path_params["token"] == self.token:
                self.record("file", {"path": path})
                return Response(data, media_type="application/octet-stream")
        return Response(status_code=404)


def _ok(result: object) -> JSON:
    return {"ok": True, "result": result}


def _telegram_failure(kind: str) -> tuple[int, JSON]:
    failures: dict[str, tuple[int, JSON]] = {
        "retry_after": (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
        ),
        "blocked": (
            403,
            {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
        ),
        "bad": (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
        "server": (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}),
    }
    return failures[kind]


async def _params(request: Request) -> JSON:
    """PTB posts form fields, JSON-encoding the structured ones (reply_markup, allowed_updates)."""
    if request.method == "GET":
        return dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    form = await request.form()
    params: JSON = {}
    for key, value in form.items():
        params[key] = value if isinstance(value, str) else "<file>"
        if key in ("reply_markup", "allowed_updates", "commands") and isinstance(value, str):
            params[key] = json.loads(value)
    return params


@dataclass
class GraphMedia:
    data: bytes
    mime_type: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.data).hexdigest()


GRAPH_ERRORS: dict[str, tuple[int, int, str]] = {
    "outside_window": (400, 131047, "Re-engagement message"),
    "undeliverable": (400, 131026, "Message undeliverable"),
    "throughput": (429, 130429, "Rate limit hit"),
    "pair_rate": (400, 131056, "Pair rate limit hit"),
    "server": (500, 131000, "Something went wrong"),
    "opted_out": (400, 131050, "Unable to deliver message: the user stopped marketing messages"),
}


class FakeGraph(FakeServer):
    """The WhatsApp Cloud API's messages and media endpoints of the Graph API."""

    def __init__(self, token: str = "EAAG-TEST-TOKEN", version: str = "v21.0") -> None:
        self.token = token
        self.version = version
        self.failures: dict[str, deque[str]] = defaultdict(deque)  # recipient -> scripted failures
        self.upload_failures = 0  # the next uploads refused ("Media upload error")
        self.media: dict[str, GraphMedia] = {}
        self._ids = itertools.count(1)
        super().__init__(
            [
                Route("/download/{media_id}", self._download, methods=["GET"]),
                Route("/{version}/{phone_id}/messages", self._messages, methods=["POST"]),
                Route("/{version}/{phone_id}/media", self._upload, methods=["POST"]),
                Route("/{version}/{media_id}", self._media_info, methods=["GET"]),
            ]
        )

    def fail_next(self, recipient: str, *kinds: str) -> None:
        self.failures[recipient].extend(kinds)

    def add_media(self, media_id: str, data: bytes, mime_type: str) -> GraphMedia:
        self.media[media_id] = GraphMedia(data, mime_type)
        return self.media[media_id]

    def sent(self, recipient: str | None = None) -> list[JSON]:
        calls = [c for c in self.calls_to("messages") if c.status == 200]
        return [c.params for c in calls if recipient is None or _recipient(c.params) == recipient]

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def _messages(self, request: Request) -> Response:
        body = json.loads(await request.body())
        if not self._authorised(request):
            self.record("messages", body, 401)
            return _graph_error(401, 190, "Invalid OAuth access token")
        recipient = _recipient(body)
        if self.failures[recipient]:
            status, code, title = GRAPH_ERRORS[self.failures[recipient].popleft()]
            self.record("messages", body, status)
            return _graph_error(status, code, title)
        self.record("messages", body)
        wamid = f"wamid.FAKE{next(self._ids):08d}"
        contact = {"input": recipient, "wa_id": recipient}
        return JSONResponse(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}
        )

    async def _upload(self, request: Request) -> Response:
        """The media upload API: a multipart form with ``file``, ``type`` and ``messaging_product``."""
        if not self._authorised(request):
            return _graph_error(401, 190, "Invalid OAuth access token")
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or form.get("messaging_product") != "whatsapp":
            return _graph_error(400, 100, "Invalid parameter")
        if self.upload_failures:
            self.upload_failures -= 1
            self.record("upload", {"type": form.get("type")}, 400)
            return _graph_error(400, 131053, "Media upload error")
        media_id = f"up{next(self._ids):06d}"
        self.add_media(media_id, await upload.read(), str(form.get("type", "")))
        self.record("upload", {"id": media_id, "type": form.get("type"), "filename": upload.filename})
        return JSONResponse({"id": media_id})

    async def _media_info(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        media = self.media.get(media_id)
        if not self._authorised(request) or media is None:
            return _graph_error(404 if media is None else 401, 100, "Unknown media")
        self.record("media", {"id": media_id})
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/download/{media_id}",
                "mime_type": media.mime_type,
                "sha256": media.sha256,
                "file_size": len(media.data),
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        media = self.media.get(request.path_params["media_id"])
        if not self._authorised(request) or media is None:
            return Response(status_code=404)
        self.record("download", {"id": request.path_params["media_id"]})
        return Response(media.data, media_type=media.mime_type)


def _recipient(body: JSON) -> str:
    return str(body.get("to") or body.get("recipient") or "")


def _graph_error(status: int, code: int, title: str) -> Response:
    error = {"message": title, "type": "OAuthException", "code": code, "error_data": {"details": title}}
    return JSONResponse({"error": {**error, "fbtrace_id": "AbCdEf"}}, status)
