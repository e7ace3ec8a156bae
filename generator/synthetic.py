"""A deterministic synthetic registers/ tree for benchmarks and scale tests.

Real registers are what Qingdan publishes; these are not.  They exist so that check,
render, MkDocs, PDFs and sharded builds can be measured at 10 … 10,000 registers: each
fake county (测试县0001, slug c0001) gets M department registers derived from the two
seed registers, varied (work items swapped, dropped or duplicated, numbers changed,
county names substituted) but always valid, so `qingdan check` reports no errors.
Same arguments, byte-identical tree.

    python -m generator.synthetic OUT --counties 100 --departments 10
"""
from __future__ import annotations

import copy
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from .load import load_file
from .shard import PROVINCES, Province

REGISTERS = Path(__file__).resolve().parent.parent / "registers"
SHARED = ("topics.yaml", "laws.yaml", "department-types.yaml", "glossary.yaml")
SEEDS = (("dingan", "定安县", "Ding'an County"), ("anhua", "安化县", "Anhua County"))
"""(county folder, Chinese name, English name) of the seed registers, whose names are substituted."""
SEED_REGISTER = "renkou-jisheng"
COUNTY_SCHEMA = "# yaml-language-server: $schema=../../schemas/county.schema.json\n"
REGISTER_SCHEMA = "# yaml-language-server: $schema=../../schemas/register.schema.json\n"

AREA_CODES = {
    "11": "010", "12": "022", "13": "0311", "14": "0351", "15": "0471", "21": "024", "22": "0431", "23": "0451",
    "31": "021", "32": "025", "33": "0571", "34": "0551", "35": "0591", "36": "0791", "37": "0531", "41": "0371",
    "42": "027", "43": "0731", "44": "020", "45": "0771", "46": "0898", "50": "023", "51": "028", "52": "0851",
    "53": "0871", "54": "0891", "61": "029", "62": "0931", "63": "0971", "64": "0951", "65": "0991",
}
"""The telephone area code of each province's capital, by division-code prefix: every fake
county of a province dials with it."""

Data = dict[str, Any]


class _Dumper(yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper):  # type: ignore[misc]
    """Block style, multi-line text as literal blocks: files that look hand-written."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(header: str, data: Data) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, indent=2)
    return (header + text).encode("utf-8")


@dataclass(frozen=True)
class FakeCounty:
    """One synthetic county: where it sits and what it is called."""

    number: int
    province: Province
    code: str

    @property
    def slug(self) -> str:
        return f"c{self.number:04d}"

    @property
    def zh(self) -> str:
        return f"测试县{self.number:04d}"

    @property
    def en(self) -> str:
        return f"Test County {self.number:04d}"


def fake_counties(counties: int, provinces: int) -> list[FakeCounty]:
    """Counties spread round-robin over the first `provinces` real provinces, codes unique."""
    chosen = PROVINCES[: max(1, min(provinces, len(PROVINCES)))]
    seen: dict[str, int] = {}
    out = []
    for number in range(1, counties + 1):
        province = chosen[(number - 1) % len(chosen)]
        seen[province.code] = seen.get(province.code, 0) + 1
        out.append(FakeCounty(number, province, f"{province.code}{seen[province.code]:04d}"))
    return out


@dataclass
class Seeds:
    """The seed registers and the department tables of their counties."""

    registers: list[Data]
    departments: list[Data]
    types: list[Data]


def read_seeds(source: Path) -> Seeds:
    """The seed registers, and one department table merging both seed counties' (names neutral)."""
    registers = [load_file(source / folder / f"{SEED_REGISTER}.yaml").data for folder, _, _ in SEEDS]
    merged: dict[str, Data] = {}
    for folder, zh, en in SEEDS:
        for dept in load_file(source / folder / "county.yaml").data["departments"]:
            neutral = _rename(dept, zh, en, "{county_zh}", "{county_en}")
            known = merged.setdefault(dept["id"], neutral)
            if known is not neutral:
                names = [*known.get("aliases", []), neutral["name"]["zh"], *neutral.get("aliases", [])]
                known["aliases"] = [a for a in dict.fromkeys(names) if a != known["name"]["zh"]]
    types = load_file(source / "department-types.yaml").data["types"]
    return Seeds(registers, list(merged.values()), types)


def _rename(value: Any, zh: str, en: str, new_zh: str, new_en: str) -> Any:
    """Replace a county's name everywhere in a piece of data (keys untouched)."""
    if isinstance(value, str):
        return value.replace(zh, new_zh).replace(en, new_en)
    if isinstance(value, dict):
        return {k: _rename(v, zh, en, new_zh, new_en) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, zh, en, new_zh, new_en) for v in value]
    return value


def county_departments(seeds: Seeds, county: FakeCounty, count: int) -> list[Data]:
    """The seeds' departments under this county's name, plus numbered extras up to `count`."""
    out = [_rename(d, "{county_zh}", "{county_en}", county.zh, county.en) for d in seeds.departments]
    for k in range(len(out) + 1, count + 1):
        kind = seeds.types[k % len(seeds.types)]
        out.append({
            "id": f"bumen-{k:03d}", "type": kind["id"],
            "name": {"zh": f"{county.zh}测试部门{k:03d}", "en": f"{county.en} Test Department {k:03d}"},
        })
    return out


