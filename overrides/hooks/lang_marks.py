"""MkDocs hook: Chinese words in the English edition's theme chrome carry lang="zh-Hans".

The generated pages mark their own Chinese text; Material copies headings into the
table of contents, the navigation and the header title as bare text, so a Chinese heading
(the editing guide is written in Chinese) would be read there by an English voice.
"""
from __future__ import annotations

import re
from typing import Any

_LABEL = re.compile(r'<span class="md-ellipsis">(\s*[^<]*[\u3400-\u9fff][^<]*)</span>')


def on_post_page(output: str, page: Any, config: Any) -> str:
    if config["theme"]["language"] == "zh":
        return output
    return _LABEL.sub(r'<span class="md-ellipsis" lang="zh-Hans">\1</span>', output)
