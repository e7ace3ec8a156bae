"""Sharded builds: one self-contained MkDocs project per province, plus a national top site.

One MkDocs build of every county (~110,000 registers, ~500,000 pages) would not fit one
machine's time or memory, and Material's search index is one file fetched whole.  So
the site is cut by province (GB/T 2260 division-code prefix) into 31 shards:

- A shard is today's site restricted to one province's counties, generated from the
  same registers by the same render stage into `<out>/<slug>/`: its own `registers/`
  view (hard links), `docs/`, `mkdocs.yml` (site_url = base + "<slug>/"), `site/` and
  `manifest.json`.  Every link inside it is relative and stays inside it.  Its topic,
  law and department-type pages list that province's rows and link, by absolute URL,
  to the national page of the same topic, law or type.
- The top site (`<out>/_top/`) is built after the shards from their manifests only,
  never from registers: a province index, every county, and national topic, law and
  department-type pages whose rows link by absolute URL to the shards' own pages.
- `assemble` copies the top site and every shard site under `<slug>/` into one tree
  that is served as it is; `broken_links` proves every absolute link into a shard or the
  top site names a page that exists there.

Shards build in parallel (a process pool here, a CI matrix in
.github/workflows/shards.yml); only the top site waits for all of them.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from ruamel.yaml import YAML

from . import build as build_stage
from . import paths
from .load import load_file
from .markup import esc, href, md, url, yaml_string
from .model import Corpus, load_corpus
from .render import LANGS, Page, write_docs
from .validate import check

TOP = "_top"
"""Folder of the national top site inside the shards folder (no province slug starts with _)."""
MANIFEST = "manifest.json"
TEMPLATES = Path(__file__).parent / "templates" / "shard"


@dataclass(frozen=True)
class Province:
    """A province-level division: its GB/T 2260 code prefix, URL slug and names."""

    code: str
    slug: str
    zh: str
    en: str


PROVINCES: tuple[Province, ...] = tuple(Province(*row) for row in (
    ("11", "beijing", "北京市", "Beijing Municipality"),
    ("12", "tianjin", "天津市", "Tianjin Municipality"),
    ("13", "hebei", "河北省", "Hebei Province"),
    ("14", "shanxi", "山西省", "Shanxi Province"),
    ("15", "neimenggu", "内蒙古自治区", "Inner Mongolia Autonomous Region"),
    ("21", "liaoning", "辽宁省", "Liaoning Province"),
    ("22", "jilin", "吉林省", "Jilin Province"),
    ("23", "heilongjiang", "黑龙江省", "Heilongjiang Province"),
    ("31", "shanghai", "上海市", "Shanghai Municipality"),
    ("32", "jiangsu", "江苏省", "Jiangsu Province"),
    ("33", "zhejiang", "浙江省", "Zhejiang Province"),
    ("34", "anhui", "安徽省", "Anhui Province"),
    ("35", "fujian", "福建省", "Fujian Province"),
    ("36", "jiangxi", "江西省", "Jiangxi Province"),
    ("37", "shandong", "山东省", "Shandong Province"),
    ("41", "henan", "河南省", "Henan Province"),
    ("42", "hubei", "湖北省", "Hubei Province"),
    ("43", "hunan", "湖南省", "Hunan Province"),
    ("44", "guangdong", "广东省", "Guangdong Province"),
    ("45", "guangxi", "广西壮族自治区", "Guangxi Zhuang Autonomous Region"),
    ("46", "hainan", "海南省", "Hainan Province"),
    ("50", "chongqing", "重庆市", "Chongqing Municipality"),
    ("51", "sichuan", "四川省", "Sichuan Province"),
    ("52", "guizhou", "贵州省", "Guizhou Province"),
    ("53", "yunnan", "云南省", "Yunnan Province"),
    ("54", "xizang", "西藏自治区", "Xizang Autonomous Region"),
    ("61", "shaanxi", "陕西省", "Shaanxi Province"),
    ("62", "gansu", "甘肃省", "Gansu Province"),
    ("63", "qinghai", "青海省", "Qinghai Province"),
    ("64", "ningxia", "宁夏回族自治区", "Ningxia Hui Autonomous Region"),
    ("65", "xinjiang", "新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region"),
))
BY_CODE = {p.code: p for p in PROVINCES}
BY_SLUG = {p.slug: p for p in PROVINCES}


class ShardError(Exception):
    """A shard step failed; the message says which, in Chinese and English."""


def province_of(division_code: str) -> Province:
    """The province of a county, from the first two digits of its division code."""
    code = division_code[:2]
    return BY_CODE.get(code) or Province(code, f"p{code}", f"省级区划 {code}", f"Province {code}")


def plan(registers: Path) -> dict[Province, list[str]]:
    """County folders by province, reading only the county.yaml files (cheap at 2,800 counties)."""
    out: dict[Province, list[str]] = {}
    for county_file in sorted(registers.glob("*/county.yaml")):
        data = load_file(county_file).data
        code = data.get("division_code") if isinstance(data, dict) else None
        if not isinstance(code, str):
            raise ShardError(f"{county_file}：缺少 division_code，无法分片。 No division_code; cannot shard."
                             " 请先运行 qingdan check。 Run `qingdan check` first.")
        out.setdefault(province_of(code), []).append(county_file.parent.name)
    return dict(sorted(out.items(), key=lambda item: item[0].code))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def make_view(registers: Path, counties: Iterable[str], dest: Path) -> Path:
    """A registers/ folder holding the shared lists and only these counties (hard links).

    Not symlinks: the validator resolves paths to find the registers root, and through a
    symlink it would find, and load, the whole country.
    """
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for path in sorted(registers.glob("*.yaml")):
        _link_or_copy(str(path), str(dest / path.name))
    for county in counties:
        shutil.copytree(registers / county, dest / county, copy_function=_link_or_copy)
    return dest


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps mkdocs.yml's python tags and comments
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def derived_config(root: Path, project: Path, site_url: str, nav: list[Any], titles: tuple[str, str] | None,
                   translations: dict[str, str], keep_compare: Callable[[list[str]], bool]) -> str:
    """mkdocs.yml for a project in `project`, derived from the main one in `root`.

    Paths (theme overrides, hooks) are made relative to the new file; `titles` (zh, en)
    prefix the site names; `nav` replaces the navigation and `translations` extends the
    English nav titles; only `extra.qingdan.compare` pairs `keep_compare` accepts stay.
    """
    yaml = _yaml()
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = site_url
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = _relative(root / config["theme"]["custom_dir"], project)
    config["hooks"] = [_relative(root / hook, project) for hook in config.get("hooks", [])]
    config["nav"] = nav
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                if language.get("locale") == "en":
                    language.setdefault("nav_translations", {}).update(translations)
                    if titles:
                        language["site_name"] = f"{titles[1]} · {language['site_name']}"
    if titles:
        config["site_name"] = f"{titles[0]} · {config['site_name']}"
    qingdan = config.get("extra", {}).get("qingdan", {})
    if "compare" in qingdan:
        qingdan["compare"] = [pair for pair in qingdan["compare"] if keep_compare(list(pair))]
    buffer = io.StringIO()
    yaml.dump(config, buffer)
    return "# Generated by `qingdan shard` from the project's mkdocs.yml; do not edit.\n" + buffer.getvalue()


def base_url(root: Path) -> str:
    site_url = build_stage.site_config(root)["site_url"]
    return site_url if site_url.endswith("/") else site_url + "/"


def page_url(base: str, page: str, lang: str) -> str:
    """Absolute URL of a generated docs page in a site served at `base` (en under en/)."""
    return base + ("" if lang == "zh" else f"{lang}/") + url(page)


def national_pages(corpus: Corpus) -> set[str]:
    """Shard pages that list only their province and have a national page at the same path."""
    out = {paths.HOME, paths.TOPICS, paths.LAWS, paths.DEPARTMENTS}
    out.update(paths.topic(t) for t in corpus.used_topics())
    out.update(paths.law(x) for x in corpus.laws.values())
    out.update(paths.department_type(t) for t in corpus.used_types())
    return out


NATIONAL_LINE = {
    "zh": "本页只列出{province}的内容。全国各省见 <a class=\"qd-national\" href=\"{href}\">全国页面</a>。",
    "en": "This page lists {province} only; for every province see the <a class=\"qd-national\" href=\"{href}\">"
          "nationwide page</a>.",
}


def with_national_links(pages: list[Page], corpus: Corpus, province: Province, base: str) -> list[Page]:
    """Shard pages that list one province's rows gain a link to the national page."""
    national = national_pages(corpus)
    out = []
    for page in pages:
        if page.path not in national:
            out.append(page)
            continue
        name = esc(province.zh if page.lang == "zh" else province.en)
        line = NATIONAL_LINE[page.lang].format(province=name, href=page_url(base, page.path, page.lang))
        out.append(Page(page.path, page.lang, page.content.rstrip("\n") + f"\n\n<p class=\"qd-shard-note\">{line}</p>\n"))
    return out


