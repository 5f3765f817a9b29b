"""A small shop site for the scan tests, served on 127.0.0.1 with a "tracker" on localhost.

127.0.0.1 and localhost are two sites to a browser, so the tracker's cookie is
a third-party one. Chromium keeps third-party cookies only when partitioned
(CHIPS: ``Partitioned; Secure; SameSite=None``); both hosts count as secure
contexts over plain HTTP, so no certificate is needed.

What a visit stores:
- before consent: ``sid`` (session, HttpOnly, SameSite=Lax), ``prefs`` (30 days,
  Secure, SameSite=Strict), ``theme`` (1 year, by script), localStorage
  ``cart_items``, sessionStorage ``tab_id``;
- after accepting: ``consent=accepted`` (180 days, by script); the tracker's
  script sets ``_tk`` (13 months, first party) and its pixel sets ``uid`` on
  localhost (1 year, third party, partitioned);
- after refusing: ``consent=rejected``, and nothing from the tracker.

``/about`` sets ``about_seen`` (Path=/about); ``/polling`` never lets the network settle.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html><head><title>Shop</title></head>
<body>
<h1>Shop</h1>
<div id="banner">
  <button id="accept">Accept all</button>
  <button id="reject">Refuse</button>
</div>
<script>
document.cookie = "theme=dark; max-age=31536000; path=/";
localStorage.setItem("cart_items", "[]");
sessionStorage.setItem("tab_id", "1");
function loadTracker() {
  const script = document.createElement("script");
  script.src = "http://localhost:%(port)d/tracker.js";
  document.head.appendChild(script);
}
if (document.cookie.includes("consent=accepted")) loadTracker();
document.getElementById("accept").onclick = () => {
  document.cookie = "consent=accepted; max-age=15552000; path=/";
  loadTracker();
};
document.getElementById("reject").onclick = () => {
  document.cookie = "consent=rejected; max-age=15552000; path=/";
};
</script>
</body></html>
"""

TRACKER = """
document.cookie = "_tk=TK1.2.3; max-age=34128000; path=/";
const pixel = new Image();
pixel.src = "http://localhost:%(port)d/pixel.gif";
document.body.appendChild(pixel);
"""

GIF = (
    b"GIF89a\\x01\\x00\\x01\\x00\\x80\\x00\\x00\\x00\\x00\\x00\\xff\\xff\\xff!\\xf9\\x04\\x01\\x00\\x00\\x00\\x00"
    b",\\x00\\x00\\x00\\x00\\x01\\x00\\x01\\x00\\x00\\x02\\x02D\\x01\\x00;"
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        path = self.path.split("?")[0]
        if path == "/":
            page = (PAGE % {"port": port}).encode()
            self._send(
                "text/html",
                page,
                [
                    "sid=s3cr3t; Path=/; HttpOnly; SameSite=Lax",
                    "prefs=lang-en; Max-Age=2592000; Path=/; Secure; SameSite=Strict",
                ],
            )
        elif path == "/about":
            cookie = "about_seen=1; Max-Age=3600; Path=/about; SameSite=Lax"
            self._send("text/html", b"<!doctype html><title>About</title><p>About us", [cookie])
        elif path == "/polling":
            # A page that never settles: it keeps a request open, again and again.
            script = b"<script>(function poll(){fetch('/slow').then(poll)})()</script>"
            self._send("text/html", b"<!doctype html><title>Live</title>" + script, [])
        elif path == "/slow":
            time.sleep(2)
            self._send("text/plain", b"tick", [])
        elif path == "/tracker.js":
            self._send("text/javascript", (TRACKER % {"port": port}).encode(), [])
        elif path == "/pixel.gif":
            cookie = "uid=u-42; Max-Age=31536000; Path=/; SameSite=None; Secure; Partitioned"
            self._send("image/gif", GIF, [cookie])
        else:
            self.send_error(404)

    def _send(self, kind: str, body: bytes, cookies: list[str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that gives up on /slow closes the connection: nothing to report


@contextmanager
def serve() -> Iterator[str]:
    """The site's URL while the server runs."""
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
