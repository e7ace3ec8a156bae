"""Province shards: one self-contained project each, national pages that add up, links that resolve."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import paths
from generator.markup import url
from generator.model import load_corpus
from generator.render import LANGS
from generator.shard import (
    BY_SLUG,
    MANIFEST,
    TOP,
    ShardReport,
    _Ref,
    base_url,
    broken_links,
    build_all,
    generate_shard,
    plan,
    read_manifests,
    shared_lists,
    site_of,
    top_pages,
)
from generator.guide import scale_page
from generator.synthetic import make_corpus

ROOT = Path(__file__).resolve().parents[1]
BASE = base_url(ROOT)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    registers = tmp_path_factory.mktemp("synthetic") / "registers"
    make_corpus(registers, counties=6, departments=2, provinces=3)
    return registers


@pytest.fixture(scope="module")
def generated(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shard's docs/ and manifest, without running MkDocs."""
    out = tmp_path_factory.mktemp("shards")
    for province, counties in plan(corpus_dir).items():
        generate_shard(ROOT, corpus_dir, province, counties, out, BASE, ShardReport(province.slug))
    return out


def test_one_shard_per_province(corpus_dir: Path) -> None:
    shards = plan(corpus_dir)
    assert [p.slug for p in shards] == ["beijing", "tianjin", "hebei"]
    assert all(len(counties) == 2 for counties in shards.values())


def test_each_shard_is_its_own_project(generated: Path) -> None:
    manifests = {m["province"]["slug"]: m for m in read_manifests(generated)}
    assert list(manifests) == ["beijing", "tianjin", "hebei"]
    for slug, manifest in manifests.items():
        project = generated / slug
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        assert f"site_url: {BASE}{slug}/" in config
        assert (project / "docs" / "zh" / "index.md").is_file() and (project / "docs" / "en" / "index.md").is_file()
        counties = {p.parent.name for p in (project / "registers").glob("*/county.yaml")}
        assert counties == {c["slug"] for c in manifest["counties"]}
        assert (project / "registers" / "topics.yaml").is_file()


def test_shards_add_up_to_the_whole_country(corpus_dir: Path, generated: Path) -> None:
    """Cross-county figures survive the cut: per-shard counts sum to the whole corpus's."""
    whole = load_corpus(corpus_dir)
    manifests = read_manifests(generated)
    assert sum(m["registers"] for m in manifests) == len(whole.registers)
    for topic in whole.topics.values():
        assert sum(m["topics"].get(topic.id, 0) for m in manifests) == len(topic.rows)
    for law in whole.laws.values():
        assert sum(m["laws"][law.id] for m in manifests) == len(law.citations) + len(law.mentions)
    for kind in whole.types.values():
        assert sum(m["types"].get(kind.id, 0) for m in manifests) == sum(d.in_use for d in kind.departments)


def test_shard_pages_link_to_the_national_page(generated: Path) -> None:
    page = (generated / "hebei" / "docs" / "en" / "topics" / "liangfei.md").read_text(encoding="utf-8")
    assert f'href="{BASE}en/topics/liangfei/"' in page
    assert "Hebei Province" in page


def test_national_links_name_generated_pages(corpus_dir: Path, generated: Path) -> None:
    """Every absolute link on the national pages names a page some shard (or the top site) generates."""
    pages = top_pages(read_manifests(generated), shared_lists(corpus_dir))
    generated_urls = {BASE + ("" if p.lang == "zh" else "en/") + url(p.path) for p in pages}
    for slug in ("beijing", "tianjin", "hebei"):
        for lang in LANGS:
            docs = generated / slug / "docs" / lang
            generated_urls |= {f"{BASE}{slug}/{'' if lang == 'zh' else 'en/'}{url(p.relative_to(docs).as_posix())}"
                               for p in docs.rglob("*.md")}
    links = [link for p in pages for link in _absolute(p.content)]
    assert any(f"{BASE}hebei/" in link for link in links)
    assert [link for link in links if link not in generated_urls] == []


