"""What the upload fuzz tests share: real-shaped seed files, mutations, and a guard against hangs.

A mutation keeps a file's outer shape where that is where the parser's work is: an .xlsx is a zip
whose members are mutated and zipped again (a flipped byte in the raw zip only meets the CRC check),
an .xls and a .csv have their bytes flipped, cut, repeated or spliced.
"""
from __future__ import annotations

import io
import threading
import zipfile
from datetime import date

from hypothesis import strategies as st

from tests.importers import builders
from tests.importers.builders import FOOTER, SNV_HEADER, TITLE_BLOCK

READ_SECONDS = 10  # "never more than a few seconds" on a loaded 2-core machine: a hang, not a slow read


def seeds() -> dict[str, bytes]:
    rows = TITLE_BLOCK + [SNV_HEADER] + builders.snv_people() + FOOTER
    return {
        "ds.xlsx": builders.xlsx(rows, merged=["A1:E1"]),
        "ds.xls": builders.xls(rows),
        "ds.csv": builders.csv_bytes([SNV_HEADER] + builders.snv_people()),
        "ds-cp1258.csv": builders.csv_bytes([SNV_HEADER] + builders.snv_people(), encoding="cp1258"),
        "ds-tcvn3.xlsx": builders.xlsx(rows, default_font=".VnTime"),
    }


SEEDS = seeds()


@st.composite
def byte_mutations(draw, data: bytes) -> bytes:
    """Flip, cut, repeat, insert or splice a few times."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "insert", "truncate"]))
        if not out:
            out = bytearray(draw(st.binary(min_size=1, max_size=64)))
            continue
        at = draw(st.integers(0, len(out) - 1))
        if kind == "flip":
            out[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[at:at + draw(st.integers(1, 256))]
        elif kind == "repeat":
            chunk = out[at:at + draw(st.integers(1, 512))]
            out[at:at] = chunk * draw(st.integers(1, 50))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del out[at:]
    return bytes(out)


@st.composite
def zip_member_mutations(draw, data: bytes) -> bytes:
    """The same .xlsx with one or more of its XML members mutated (or dropped), zipped again."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(members)
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            del members[name]
        else:
            members[name] = draw(byte_mutations(members[name]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


@st.composite
def uploads(draw) -> tuple[str, bytes]:
    """(filename, bytes): random bytes under any name, or a mutated real file under its own or another name."""
    choice = draw(st.sampled_from(["random", "bytes", "zip", "renamed"]))
    if choice == "random":
        return draw(st.sampled_from(["ds.xlsx", "ds.xls", "ds.csv", "ds.txt", "ds"])), draw(st.binary(max_size=4096))
    name = draw(st.sampled_from(sorted(SEEDS)))
    if choice == "zip" and name.endswith(".xlsx"):
        return name, draw(zip_member_mutations(SEEDS[name]))
    data = draw(byte_mutations(SEEDS[name]))
    if choice == "renamed":
        name = draw(st.sampled_from(["ds.xlsx", "ds.xls", "ds.csv"]))
    return name, data


def within(seconds: float, function, *args, **kwargs):
    """function(*args) in a thread; returns ("ok", value) or ("raised", exception); fails on a hang.

    A thread cannot be killed: a hung read keeps running in the background, but the test fails
    with what hung, which is the point."""
    outcome: dict = {}

    def run():
        try:
            outcome["ok"] = function(*args, **kwargs)
        except BaseException as error:  # reported to the caller, who decides what is acceptable
            outcome["raised"] = error

    worker = threading.Thread(target=run, daemon=True, name="fuzz-read")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(f"still reading after {seconds} s: a hang")
    return ("ok", outcome["ok"]) if "ok" in outcome else ("raised", outcome["raised"])


TODAY = date(2025, 6, 1)
