"""A .docx read back as plain text: its paragraphs in reading order (a table row by row, cell by cell), each
with its spaces collapsed and empty ones dropped. Used to check what the writers wrote, and to read a
Kế hoạch written by the app back in (the round trip of issue 23)."""
from __future__ import annotations

import io

from docx import Document as WordDocument


def _text(element) -> str:
    return "".join(node.text or "" for node in element.iter() if node.tag.endswith("}t"))


def docx_paragraphs(content: bytes) -> list[str]:
    """Every non-empty paragraph of the .docx body, in order, tables included."""
    body = WordDocument(io.BytesIO(content)).element.body
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_text(child))
        elif tag == "tbl":
            lines += [_text(p) for p in child.iter() if p.tag.endswith("}p")]
    return [" ".join(line.split()) for line in lines if line.strip()]


def docx_text(content: bytes) -> str:
    """The paragraphs joined by newlines: what a reader of plain text (`plan read`) takes."""
    return "\n".join(docx_paragraphs(content))
