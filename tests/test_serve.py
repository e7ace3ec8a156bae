"""`qingdan serve` end to end: a real MkDocs dev server on a copy of the project, a register
edited on disk, and the page served again with the edit (through the incremental hook)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, project_copy

pytestmark = pytest.mark.xdist_group("serve")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    # Generous: mkdocs serve answers only after a rebuild it is running, which a loaded machine slows.
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - our own local server
        return response.read().decode("utf-8")


def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_serve_regenerates_an_edited_register(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project", ROOT / "registers")
    port = free_port()
    url = f"http://127.0.0.1:{port}/dingan/renkou-jisheng/"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    try:
        wait_for(lambda: "定安县" in fetch(url), 240, "the first build")
        register = root / "registers/dingan/renkou-jisheng.yaml"
        text = register.read_text(encoding="utf-8")
        register.write_text(text.replace("制定全县人口和计划生育工作目标管理责任制。", "制定全县人口和计划生育工作目标管理责任制（预览修订）。", 1),
                            encoding="utf-8")
        wait_for(lambda: "（预览修订）" in fetch(url), 240, "the edited page")
        assert any("只重做 registers/dingan/renkou-jisheng.yaml" in line for line in log), log[-20:]
        register.write_text(text.replace("topics: [liudong-renkou]", "topics: [no-such-topic]", 1), encoding="utf-8")
        wait_for(lambda: any("error[ref-topic]" in line for line in log), 240, "the located error")
        assert any("renkou-jisheng.yaml:" in line and "error[ref-topic]" in line for line in log)
        assert "（预览修订）" in fetch(url)  # invalid registers keep the previous pages
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
