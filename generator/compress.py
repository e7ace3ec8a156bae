"""Precompressed copies of the site's text files, written by the build next to each file.

nginx serves `page.html.br` or `page.html.gz` for `page.html` when the reader accepts it
(`brotli_static`, `gzip_static` in deploy/nginx/qingdan.conf), so a host compresses nothing
at request time and every reader gets the strongest compression once chosen here.  Only
variants smaller than the file are written; output is byte-for-byte deterministic (gzip
without name or time).

Levels, as measured on the two-county site (300 text files, 11 MB): brotli 11 took 12.5 s
for 2.7 % less than brotli 10 (4.9 s), so pages get 10; a file over 1 MiB (the search
index: 2.3 MB here, hundreds at 1,000 registers) gets brotli 6 with a 16 MiB window, which
is 0.1 s instead of 8 s for 11 % more bytes.  gzip is zlib's level 9: zopfli saved 7 % on
the search index in 23 s and 0.7 s per page, too slow for every build.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import brotli

SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".webmanifest", ".atom",
                      ".map"})
LARGE = 1 << 20
MIN_SIZE = 512
"""Below this a compressed response saves less than its extra header costs."""


def variants(data: bytes) -> dict[str, bytes]:
    """The .br and .gz encodings of `data` by suffix."""
    large = len(data) > LARGE
    return {".br": brotli.compress(data, quality=6 if large else 10, lgwin=24 if large else 22),
            ".gz": gzip.compress(data, compresslevel=9, mtime=0)}


def precompress(site: Path) -> tuple[int, int]:
    """Write the smaller variants of every text file in `site`; returns (files, bytes written)."""
    files = written = 0
    for path in sorted(p for p in site.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        files += 1
        for suffix, packed in variants(data).items():
            target = path.with_name(path.name + suffix)
            if len(packed) < len(data):
                target.write_bytes(packed)
                written += len(packed)
            else:
                target.unlink(missing_ok=True)
    return files, written
