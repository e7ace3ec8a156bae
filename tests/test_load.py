"""The loader keeps what a person typed and turns every hazard into a located finding."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.load import MAX_BYTES, load_file


def write(tmp_path: Path, content: bytes | str, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def codes(path: Path) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.col) for f in load_file(path).findings]


def test_no_implicit_typing(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "no: x\nyes: y\non: z\noff: w\nv: 01234567\nd: 2016-03-31\nf: 1.5\nn: null\nt: true\ne:\n"))
    assert doc.data == {"no": "x", "yes": "y", "on": "z", "off": "w", "v": "01234567", "d": "2016-03-31",
                        "f": "1.5", "n": "null", "t": "true", "e": ""}
    assert doc.findings == []


def test_positions_for_values_and_keys(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a:\n  - b: 1\n    c: [x, y]\n"))
    assert doc.positions["/a/0/b"] == (2, 8)
    assert doc.key_positions["/a/0/c"] == (3, 5)
    assert doc.positions["/a/0/c/1"] == (3, 12)
    assert doc.locate("/a/0/missing") == (2, 5)


def test_duplicate_key_keeps_first_and_reports_second(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "a: 1\nb: 2\na: 3\n"))
    assert doc.data == {"a": "1", "b": "2"}
    assert [(f.code, f.line, f.col, f.params["first_line"]) for f in doc.findings] == [("yaml-duplicate-key", 3, 1, 1)]


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghijklmnopqrstuvwxy", "bcdefghijklmnopqrstuvwxyz"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    found = codes(path)
    assert time.perf_counter() - start < 5  # generous: an expanding loader would never finish
    assert found == [("yaml-anchor-alias", 1, 4)]


@pytest.mark.parametrize("text", ["a: !!python/object/apply:os.system [echo]\n", "a: !custom x\n", "a: !!str x\n"])
def test_any_tag_is_rejected(tmp_path: Path, text: str) -> None:
    assert [c for c, _, _ in codes(write(tmp_path, text))] == ["yaml-tag"]


def test_bom_and_crlf_are_accepted_with_warnings(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, b"\xef\xbb\xbfa: b\r\nc: d\r\n"))
    assert doc.data == {"a": "b", "c": "d"}
    assert [f.code for f in doc.findings] == ["encoding-bom", "line-endings-crlf"]
    assert all(f.severity == "warning" for f in doc.findings)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    assert codes(write(tmp_path, "a: 好\nb: ".encode() + b"\xb6\xa8\xb0\xb2\n")) == [("encoding-invalid", 2, 4)]


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert [c for c, _, _ in codes(write(tmp_path, content))] == ["file-empty"]


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_BYTES
    assert [c for c, _, _ in codes(path)] == ["file-too-large"]


def test_unreadable_path(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    assert [c for c, _, _ in codes(tmp_path / "dir.yaml")] == ["file-unreadable"]


def test_syntax_error_and_multiple_documents(tmp_path: Path) -> None:
    assert codes(write(tmp_path, "a: [1, 2\n")) [0][0] == "yaml-syntax"
    assert codes(write(tmp_path, "a: 1\n---\nb: 2\n", "m.yaml")) == [("yaml-multiple-documents", 2, 1)]


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "x: {键: 值, b: c}\n"))
    assert doc.key_positions["/x/b"] == (1, 11)
    assert doc.positions["/x/b"] == (1, 14)