def manifest(corpus: Corpus, province: Province, site_url: str, pages: int) -> dict[str, Any]:
    """What the top site needs from a shard: its counties and how much each topic, law and type holds.
    Only the topics and types the shard has pages for are listed (`Corpus.used_topics`,
    `used_types`): the top site links a shard's page only where the shard lists its key."""
    registers = corpus.registers
    return {
        "province": asdict(province),
        "site_url": site_url,
        "pages": pages,
        "registers": len(registers),
        "counties": [
            {"slug": c.slug, "name": {"zh": c.name.zh, "en": c.name.en or c.name.zh}, "pinyin": c.pinyin,
             "division_code": c.division_code, "page": paths.county(c), "registers": len(c.registers),
             "departments": len(c.departments)}
            for c in corpus.counties.values()
        ],
        "topics": {t.id: len(t.rows) for t in corpus.used_topics()},
        "laws": {x.id: len(x.citations) + len(x.mentions) for x in corpus.laws.values()},
        "types": {t.id: sum(d.in_use for d in t.departments) for t in corpus.used_types()},
    }


@dataclass
class ShardReport:
    """One built shard: what it holds and how long each step took."""

    slug: str
    counties: int = 0
    registers: int = 0
    pages: int = 0
    written: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_kib: int = 0
    mkdocs_cpu: float = 0.0
    cpu: float = 0.0
    """CPU seconds of the steps run in this process (MkDocs runs in a child: `mkdocs_cpu`)."""


