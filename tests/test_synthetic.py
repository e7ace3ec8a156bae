"""The synthetic corpus that benchmarks and scale tests build on: deterministic and valid."""
from __future__ import annotations

from pathlib import Path

from generator.load import load_file
from generator.model import load_corpus
from generator.render import NEARBY, render_all
from generator.shard import PROVINCES
from generator.synthetic import make_corpus
from generator.validate import check


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", counties=3, departments=2, seed=7)
    make_corpus(tmp_path / "b", counties=3, departments=2, seed=7)
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    assert len([name for name in first if not name.endswith("county.yaml") and "/" in name]) == 6


def test_seed_changes_the_text(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", counties=1, departments=2, seed=0)
    make_corpus(tmp_path / "b", counties=1, departments=2, seed=1)
    assert tree(tmp_path / "a") != tree(tmp_path / "b")


def test_passes_check_with_no_errors(tmp_path: Path) -> None:
    make_corpus(tmp_path / "registers", counties=3, departments=2, provinces=3)
    result = check([tmp_path / "registers"])
    assert result.errors == 0, [f for f in result.findings if f.severity == "error"][:5]


def test_more_departments_than_the_seeds_name(tmp_path: Path) -> None:
    """Past the 17 departments the seed counties list, numbered extras own the registers."""
    make_corpus(tmp_path / "registers", counties=1, departments=19)
    result = check([tmp_path / "registers"])
    assert result.errors == 0, [f for f in result.findings if f.severity == "error"][:5]
    corpus = load_corpus(tmp_path / "registers")
    assert len(corpus.registers) == 19
    assert {r.slug for r in corpus.registers} >= {"bumen-018", "bumen-019"}


def test_counties_spread_over_real_provinces_with_unique_codes(tmp_path: Path) -> None:
    make_corpus(tmp_path / "registers", counties=5, departments=1, provinces=2)
    counties = [load_file(p).data for p in sorted((tmp_path / "registers").glob("*/county.yaml"))]
    assert [c["name"]["zh"] for c in counties] == [f"测试县000{n}" for n in range(1, 6)]
    assert sorted(p.parent.name for p in (tmp_path / "registers").glob("*/county.yaml")) == [
        f"c000{n}" for n in range(1, 6)]
    assert {c["province"]["zh"] for c in counties} == {PROVINCES[0].zh, PROVINCES[1].zh}
    codes = [c["division_code"] for c in counties]
    assert len(set(codes)) == 5 and all(len(code) == 6 for code in codes)


def test_a_county_s_pages_do_not_grow_with_the_corpus(tmp_path: Path) -> None:
    """Issue #9's "page size independent of N": the first county's pages (its registers,
    departments, services, topics, laws and index) are the same size at 12 and at 20
    counties; a department page lists the nearest NEARBY of its kind and links the rest."""
    sizes, pages = {}, {}
    for n in (12, 20):
        make_corpus(tmp_path / str(n), counties=n, departments=1, provinces=1)
        pages[n] = {f"{p.lang}/{p.path}": p.content for p in render_all(load_corpus(tmp_path / str(n)))}
        sizes[n] = {path: len(text.encode("utf-8")) for path, text in pages[n].items() if path.startswith("zh/c0001/")
                    or path.startswith("en/c0001/")}
    assert len(sizes[12]) > 40 and sizes[12] == sizes[20]
    department = pages[20]["zh/c0001/departments/gongan.md"]
    assert department.count("公安局</a>（测试县00") == NEARBY
    assert department.count("全部 19 个其他县的同类部门 →") == 1
    assert pages[12]["zh/c0001/departments/gongan.md"].count("公安局</a>（测试县00") == NEARBY


def test_the_nearby_lists_go_with_their_model(tmp_path: Path) -> None:
    """Department pages remember their nearby list on the model, not beside it: a
    workspace that regenerates keeps no old model alive."""
    import gc
    import weakref

    from generator.render import nearby

    make_corpus(tmp_path / "registers", counties=3, departments=1, provinces=1)
    corpus = load_corpus(tmp_path / "registers")
    for county in corpus.counties.values():
        for department in county.departments.values():
            nearby(department)
    county = weakref.ref(next(iter(corpus.counties.values())))
    del corpus, department
    gc.collect()
    assert county() is None
