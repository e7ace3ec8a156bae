"""Serve a built site with Debian's nginx and the shipped configuration (deploy/nginx/qingdan.conf).

The tests and the transfer benchmark read the site the way a county's host serves it:
precompressed files, MIME types, cache lifetimes, security headers and 404 pages all come
from the shipped file; only its `listen` and `root` lines are swapped for 127.0.0.1 on a
free port and the site's folder.  nginx runs as a child process of the caller with its own
prefix, pid, logs and temp folders (never the system service) and stops with the context.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "qingdan.conf"
BINARY = "/usr/sbin/nginx"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
LISTEN, ROOT = "    listen 80;\n", "    root /srv/qingdan/site;\n"


class NginxError(RuntimeError):
    """nginx is missing or did not start; the message carries its error log."""


def server_block(site: Path, port: int, config: Path = CONFIG) -> str:
    """The shipped configuration with `listen` and `root` set for `site` on 127.0.0.1:`port`."""
    text = config.read_text(encoding="utf-8")
    if LISTEN not in text or ROOT not in text:
        raise NginxError(f"{config}: no {LISTEN.strip()!r} or {ROOT.strip()!r} line to replace")
    return text.replace(LISTEN, f"    listen 127.0.0.1:{port};\n").replace(ROOT, f"    root {site.resolve()};\n")


def main_config(prefix: Path, site: Path, port: int) -> str:
    """A whole nginx.conf around the server block: one worker, everything inside `prefix`."""
    user = pwd.getpwuid(os.geteuid()).pw_name  # workers read the site as the caller does
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""load_module {BROTLI};
{"user " + user + ";" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
{temp}
{server_block(site, port)}
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(port: int, process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def serving(site: Path, *, timeout: float = 10.0) -> Iterator[str]:
    """Serve `site` through nginx; yields the base URL (http://127.0.0.1:PORT/)."""
    if not Path(BINARY).exists() or not BROTLI.exists():
        raise NginxError("nginx 未安装 not installed: run `make deps` (nginx, libnginx-mod-http-brotli-static)")
    prefix = Path(tempfile.mkdtemp(prefix="qingdan-nginx-"))
    try:
        for attempt in range(3):  # the free port may be taken between probing and binding
            port = _free_port()
            conf = prefix / "nginx.conf"
            conf.write_text(main_config(prefix, site, port), encoding="utf-8")
            process = subprocess.Popen([BINARY, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if _ready(port, process, timeout):
                break
            process.kill()
            _, err = process.communicate(timeout=timeout)
            log = (prefix / "error.log").read_text(encoding="utf-8", errors="replace") if (prefix / "error.log").exists() else ""
            if attempt == 2 or "Address already in use" not in err.decode() + log:
                raise NginxError(f"nginx 未能启动 did not start:\n{err.decode()}\n{log}")
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