def test_only_used_topics_and_types_have_pages(corpus_dir: Path, generated: Path) -> None:
    """A shard has a page for a topic or department type only where one of its rows or
    departments uses it, and lists exactly those in its manifest; the top site has a page
    for what some shard lists, and every shard page's link to a national page names one."""
    names, manifests = shared_lists(corpus_dir), read_manifests(generated)
    top = top_pages(manifests, names)
    built_top = {p.path for p in top}
    for kind, make, folder in (("topics", paths.topic, "topics"), ("types", paths.department_type, "departments")):
        listed = set().union(*(m[kind] for m in manifests))
        assert listed and listed < set(names[kind])  # the synthetic corpus leaves some unused
        for m in manifests:
            docs = generated / m["province"]["slug"] / "docs" / "zh" / folder
            assert {p.stem for p in docs.glob("*.md")} - {"index"} == set(m[kind]), (m["province"]["slug"], kind)
            assert all(m[kind].values())
        assert {key for key in names[kind] if make(_Ref(key)) in built_top} == listed
    national = {BASE + ("" if p.lang == "zh" else "en/") + url(p.path) for p in top}
    slugs = tuple(f"{BASE}{m['province']['slug']}/" for m in manifests)
    for page in generated.glob("*/docs/*/**/*.md"):
        for link in _absolute(page.read_text(encoding="utf-8")):
            if link.startswith(BASE) and not link.startswith(slugs):
                assert link in national, (page, link)


def _absolute(content: str) -> list[str]:
    return [m.split("#")[0] for m in re.findall(r'href="(https?://[^"]+)"', content)]


def test_site_of_maps_links_to_sites(tmp_path: Path) -> None:
    (tmp_path / "hunan").mkdir()
    (tmp_path / "hunan" / MANIFEST).write_text("{}", encoding="utf-8")
    assert site_of(tmp_path, BASE, f"{BASE}hunan/topics/x/") == (tmp_path / "hunan" / "site", "topics/x/")
    assert site_of(tmp_path, BASE, f"{BASE}topics/x/") == (tmp_path / TOP / "site", "topics/x/")
    assert site_of(tmp_path, BASE, "https://example.com/") is None


def test_every_province_has_a_unique_slug() -> None:
    assert len(BY_SLUG) == 31 and all(slug.isascii() and slug.isalpha() for slug in BY_SLUG)


@pytest.mark.slow
def test_sharded_build_succeeds_and_cross_shard_links_resolve(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "shards"
    reports = build_all(ROOT, corpus_dir, out, jobs=2)  # mkdocs build --strict per shard; raises on failure
    assert [r.slug for r in reports] == ["beijing", "tianjin", "hebei", TOP]
    for slug in ("beijing", "tianjin", "hebei", TOP):
        assert (out / slug / "site" / "index.html").is_file()
        assert (out / slug / "site" / "en" / "index.html").is_file()
        assert (out / slug / "site" / "pagefind" / "pagefind-entry.json").is_file(), "each site searches its own pages"
        assert not (out / slug / "site" / "search").exists()
    beijing = json.loads((out / "beijing" / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert beijing["languages"]["zh-hans"]["page_count"] > 100  # its register rows
    checked, broken = broken_links(out, BASE)
    assert broken == []
    assert checked > 100
    top_topic = (out / TOP / "site" / "topics" / "liangfei" / "index.html").read_text(encoding="utf-8")
    assert f'href="{BASE}tianjin/topics/liangfei/"' in top_topic
    shard_topic = (out / "tianjin" / "site" / "topics" / "liangfei" / "index.html").read_text(encoding="utf-8")
    assert f'href="{BASE}topics/liangfei/"' in shard_topic


def test_scale_page_renders_in_both_languages() -> None:
    for lang, title in (("zh", "规模与分片"), ("en", "Scale and sharding")):
        page = scale_page(lang)
        assert page.startswith(f'---\ntitle: "{title}"\n---\n')
        assert "110,000" in page and "| --- |" in page