def site_pages(root: Path, corpus: Corpus, config: dict[str, Any]) -> list[Page]:
    """The pages `qingdan build` generates, for a shard's corpus and mkdocs.yml."""
    try:
        return build_stage.site_pages(root, corpus, config, parallel=True)
    except build_stage.BuildError as exc:
        raise ShardError(str(exc)) from exc


def _timed(report: ShardReport, step: str, action: Callable[[], Any]) -> Any:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    report.seconds[step] = report.seconds.get(step, 0.0) + time.perf_counter() - start
    report.cpu += time.process_time() - cpu
    return result


def run_mkdocs(project: Path, site_dir: Path, env: dict[str, str]) -> tuple[int, float]:
    """`mkdocs build --strict` in a child process; returns its peak memory (KiB) and CPU seconds."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site_dir)]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")
            detail = "\n".join(line for line in text.splitlines() if "WARNING" in line or "ERROR" in line)
            raise ShardError(f"MkDocs 构建失败 MkDocs build failed ({project.name}):\n{detail or text[-4000:]}")
    return usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _swap(project: Path, staging: Path) -> None:
    site, old = project / "site", project / ".site-old"
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def _mkdocs_into_site(project: Path, env: dict[str, str]) -> tuple[int, float]:
    """MkDocs and the search index (each site searches its own pages) into project/site."""
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=project))
    try:
        usage = run_mkdocs(project, staging, env)
        build_stage.search_index(staging, build_stage.BuildReport())
        _swap(project, staging)
    except build_stage.BuildError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ShardError(str(exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return usage


def main_nav(root: Path) -> list[Any]:
    return list(_yaml().load((root / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])


def shard_nav(root: Path, base: str) -> tuple[list[Any], dict[str, str]]:
    """The main nav plus a link back to the national site."""
    return [*main_nav(root), {"全国": base}], {"全国": "Nationwide"}


def generate_shard(root: Path, registers: Path, province: Province, counties: list[str], out: Path,
                   base: str, report: ShardReport) -> Corpus:
    """Validate the province's registers and write the shard's registers view, docs/ and mkdocs.yml."""
    project = out / province.slug
    view = _timed(report, "view", lambda: make_view(registers, counties, project / "registers"))
    result = _timed(report, "check", lambda: check([view]))
    if result.errors:
        raise ShardError(f"{province.zh} 的清单有 {result.errors} 个错误，未生成。"
                         f" {province.en}: {result.errors} errors in the registers; run `qingdan check`.")
    corpus = _timed(report, "load", lambda: load_corpus(view))
    for register in corpus.registers:  # the view only scoped validation: point at the source files
        register.path = registers / register.county.slug / register.path.name
    site_url = f"{base}{province.slug}/"
    nav, translations = shard_nav(root, base)
    config = derived_config(root, project, site_url, nav, (province.zh, province.en), translations,
                            lambda pair: all(key.split("/")[0] in counties for key in pair))
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    settings = build_stage.site_config(project)

    pages = _timed(report, "render",
                   lambda: with_national_links(site_pages(root, corpus, settings), corpus, province, base))
    report.written, _ = _timed(report, "write", lambda: write_docs(pages, project / "docs"))
    report.counties, report.registers, report.pages = len(corpus.counties), len(corpus.registers), len(pages)
    (project / MANIFEST).write_text(
        json.dumps(manifest(corpus, province, site_url, len(pages)), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")
    return corpus


def build_shard(root: Path, registers: Path, slug: str, out: Path, *, pdf: bool = False) -> ShardReport:
    """Generate and build one province's shard into `<out>/<slug>/site`."""
    shards = plan(registers)
    province = next((p for p in shards if p.slug == slug), None)
    if province is None:
        raise ShardError(f"没有属于 {slug} 的县。 No county belongs to {slug}.")
    counties = shards[province]
    report = ShardReport(slug)
    base = base_url(root)
    corpus = generate_shard(root, registers, province, counties, out, base, report)
    project = out / slug
    env = {**os.environ, "SOURCE_DATE_EPOCH": build_stage.source_date_epoch(build_stage.build_date(corpus))}
    env.pop("QINGDAN_REGENERATE", None)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=project))
    try:
        report.peak_rss_kib, report.mkdocs_cpu = _timed(report, "mkdocs", lambda: run_mkdocs(project, staging, env))
        extra = build_stage.BuildReport()
        _timed(report, "search", lambda: build_stage.search_index(staging, extra))
        config = build_stage.site_config(project)
        _timed(report, "publish", lambda: build_stage.publish(corpus, config, staging, pdf=pdf, report=extra))
        _swap(project, staging)
    except build_stage.BuildError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ShardError(str(exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def read_manifests(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob(f"*/{MANIFEST}"))]
    if not found:
        raise ShardError(f"{out} 中没有分片清单，请先构建分片。 No shard manifests in {out}; build the shards first.")
    return sorted(found, key=lambda m: m["province"]["code"])


def _named(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {row["id"]: {"zh": row["name"]["zh"] if isinstance(row["name"], dict) else row["name"],
                        "en": row["name"].get("en", "") if isinstance(row["name"], dict) else ""} for row in rows}


def shared_lists(registers: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Names of topics, laws and department types, from the shared lists every shard has."""
    def rows(name: str, key: str) -> list[dict[str, Any]]:
        return load_file(registers / name).data[key]

    laws = [{"id": x["id"], "name": x["title"]} for x in rows("laws.yaml", "laws")]
    return {"topics": _named(rows("topics.yaml", "topics")), "laws": _named(laws),
            "types": _named(rows("department-types.yaml", "types"))}


TOP_PAGES = {"home": paths.HOME, "counties": paths.COUNTIES, "topics": paths.TOPICS, "laws": paths.LAWS,
             "types": paths.DEPARTMENTS}
DETAIL = {"topics": paths.topic, "laws": paths.law, "types": paths.department_type}
LABELS = {
    "site": ("全国县级部门责任清单", "County responsibility lists nationwide"),
    "home": ("全国", "Nationwide"),
    "counties": ("各省各县", "Counties by province"),
    "topics": ("主题", "Topics"),
    "laws": ("法律依据", "Legal basis"),
    "types": ("部门类型", "Department types"),
    "provinces": ("省份", "Provinces"),
    "province_site": ("本省网站", "This province's site"),
    "n_provinces": ("个省份", "provinces"),
    "n_counties": ("个县", "counties"),
    "n_registers": ("份清单", "registers"),
    "count_topics": ("标注的条目", "Tagged rows"),
    "count_laws": ("引用与提及", "Citations and mentions"),
    "count_types": ("有清单或分工的部门", "Departments with a list or a boundary share"),
    "list_intro_topics": ("各主题在全国的条目数；点开主题可进入各省的主题页。",
                          "Rows per topic across the country; open a topic to reach each province's topic page."),
    "list_intro_laws": ("各法律依据在全国被引用和提及的次数；点开可进入各省的页面。",
                        "How often each law is cited or mentioned across the country; open it to reach each province."),
    "list_intro_types": ("各类部门中有清单或在职责边界表中承担分工的数量；点开可进入各省同类部门的比较页。",
                         "Departments of each kind with a list or a share in a boundary table across the country; "
                         "open one to compare them province by province."),
    "none": ("尚无省份有此内容。", "No province has any yet."),
}


class _Ref:
    """Stands in for a model object where `paths` only needs an id."""

    def __init__(self, id: str) -> None:
        self.id = id


def _helpers(manifests: list[dict[str, Any]], lang: str, page: str) -> dict[str, Any]:
    """Template functions for one top-site page: labels, escaping and links."""
    index = 0 if lang == "zh" else 1
    return {
        "lang": lang, "manifests": manifests, "paths": paths, "detail": DETAIL, "ref": _Ref, "top_index": TOP_PAGES,
        "label": lambda key: LABELS[key][index],
        "h": esc, "md": md,
        "title": lambda value: yaml_string(esc(value)),
        "link": lambda target: href(page, target),
        "shard_url": lambda m, target: page_url(m["site_url"], target, lang),
        "province": lambda m: m["province"][lang],
        "name_in": lambda name: name.get(lang) or name["zh"],
        "counts_of": lambda kind, key: [(m, m[kind].get(key, 0)) for m in manifests],
        "total_counties": sum(len(m["counties"]) for m in manifests),
        "total_registers": sum(m["registers"] for m in manifests),
    }


def top_pages(manifests: list[dict[str, Any]], names: dict[str, dict[str, dict[str, str]]]) -> list[Page]:
    """The national pages, in both languages, from the shard manifests: a topic, law or type
    gets a national page and a row only when some shard lists it (has a page for it)."""
    names = {kind: {key: name for key, name in named.items() if any(key in m[kind] for m in manifests)}
             for kind, named in names.items()}
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=True)
    pages = []
    for lang in LANGS:
        for kind, page in TOP_PAGES.items():
            template = env.get_template(f"{kind if kind in ('home', 'counties') else 'list'}.md.j2")
            pages.append(Page(page, lang, template.render(kind=kind, names=names, **_helpers(manifests, lang, page))))
        for kind, make in DETAIL.items():
            for key in names[kind]:
                page = make(_Ref(key))  # type: ignore[arg-type]
                content = env.get_template("detail.md.j2").render(kind=kind, key=key, names=names,
                                                                  **_helpers(manifests, lang, page))
                pages.append(Page(page, lang, content))
    return pages


TOP_NAV = [{"全国": "index.md"}, {"各县": "counties.md"}, {"主题": "topics/index.md"}, {"法律依据": "laws/index.md"},
           {"部门": "departments/index.md"}]
TOP_NAV_EN = {"全国": "Nationwide", "各县": "Counties"}


def build_top(root: Path, registers: Path, out: Path) -> ShardReport:
    """Generate and build the national top site into `<out>/_top/site` from the shard manifests."""
    report = ShardReport(TOP)
    project = out / TOP
    project.mkdir(parents=True, exist_ok=True)
    base = base_url(root)
    manifests = read_manifests(out)
    pages = _timed(report, "render", lambda: top_pages(manifests, shared_lists(registers)))
    report.written, _ = _timed(report, "write", lambda: write_docs(pages, project / "docs"))
    report.pages = len(pages)
    report.counties = sum(len(m["counties"]) for m in manifests)
    report.registers = sum(m["registers"] for m in manifests)
    (project / "mkdocs.yml").write_text(
        derived_config(root, project, base, TOP_NAV, None, TOP_NAV_EN, lambda pair: False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QINGDAN_REGENERATE"}
    report.peak_rss_kib, report.mkdocs_cpu = _timed(report, "mkdocs", lambda: _mkdocs_into_site(project, env))
    return report


def assemble(out: Path, public: Path) -> Path:
    """One servable tree: the top site at the root, each shard's site under its slug."""
    shutil.rmtree(public, ignore_errors=True)
    shutil.copytree(out / TOP / "site", public)
    for m in read_manifests(out):
        slug = m["province"]["slug"]
        if (public / slug).exists():
            raise ShardError(f"顶层网站已有 {slug}/，与分片冲突。 The top site already has {slug}/.")
        shutil.copytree(out / slug / "site", public / slug)
    return public


HREF = re.compile(r'href="([^"#?]+)(?:[#?][^"]*)?"')


def site_of(out: Path, base: str, link: str) -> tuple[Path, str] | None:
    """(built site folder, path inside it) an absolute link points into, or None if external."""
    if not link.startswith(base):
        return None
    rest = link[len(base):]
    first = rest.split("/", 1)[0]
    if first and (out / first / MANIFEST).exists():
        return out / first / "site", rest[len(first) + 1:]
    return out / TOP / "site", rest


def broken_links(out: Path, base: str) -> tuple[int, list[tuple[str, str]]]:
    """Every absolute link to the base URL in every built site: (links checked, [(page, link)] broken)."""
    sites = [out / TOP / "site", *(out / m["province"]["slug"] / "site" for m in read_manifests(out))]
    checked, broken = 0, []
    for site in sites:
        for html in sorted(site.rglob("*.html")):
            for link in set(HREF.findall(html.read_text(encoding="utf-8"))):
                target = site_of(out, base, link)
                if target is None:
                    continue
                checked += 1
                folder, inner = target
                file = folder / inner
                if not (file / "index.html" if inner.endswith("/") or not inner else file).is_file():
                    broken.append((str(html.relative_to(out)), link))
    return checked, broken


def _build_one(args: tuple[Path, Path, str, Path, bool]) -> ShardReport:
    return build_shard(*args[:4], pdf=args[4])


def build_all(root: Path, registers: Path, out: Path, *, jobs: int | None = None, pdf: bool = False,
              only: list[str] | None = None) -> list[ShardReport]:
    """Every shard in a process pool, then the top site."""
    slugs = [p.slug for p in plan(registers) if not only or p.slug in only]
    tasks = [(root, registers, slug, out, pdf) for slug in slugs]
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        reports = list(pool.map(_build_one, tasks))
    return [*reports, build_top(root, registers, out)]


# --- command line ----------------------------------------------------------------------

def _paths(root: Path | None, registers: Path | None, out: Path | None) -> tuple[Path, Path, Path]:
    root = (root or Path.cwd()).resolve()
    return root, (registers or root / "registers").resolve(), (out or root / "build" / "shards").resolve()


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ShardError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


def _summary(report: ShardReport) -> str:
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    return (f"{report.slug}: {report.counties} 县 counties, {report.registers} 清单 registers, {report.pages} 页 pages;"
            f" {timings}; 内存峰值 peak {report.peak_rss_kib // 1024} MiB")


ROOT_OPTION = click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           help="项目目录（含 mkdocs.yml），默认当前目录 Project folder with mkdocs.yml (default: .).")
REGISTERS_OPTION = click.option("--registers", type=click.Path(exists=True, file_okay=False, path_type=Path),
                                help="清单目录，默认 <root>/registers Registers folder.")
OUT_OPTION = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                          help="分片目录，默认 <root>/build/shards Shards folder.")


@click.group("shard", help="按省分片构建网站。 Build the site as one MkDocs project per province.")
def command() -> None:
    """`qingdan shard …`"""


@command.command("plan", help="列出各省分片。 List the province shards.")
@REGISTERS_OPTION
@ROOT_OPTION
@click.option("--json", "as_json", is_flag=True, help="输出 CI 矩阵用的 JSON 列表 Print the slugs as a JSON list.")
def plan_command(registers: Path | None, root: Path | None, as_json: bool) -> None:
    _, registers, _ = _paths(root, registers, None)
    shards = _run(lambda: plan(registers))
    if as_json:
        click.echo(json.dumps([p.slug for p in shards]))
        return
    for province, counties in shards.items():
        click.echo(f"{province.slug}\t{province.zh}\t{len(counties)} 县 counties")


@command.command("build", help="构建一个或全部分片及顶层网站。 Build one shard, or all shards and the top site.")
@click.option("--province", "provinces", multiple=True, help="只构建这些省（拼音）Only these provinces (slugs).")
@click.option("--top/--no-top", default=True, show_default=True, help="之后构建顶层网站 Then build the top site.")
@click.option("--jobs", type=click.IntRange(min=1), help="并行进程数 Parallel processes (default: CPUs).")
@click.option("--pdf/--no-pdf", default=False, show_default=True, help="生成 PDF Also write PDFs.")
@REGISTERS_OPTION
@ROOT_OPTION
@OUT_OPTION
def build_command(provinces: tuple[str, ...], top: bool, jobs: int | None, pdf: bool, registers: Path | None,
                  root: Path | None, out: Path | None) -> None:
    root, registers, out = _paths(root, registers, out)
    known = {p.slug for p in _run(lambda: plan(registers))}
    unknown = sorted(set(provinces) - known)
    if unknown:
        raise click.BadParameter(f"没有这些省的县 no counties in: {', '.join(unknown)}", param_hint="--province")
    if top and not provinces:
        reports = _run(lambda: build_all(root, registers, out, jobs=jobs, pdf=pdf))
    else:
        slugs = list(provinces) or sorted(known)
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            reports = _run(lambda: list(pool.map(_build_one, [(root, registers, s, out, pdf) for s in slugs])))
        if top:
            reports.append(_run(lambda: build_top(root, registers, out)))
    for report in reports:
        click.echo(_summary(report))


@command.command("top", help="由各分片清单构建顶层网站。 Build the top site from the shard manifests.")
@REGISTERS_OPTION
@ROOT_OPTION
@OUT_OPTION
def top_command(registers: Path | None, root: Path | None, out: Path | None) -> None:
    root, registers, out = _paths(root, registers, out)
    click.echo(_summary(_run(lambda: build_top(root, registers, out))))


@command.command("assemble", help="合并为一个可发布目录并检查跨站链接。 Merge into one tree and check cross-site links.")
@click.option("--public", type=click.Path(file_okay=False, path_type=Path), help="输出目录 Output (default: <out>/public).")
@ROOT_OPTION
@OUT_OPTION
def assemble_command(public: Path | None, root: Path | None, out: Path | None) -> None:
    root, _, out = _paths(root, None, out)
    checked, broken = _run(lambda: broken_links(out, base_url(root)))
    for page, link in broken:
        click.echo(f"{page}: 链接目标不存在 broken link {link}", err=True)
    if broken:
        click.echo(f"{len(broken)}/{checked} 个跨站链接无效。 {len(broken)} of {checked} cross-site links are broken.",
                   err=True)
        sys.exit(1)
    target = _run(lambda: assemble(out, public or out / "public"))
    click.echo(f"已合并到 {target}；{checked} 个跨站链接全部有效。 Assembled into {target}; all {checked} cross-site links resolve.")
