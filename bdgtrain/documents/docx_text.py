"""A .docx read back as plain text: its paragraphs in reading order (a table row by row, cell by cell), each
with its spaces collapsed and empty ones dropped. Used to check what the writers wrote, and to read a
Kế hoạch written by the app back in (the round trip of issue 23)."""
from __future__ import annotations

import io

from docx import Document as WordDocument


def _text(element) -> str:
    """The paragraph's text; a line break inside it (the signer's two authority lines) starts a new line."""
    parts = []
    for node in element.iter():
        if node.tag.endswith("}t"):
            parts.append(node.text or "")
        elif node.tag.endswith(("}br", "}cr")):
            parts.append("\n")
        elif node.tag.endswith("}tab"):
            parts.append(" ")
    return "".join(parts)


def docx_paragraphs(content: bytes) -> list[str]:
    """Every non-empty line of the .docx body, in order, tables included: a paragraph, or each line of a
    paragraph broken inside."""
    body = WordDocument(io.BytesIO(content)).element.body
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_text(child))
        elif tag == "tbl":
            lines += [_text(p) for p in child.iter() if p.tag.endswith("}p")]
    return [" ".join(line.split()) for text in lines for line in text.split("\n") if line.strip()]


def docx_text(content: bytes) -> str:
    """The paragraphs joined by newlines: what a reader of plain text (`plan read`) takes."""
    return "\n".join(docx_paragraphs(content))