def county_file(county: FakeCounty, departments: list[Data]) -> Data:
    return {
        "name": {"zh": county.zh, "en": county.en},
        "pinyin": f"Cèshì Xiàn {county.number:04d}",
        "province": {"zh": county.province.zh, "en": county.province.en},
        "division_code": county.code,
        "area_code": AREA_CODES.get(county.province.code, "010"),
        "level": "county",
        "departments": departments,
    }


def _digits(rng: random.Random, text: str) -> str:
    """Change every number in a text, keeping its length (and so its form)."""
    return re.sub(r"\d+", lambda m: str(rng.randint(10 ** (len(m.group()) - 1), 10 ** len(m.group()) - 1))
                  if len(m.group()) > 1 else str(rng.randint(1, 9)), text)


def _vary_items(rng: random.Random, items: list[Data]) -> list[Data]:
    """Swap, drop or duplicate work items (items carry no number, so order stays valid)."""
    items = list(items)
    roll = rng.random()
    if roll < 0.25 and len(items) > 1:
        i = rng.randrange(len(items) - 1)
        items[i], items[i + 1] = items[i + 1], items[i]
    elif roll < 0.45 and len(items) > 1:
        del items[rng.randrange(len(items))]
    elif roll < 0.6:
        twin = copy.deepcopy(rng.choice(items))
        twin["id"] = f"{twin['id']}-copy"
        items.append(twin)
    for item in items:
        text = item["text"]
        if rng.random() < 0.3 and isinstance(text, dict):
            item["text"] = {**text, "zh": _digits(rng, text["zh"])}
    return items


def register_file(seed: Data, seed_county: tuple[str, str, str], county: FakeCounty, owner: Data,
                  rng: random.Random) -> Data:
    """One seed register re-owned by `owner`, renamed into `county` and varied."""
    _, zh, en = seed_county
    data: Data = _rename(copy.deepcopy(seed), zh, en, county.zh, county.en)
    data["department"] = owner["id"]
    data["title"] = {"zh": f"{owner['name']['zh']}责任清单", "en": f"Responsibility List of the {owner['name']['en']}"}
    data["adopted"] = f"2016-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    for duty in data["duties"]["rows"]:
        duty["items"] = _vary_items(rng, duty["items"])
    for service in data["services"]["rows"]:
        phone = service["phone"]
        service["phone"] = phone[:-4] + _digits(rng, phone[-4:]) if len(phone) > 4 else phone
    ordered = {k: data[k] for k in ("department", "title", "source", "adopted") if k in data}
    ordered.update((k, v) for k, v in data.items() if k not in ordered)
    return ordered


def make_corpus(out: Path, counties: int, departments: int, seed: int = 0, *, provinces: int = len(PROVINCES),
                source: Path = REGISTERS) -> list[Path]:
    """Write a synthetic registers/ tree into `out` (emptied first); returns the register files.

    `provinces` limits how many real provinces the counties are spread over (sharding
    tests use 3); `source` is the registers/ folder holding the seeds and shared lists.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in SHARED:
        if (source / name).exists():
            shutil.copyfile(source / name, out / name)
    seeds = read_seeds(source)
    written = []
    for county in fake_counties(counties, provinces):
        folder = out / county.slug
        folder.mkdir()
        depts = county_departments(seeds, county, departments)
        (folder / "county.yaml").write_bytes(dump(COUNTY_SCHEMA, county_file(county, depts)))
        for k, owner in enumerate(depts[:departments]):
            which = (county.number + k + seed) % len(seeds.registers)
            rng = random.Random(f"{seed}:{county.slug}:{owner['id']}")
            data = register_file(seeds.registers[which], SEEDS[which], county, owner, rng)
            path = folder / f"{owner['id']}.yaml"
            path.write_bytes(dump(REGISTER_SCHEMA, data))
            written.append(path)
    return written


@click.command("synth", help="生成合成清单（仅用于性能测试，不发布）。 Write a synthetic registers/ tree for benchmarks.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--counties", type=click.IntRange(min=1), default=10, show_default=True, help="县数 Counties.")
@click.option("--departments", type=click.IntRange(min=1), default=10, show_default=True,
              help="每县清单数 Registers per county.")
@click.option("--provinces", type=click.IntRange(min=1, max=len(PROVINCES)), default=len(PROVINCES),
              show_default=True, help="分布的省份数 Provinces to spread over.")
@click.option("--seed", default=0, show_default=True, help="随机种子 Seed.")
def command(out: Path, counties: int, departments: int, provinces: int, seed: int) -> None:
    files = make_corpus(out, counties, departments, seed, provinces=provinces)
    click.echo(f"已生成 {len(files)} 份合成清单到 {out}。 Wrote {len(files)} synthetic registers to {out}.")


if __name__ == "__main__":
    sys.exit(command())
