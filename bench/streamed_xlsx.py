"""Benchmark: the streamed .xlsx writer (services/core/xlsx_stream.py) on a 100,000-row export.

Pure: no database, no Flask. The rows have the shape of the training-records export (issue 22): a
Vietnamese name, a birth date, the sex, an ID number kept as text, the unit, the kind, a title, a
provider, two dates, "Có"/"Không" and a certificate number; they are made one by one as the writer
asks for them (a generator, as the export's yield_per query hands them over).

Measured, each in a fresh process (so its peak memory, VmHWM, is its own), N times:
- `stream`: stream_xlsx's chunks read one after the other and dropped, as a server sends them: the
  time to the first chunk, the total time, the bytes, the peak memory;
- `openpyxl`: the reference, in the same run: openpyxl's write_only workbook, `append(row)` per row,
  saved to memory (a view needs the bytes before it can send the first one, so its first byte comes
  at its total time).
Best and median are printed, with the ratios stream/openpyxl (total time, peak memory).

Goals (issue 22): first byte under 1 s and peak memory under 200 MB for 100,000 rows. The exit code
is 1 when a goal is missed.

    .venv/bin/python bench/streamed_xlsx.py [--rows 100000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_BYTE_SECONDS, PEAK_MB = 1.0, 200.0
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thị Thanh", "Thị Hồng", "Thị Kim"]
GIVEN = ["Hoa", "Lan", "Mai", "Đào", "Thu", "Hà", "Hương", "Hạnh", "Hằng", "Loan", "Nga", "Oanh", "Phương", "Yến"]
UNITS = ["UBND huyện Cẩm Xuyên", "Sở Lao động - Thương binh và Xã hội", "Huyện ủy Can Lộc", "UBND xã Kỳ Phương",
         "Hội Liên hiệp Phụ nữ tỉnh Hà Tĩnh", "Trường Chính trị Trần Phú"]
KINDS = ["Tập huấn", "Bồi dưỡng", "Lý luận chính trị", "Quản lý nhà nước", "Thạc sĩ"]
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị công tác", "Loại hình", "Nội dung/Tên khóa",
          "Cơ sở đào tạo", "Từ ngày", "Đến ngày", "Tính vào chỉ tiêu", "Số chứng chỉ/Quyết định"]


def rows(count: int):
    """`count` export rows, made as they are asked for (seeded: every process writes the same file)."""
    pick = random.Random(22)
    for n in range(count):
        start = date(2015, 1, 1) + timedelta(days=pick.randrange(3000))
        yield [f"{pick.choice(FAMILY)} {pick.choice(MIDDLE)} {pick.choice(GIVEN)}",
               date(1960, 1, 1) + timedelta(days=pick.randrange(14000)), "Nữ", f"0421{n:08d}",
               pick.choice(UNITS), pick.choice(KINDS), "Bồi dưỡng kiến thức quản lý nhà nước về bình đẳng giới",
               "Trường Chính trị Trần Phú", start, start + timedelta(days=pick.randrange(1, 90)),
               "Có" if n % 3 else "Không", f"QĐ {n}/QĐ-TCT"]


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_stream(count: int) -> dict:
    from bdgtrain.services.core.xlsx_stream import Cell, Sheet, stream_xlsx

    start = time.perf_counter()
    first, size = None, 0
    for chunk in stream_xlsx([Sheet("Danh sách", _with_header([Cell(h, bold=True) for h in HEADER], count))]):
        if first is None:
            first = time.perf_counter() - start
        size += len(chunk)
    return {"first": first, "total": time.perf_counter() - start, "bytes": size}


def _with_header(header, count):
    yield header
    yield from rows(count)


def measure_openpyxl(count: int) -> dict:
    from openpyxl import Workbook

    start = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    total = time.perf_counter() - start
    return {"first": total, "total": total, "bytes": len(out.getvalue())}


def child(kind: str, count: int) -> None:
    # Both writers' processes import the same modules (the app's package and openpyxl) before the clock
    # starts, so that their peaks compare; the import's own share is printed apart.
    import openpyxl  # noqa: F401

    import bdgtrain.services.core.xlsx_stream  # noqa: F401
    imported = peak_mib()
    result = (measure_stream if kind == "stream" else measure_openpyxl)(count)
    result["peak_mib"], result["imported_mib"] = peak_mib(), imported
    print(json.dumps(result))


def run(kind: str, count: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--rows", str(count)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=("stream", "openpyxl"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return 0
    results = {"stream": [], "openpyxl": []}
    for _ in range(args.repeat):
        for kind in results:  # interleaved, so a busy moment of the machine touches both
            results[kind].append(run(kind, args.rows))

    def figures(kind, key):
        values = [r[key] for r in results[kind]]
        return min(values), statistics.median(values)

    print(f"{args.rows:,} rows, {args.repeat} runs each (best / median); peak memory is the process's VmHWM, "
          f"{figures('stream', 'imported_mib')[1]:.0f} MiB of it the imports")
    print(f"{'writer':10} {'first byte':>18} {'total':>18} {'peak memory':>20} {'file':>10}")
    for kind in results:
        first, total, peak = figures(kind, "first"), figures(kind, "total"), figures(kind, "peak_mib")
        print(f"{kind:10} {first[0]:7.3f} / {first[1]:6.3f} s {total[0]:7.2f} / {total[1]:6.2f} s "
              f"{peak[0]:7.1f} / {peak[1]:6.1f} MiB {results[kind][0]['bytes'] / 2**20:7.1f} MiB")
    stream_total, ref_total = figures("stream", "total")[1], figures("openpyxl", "total")[1]
    stream_peak, ref_peak = figures("stream", "peak_mib")[1], figures("openpyxl", "peak_mib")[1]
    stream_first = figures("stream", "first")[1]
    ref_first = figures("openpyxl", "first")[1]
    print(f"ratio stream/openpyxl (medians): total time {stream_total / ref_total:.2f}×, "
          f"first byte {stream_first / ref_first:.4f}×, peak memory {stream_peak / ref_peak:.2f}×")
    ok = stream_first < FIRST_BYTE_SECONDS and stream_peak < PEAK_MB
    print(f"goals: first byte < {FIRST_BYTE_SECONDS:g} s, peak < {PEAK_MB:g} MB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
