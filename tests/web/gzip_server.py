"""Serves a built site over HTTP with gzip, as a portal's web server would:
every text file compressed when the client accepts it.

    python3 gzip_server.py SITE_DIR PORT
"""
import gzip
import http.server
import sys
from functools import partial

TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt", ".ttl", ".jsonld")


class Handler(http.server.SimpleHTTPRequestHandler):
    cache = {}

    def send_head(self):
        path = self.translate_path(self.path)
        if path.endswith("/"):
            path += "index.html"
        gz = "gzip" in self.headers.get("Accept-Encoding", "")
        if not gz or not path.endswith(TEXT):
            return super().send_head()
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError:
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(raw, 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    site, port = sys.argv[1], int(sys.argv[2])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=site))
    server.serve_forever()
