"""Where every generated page and download lives, in one place.

Pages are paths inside `docs/` (MkDocs turns `a/b.md` into the URL `a/b/`); downloads are
paths inside `site/`.  Templates, the PDF writer, the data exports and the tests all ask
here, so a layout change is one edit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import County, Department, DepartmentType, Law, Register, Row, Topic

HOME = "index.md"
COUNTIES = "counties.md"
DEPARTMENTS = "departments/index.md"
LAWS = "laws/index.md"
TOPICS = "topics/index.md"
SERVICES = "services.md"
PINYIN = "pinyin.md"
COMPARE = "compare/index.md"
MATRIX = "compare/matrix.md"
DATA = "data.md"
ERRORS = "reference/errors.md"
GUIDE = "guide.md"
SCHEMA_REFERENCE = "reference/schema.md"
SCALE = "reference/scale.md"


def county(c: County) -> str:
    return f"{c.slug}/index.md"


def county_services(c: County) -> str:
    """A county's public-service directory: site-wide pages hold one line per county, never
    one per register, so no page grows with the number of registers."""
    return f"{c.slug}/services.md"


def county_topics(c: County) -> str:
    """A county's rows by topic (the topic pages link here)."""
    return f"{c.slug}/topics.md"


def county_laws(c: County) -> str:
    """A county's citations and mentions by law (the law pages link here)."""
    return f"{c.slug}/laws.md"


def county_index(c: County) -> str:
    """A county's pinyin (zh) or A–Z (en) index of its departments, duties, matters and services."""
    return f"{c.slug}/pinyin.md"


COUNTY_PAGES = ("index", "services", "topics", "laws", "pinyin", "departments")
"""Page and folder names inside a county's folder: no register file may take them."""


def register(r: Register) -> str:
    return f"{r.county.slug}/{r.slug}.md"


def register_version(r: Register, sha: str) -> str:
    """The point-in-time page of a register as commit `sha` left it."""
    return f"{r.county.slug}/{r.slug}/versions/{sha[:12]}.md"


def register_on(r: Register, day: str) -> str:
    """The register as it stood on `day` (YYYY-MM-DD), derived from its adjustments."""
    return f"{r.county.slug}/{r.slug}/on/{day}.md"


def register_compare(r: Register, a: str, b: str) -> str:
    """The register on day `a` compared with day `b`."""
    return f"{r.county.slug}/{r.slug}/compare/{a}--{b}.md"


def department(d: Department) -> str:
    return f"{d.county.slug}/departments/{d.id}.md"


def department_type(t: DepartmentType) -> str:
    return f"departments/{t.id}.md"


def law(item: Law) -> str:
    return f"laws/{item.id}.md"


def topic(t: Topic) -> str:
    return f"topics/{t.id}.md"


def comparison(a: Register, b: Register) -> str:
    return f"compare/{a.county.slug}-{b.county.slug}-{a.slug}.md"


def row(r: Row) -> str:
    """Page and anchor of one register row."""
    return f"{register(r.register)}#{r.anchor}"


def download_dir(r: Register) -> str:
    """Folder (inside site/) holding a register's PDFs, JSON and CSV files."""
    return f"downloads/{r.county.slug}/{r.slug}"


def pdf(r: Register, lang: str = "zh") -> str:
    return f"{download_dir(r)}/{r.county.slug}-{r.slug}.{lang}.pdf"


def json_export(r: Register) -> str:
    return f"{download_dir(r)}/{r.county.slug}-{r.slug}.json"


def csv_export(r: Register, part: str) -> str:
    return f"{download_dir(r)}/{r.county.slug}-{r.slug}-{part}.csv"


def csv_metadata(r: Register, part: str) -> str:
    """CSVW metadata of one CSV, at the `{+url}-metadata.json` place CSVW tools look first."""
    return f"{csv_export(r, part)}-metadata.json"


FEED_SITE = "feeds/index.xml"
"""The site's Atom feed; a county's is feeds/<county>/index.xml (no register is called index)."""


def feed_county(c: County) -> str:
    return f"feeds/{c.slug}/index.xml"


def feed_register(r: Register) -> str:
    return f"feeds/{r.county.slug}/{r.slug}.xml"


DATASET_ARCHIVE = "downloads/qingdan-registers.zip"
CATALOGUE = "data.json"
SCHEMA_BASE = "schemas/v2/"
