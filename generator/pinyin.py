"""Pinyin for the index and for search: readings, dictionary sort keys, display forms.

pypinyin's phrase dictionary is good but not infallible for administrative Chinese, so a
reviewed override table (generator/data/pinyin.yaml) is loaded first.  Display follows
standard orthography: syllables of one word joined, an apostrophe before a, o, e.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import yaml
from pypinyin import Style, load_phrases_dict, load_single_dict, pinyin

HAN = re.compile(r"[\u3400-\u9fff]")
TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


@lru_cache(maxsize=1)
def _setup() -> None:
    data = yaml.safe_load((Path(__file__).parent / "data" / "pinyin.yaml").read_text(encoding="utf-8"))
    load_phrases_dict({w: [[s] for s in r.split()] for w, r in data["phrases"].items()})
    load_single_dict({ord(c): r for c, r in data["characters"].items()})
    jieba.setLogLevel(60)
    jieba.initialize()  # the word dictionary, loaded here once rather than by each forked renderer


@lru_cache(maxsize=1 << 16)
def syllables(text: str) -> tuple[str, ...]:
    """Tone-marked syllables of the Han characters in `text`, in order (remembered: an
    index asks for the same words and names again and again, and pypinyin is slow)."""
    _setup()
    han = "".join(HAN.findall(text))
    return tuple(s[0] for s in pinyin(han, style=Style.TONE, errors="ignore")) if han else ()


@lru_cache(maxsize=1 << 12)
def _plain(syllable: str) -> tuple[str, int]:
    """xíng → ("xing", 2); neutral tone → 5; ü stays distinct from u (sorted after it)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((TONE_MARKS[c] for c in decomposed if c in TONE_MARKS), 5)
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base).replace("ü", "v"), tone


def sort_key(text: str) -> tuple[str, tuple[tuple[str, int], ...], str]:
    """Dictionary order: first letter, then syllable by syllable (letters, then tone 1→5), then the text."""
    keys = tuple(_plain(s) for s in syllables(text))
    if not keys:
        latin = re.sub(r"[^a-z0-9]", "", text.lower())
        keys = ((latin, 0),)
    return keys[0][0][:1].upper(), keys, text


def letter(text: str) -> str:
    first = sort_key(text)[0]
    return first if "A" <= first <= "Z" else "#"


@lru_cache(maxsize=1 << 16)
def display(text: str) -> str:
    """Tone-marked pinyin by word: 行政处罚 → xíngzhèng chǔfá, 定安 → dìng'ān."""
    _setup()
    words = []
    for word in jieba.cut("".join(HAN.findall(text))):
        sylls = syllables(word)
        joined = sylls[0] if sylls else ""
        for s in sylls[1:]:
            joined += ("'" if s[:1] in "aoeāáǎàōóǒòēéěè" else "") + s
        if joined:
            words.append(joined)
    return " ".join(words)


def plain(text: str) -> str:
    """Toneless pinyin without spaces: 流动人口 → liudongrenkou (search tokens)."""
    return "".join(_plain(s)[0] for s in syllables(text))


def initials(text: str) -> str:
    """First letters of each syllable: 流动人口 → ldrk (search tokens)."""
    return "".join(_plain(s)[0][:1] for s in syllables(text))
