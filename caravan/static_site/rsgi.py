"""The fast path on granian's RSGI interface (caravan/rsgi.py): a public file is answered
by granian itself (`response_file`, read and sent from Rust, never copied through Python),
with the same decisions and headers as the WSGI fast path (serve.PublicFiles: the
variant, ETag, Last-Modified, 304, Cache-Control). Everything else goes to Django's WSGI
application in a pool of threads, as granian's WSGI interface would run it.

Under WSGI every request, a file too, first waits for one of granian's blocking threads
(a small file's bytes then come from the worker's cache, serve.FileCache); here a file
costs a few look-ups on the event loop and nothing more, though on the development host
the event loop's own cost per request measured more than the WSGI hand-off (README,
"Performance")."""

import asyncio
import io
import os
import sys
from concurrent.futures import ThreadPoolExecutor

# A response body up to this size is collected in the thread and sent in one piece;
# a longer one (an export, a download) is streamed chunk by chunk.
COLLECT_LIMIT = 256 * 1024


class ScopeEnviron:
    """A read-only view of an RSGI scope under the WSGI names the fast path reads, built
    without copying every header (serve.PublicFiles.lookup and .answer)."""

    __slots__ = ("headers", "scope")

    def __init__(self, scope):
        self.scope = scope
        self.headers = scope.headers

    def get(self, key, default=None):
        if key.startswith("HTTP_"):
            return self.headers.get(key[5:].lower().replace("_", "-"), default)
        scope = self.scope
        if key == "REQUEST_METHOD":
            return scope.method
        if key == "PATH_INFO":
            return wsgi_path(scope.path)
        if key == "QUERY_STRING":
            return scope.query_string
        if key == "wsgi.url_scheme":
            return scope.scheme
        if key == "SERVER_NAME":
            return split_address(scope.server)[0]
        return default

    def __contains__(self, key):
        return self.get(key) is not None

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


def wsgi_path(path):
    """RSGI gives the decoded path as text; WSGI its UTF-8 bytes as latin-1 text."""
    return path.encode("utf-8", "surrogateescape").decode("latin-1")


def split_address(address):
    """("host", "port") of "host:port" or "[v6]:port"."""
    host, _, port = (address or "").rpartition(":")
    if not host:
        return address or "", ""
    return host.strip("[]"), port


def wsgi_environ(scope, body):
    """A PEP 3333 environ for Django from an RSGI scope and the request's body."""
    server_name, server_port = split_address(scope.server)
    remote_addr, remote_port = split_address(scope.client)
    environ = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": wsgi_path(scope.path),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port or ("443" if scope.scheme == "https" else "80"),
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": remote_addr,
        "REMOTE_PORT": remote_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
    }
    for name, value in scope.headers.items():
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
        elif name == "content-length":
            environ["CONTENT_LENGTH"] = value
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
            if key in environ:  # a repeated header: one value, as RFC 9110 combines them
                value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
            environ[key] = value
    return environ


class FileWrapper:
    """wsgi.file_wrapper: a whole file on disk (a FileResponse of an uploaded document)
    is handed to granian to send; anything else is read in blocks."""

    def __init__(self, filelike, block_size=8192):
        self.filelike = filelike
        self.block_size = block_size

    def path(self):
        """The file's path when granian can send it whole, else None."""
        name = getattr(self.filelike, "name", None)
        try:
            if isinstance(name, str) and os.path.isabs(name) and self.filelike.tell() == 0:
                return name
        except (OSError, AttributeError, ValueError):
            pass
        return None

    def __iter__(self):
        while block := self.filelike.read(self.block_size):
            yield block

    def close(self):
        close = getattr(self.filelike, "close", None)
        if close is not None:
            close()


class RSGIApplication:
    """`app`: Django's WSGI application; `files`: the configured serve.PublicFiles, or
    None to send every request to Django; `threads`: how many requests Django handles
    at once."""

    def __init__(self, app, files=None, threads=8):
        self.app = app
        self.files = files
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="django")

    async def __call__(self, scope, protocol):
        if self.files is not None and scope.proto == "http":
            environ = ScopeEnviron(scope)
            matched = self.files.match(environ)
            if matched:
                path_info, (path, content_type, coding, stat) = matched
                status, headers, body = self.files.answer(
                    environ, path_info, stat, content_type, coding, path
                )
                if body:  # granian opens the file; gone in between, it answers 404
                    protocol.response_file(status, headers, path)
                else:
                    protocol.response_empty(status, headers)
                return
        await self.django(scope, protocol)

    async def django(self, scope, protocol):
        environ = wsgi_environ(scope, await protocol())
        loop = asyncio.get_running_loop()
        status, headers, result, chunks, rest = await loop.run_in_executor(
            self.executor, self.start, environ
        )
        if isinstance(result, FileWrapper) and (path := result.path()):
            await loop.run_in_executor(self.executor, result.close)
            protocol.response_file(status, headers, path)
            return
        try:
            if rest is None:
                protocol.response_bytes(status, headers, b"".join(chunks))
                return
            transport = protocol.response_stream(status, headers)
            for chunk in chunks:
                await transport.send_bytes(chunk)
            end = object()
            while (chunk := await loop.run_in_executor(self.executor, next, rest, end)) is not end:
                if chunk:
                    await transport.send_bytes(chunk)
        finally:  # Django's request_finished (its database connections) comes with close()
            close = getattr(result, "close", None)
            if close is not None:
                await loop.run_in_executor(self.executor, close)

    def start(self, environ):
        """Run Django for one request (in a pool thread): the status, the headers, the
        result and either its whole body (rest None) or the first chunks and an
        iterator over the rest."""
        started = []
        written = []

        def start_response(status, headers, exc_info=None):
            started[:] = [int(status.split(" ", 1)[0]), [(k, v) for k, v in headers]]
            return written.append

        result = self.app(environ, start_response)
        if isinstance(result, FileWrapper) and result.path():
            return *started, result, [], None
        chunks, size, rest = list(written), 0, iter(result)
        for chunk in rest:
            chunks.append(chunk)
            size += len(chunk)
            if size > COLLECT_LIMIT:
                return *started, result, chunks, rest
        return *started, result, chunks, None
