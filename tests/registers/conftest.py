"""A register on 127.0.0.1, served from tests/data/register: no test reaches the network.

`register` starts Enhetsregisteret's API shape in a thread and points `register_url` at
it (the settings file of the test); `register.asked` lists the paths it was asked for,
`register.delay` slows every answer (a register that does not answer in time), and
`register.failing` makes every answer that status (a server error).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "register"


class Register:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.delay = 0.0
        self.failing: int | None = None  # a status every answer has (a register in trouble)
        self.url = ""


def _handler(register: Register) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's name)
            register.asked.append(self.path)
            time.sleep(register.delay)
            if register.failing:
                return self._answer(register.failing, {"status": register.failing})
            parts = self.path.strip("/").split("/")  # enhetsregisteret/api/enheter/NNN
            found = DATA / parts[-2] / f"{parts[-1]}.json" if len(parts) >= 2 else None
            if found is None or not found.is_file() or parts[-2] not in ("enheter", "underenheter"):
                return self._answer(404, {"status": 404, "error": "Not Found",
                                          "message": f"Ingen enhet med organisasjonsnummer {parts[-1]}"})
            body = json.loads(found.read_text("utf-8"))
            self._answer(410 if "slettedato" in body else 200, body)

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting: what a slow register is for

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def register(cli):
    """Enhetsregisteret's API on a free local port, set as the test's register_url."""
    served = Register()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/enhetsregisteret/api"
    ran = cli("config", "set", "register_url", served.url)
    assert ran.code == 0, ran.err
    yield served
    server.shutdown()
    server.server_close()
