"""Benchmark: the official-document writers (issue 19) on a province-sized report and a class's certificates.

Pure: no database, no Flask. Everything is built from documents.model and written by documents.docx_writer,
pdf_writer and xlsx_writer, exactly as the services call them.

1. A province-scale periodic report: a Document with the decree's header, a few headings and paragraphs,
   the trained-share table of 1,000 unit rows (the shape of services.reporting.report_document: name, three
   counts, two percentages, a status word, a count), a 60-row class table (nine columns), a signature and
   five recipients; written by write_docx, write_pdf and write_xlsx. Reference, measured in the same run:
   the same two tables' rows written with the bare library and no layout — openpyxl's
   `Workbook().active.append(row)`, python-docx's `Document().add_table(rows, cols)` filling `cell.text`,
   fpdf2's `FPDF` with the vendored Liberation Serif writing one `cell` per value.
2. A class's certificates: 300 A4-landscape certificate Documents (each with its own QR code, a PNG made by
   segno of a 62-character verifying URL, a few centred paragraphs and the signature), written by
   write_pdf(list) as ONE PDF and write_docx(list) as one .docx. References: fpdf2 bare, one page per
   certificate with the same text and image; python-docx bare, one section per certificate.

The inputs (tables, QR PNGs) are built before the clock starts. Each measurement runs in a fresh process
(so its peak memory, VmHWM, is its own), N times; best and median are printed with the ratio to the
reference (best over best, median over median, and of the median CPU times, steadier on a shared
machine), the file's size and, for PDFs, its page count.

Goals (issue 19): the 1,000-unit report is written in each format in under 15 s (median) with a peak
memory under 500 MB; the 300 certificates' PDF is written in under 30 s (median). The exit code is 1 when
a goal is missed. A ratio to the bare library above 10x is flagged; `--profile NAME` prints the hottest
functions of one measurement under cProfile.

    .venv/bin/python bench/official_documents.py [--units 1000] [--certificates 300] [--repeat 3]
    .venv/bin/python bench/official_documents.py --quick          # 100 units, 30 certificates
    .venv/bin/python bench/official_documents.py --profile report-pdf
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 19
REPORT_SECONDS, REPORT_MB, CERTIFICATES_SECONDS = 15.0, 500.0, 30.0
RATIO_FLAG = 10.0
CLASSES = 60
STATUSES = ("Đạt", "Chưa đạt", "Vượt chỉ tiêu", "Chưa có chỉ tiêu")
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thị Thanh", "Thị Hồng", "Thị Kim"]
GIVEN = ["Hoa", "Lan", "Mai", "Đào", "Thu", "Hà", "Hương", "Hạnh", "Hằng", "Loan", "Nga", "Oanh", "Phương", "Yến"]
RECIPIENTS = ("Bộ Lao động - Thương binh và Xã hội (để b/c);", "Thường trực Tỉnh ủy (để b/c);",
              "UBND tỉnh (để b/c);", "Các sở, ban, ngành cấp tỉnh;", "Lưu: VT, BĐG.")
# (name, what it writes, the reference it is judged against)
MEASUREMENTS = {
    "report-docx": "write_docx(report)", "report-pdf": "write_pdf(report)", "report-xlsx": "write_xlsx(report)",
    "bare-docx": "python-docx add_table + cell.text", "bare-pdf": "fpdf2 one cell per value",
    "bare-xlsx": "openpyxl append",
    "certificates-pdf": "write_pdf(certificates)", "certificates-docx": "write_docx(certificates)",
    "bare-certificates-pdf": "fpdf2 one page each", "bare-certificates-docx": "python-docx one section each",
}
REFERENCE = {"report-docx": "bare-docx", "report-pdf": "bare-pdf", "report-xlsx": "bare-xlsx",
             "certificates-pdf": "bare-certificates-pdf", "certificates-docx": "bare-certificates-docx"}


# --- The inputs -------------------------------------------------------------------------------------

def report_document(units: int):
    """A whole-province periodic report: 1,000 units' trained share, 60 classes, the decree's parts."""
    from bdgtrain.documents.model import Column, Document, Header, Heading, Paragraph, Signature, Table

    rng = random.Random(SEED)
    kinds = ("Huyện", "Thị xã", "Xã", "Phường", "Thị trấn", "Phòng", "Trường", "Trung tâm")
    rows = []
    for n in range(units - 1):
        depth = 0 if n % 50 == 0 else (1 if n % 10 == 0 else 2)
        pool = rng.randint(8, 400)
        women = rng.randint(2, pool)
        trained = rng.randint(0, women)
        rows.append(("  " * depth + f"{kinds[n % len(kinds)]} {rng.choice(GIVEN)} {rng.choice(FAMILY)} số {n + 1}",
                     pool, women, trained, trained / women, rng.choice((0.5, 0.6, 0.7, None)),
                     rng.choice(STATUSES), rng.randint(0, 5)))
    totals = [sum(row[i] for row in rows) for i in (1, 2, 3)]
    rows.append(("Tổng cộng", *totals, totals[2] / totals[1], 0.6, "Chưa đạt", sum(row[7] for row in rows)))
    share = Table(columns=(Column("Đơn vị", width=34), Column("Tổng số trong diện quy hoạch", "int", 13),
                           Column("Nữ trong diện quy hoạch", "int", 12), Column("Nữ đã đào tạo, tập huấn", "int", 12),
                           Column("Tỷ lệ", "percent", 10), Column("Chỉ tiêu", "percent", 10),
                           Column("Đánh giá", width=13), Column("Nữ dự chưa đủ", "int", 10)),
                  rows=tuple(rows), total_row=True,
                  note="Tính theo các lớp kết thúc từ ngày 01/01/2020 đến ngày 31/12/2024; người dự đủ 80% số buổi.")
    classes = []
    for n in range(CLASSES):
        enrolled = rng.randint(30, 120)
        attended = rng.randint(enrolled // 2, enrolled)
        classes.append((f"Bồi dưỡng kiến thức về bình đẳng giới cho cán bộ nữ, lớp {n + 1}",
                        f"{1 + n % 28:02d}/{1 + n % 12:02d}/2024 - {2 + n % 27:02d}/{1 + n % 12:02d}/2024",
                        rng.randint(1, 5), enrolled, attended, attended / enrolled, rng.randint(0, attended),
                        rng.random(), rng.random() / 3))
    class_table = Table(columns=(Column("Lớp", width=26), Column("Thời gian", width=22), Column("Số buổi", "int", 9),
                                 Column("Được cử", "int", 9), Column("Có mặt", "int", 9),
                                 Column("Tỷ lệ có mặt", "percent", 11), Column("Hoàn thành", "int", 11),
                                 Column("Tỷ lệ nữ", "percent", 10), Column("Tỷ lệ DTTS", "percent", 10)),
                        rows=tuple(classes))
    text = ("Thực hiện Kế hoạch số 110/KH-UBND ngày 15/3/2021 của Ủy ban nhân dân tỉnh về đào tạo, bồi dưỡng cán bộ "
            "nữ trong diện quy hoạch giai đoạn 2021-2025, Sở Lao động - Thương binh và Xã hội báo cáo kết quả thực "
            "hiện năm 2024 (số liệu tính đến ngày 31/12/2024) như sau:")
    narrative = ("Các cơ quan, đơn vị đã quan tâm cử cán bộ nữ trong diện quy hoạch tham gia các lớp đào tạo, bồi "
                 "dưỡng; công tác phối hợp giữa các sở, ngành và địa phương được duy trì thường xuyên. ") * 3
    body = (Paragraph(text), Heading("I. KẾT QUẢ THỰC HIỆN", 1), Paragraph(narrative),
            Heading("1. Các lớp đào tạo, tập huấn trong kỳ", 2), Paragraph(narrative), class_table,
            Heading("2. Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn", 2), share,
            Heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", 1), Paragraph(narrative + "\n\n" + narrative),
            Heading("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1), Paragraph(narrative),
            Heading("IV. KIẾN NGHỊ, ĐỀ XUẤT", 1), Paragraph("Không có."))
    header = Header(issuing_body="Sở Lao động - Thương binh và Xã hội", number="25/BC-SLĐTBXH", place="Hà Tĩnh",
                    issued_on=date(2025, 1, 10), parent_body="UBND tỉnh Hà Tĩnh")
    return Document(header=header, kind="BÁO CÁO", summary="Kết quả thực hiện Kế hoạch số 110/KH-UBND năm 2024",
                    body=body, signature=Signature(title="Phó Giám đốc", name="Nguyễn Văn Ánh",
                                                   authority="KT. Giám đốc"),
                    recipients=RECIPIENTS, meta={"subject": "KH-2021: Báo cáo năm 2024"})


def qr_png(url: str) -> bytes:
    import segno

    out = BytesIO()
    segno.make(url, error="m", boost_error=False, micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def certificate_documents(count: int) -> list:
    """A class's certificates: one landscape Document per participant, each with its own verifying QR code."""
    from bdgtrain.documents.model import Document, Header, Image, Paragraph, Signature

    rng = random.Random(SEED + 1)
    documents = []
    for n in range(count):
        token = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(16))
        url = f"https://bdgtrain.hatinh.gov.vn/chung-nhan/GCN-2024-{n + 1:05d}-{token}"  # 62 characters
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        body = (Paragraph(f"Chứng nhận bà {name}", bold=True, align="center", size=20),
                Paragraph(f"Sinh năm {rng.randint(1970, 1995)}; đơn vị công tác: UBND xã Thạch {rng.choice(GIVEN)}",
                          align="center"),
                Paragraph("Đã hoàn thành lớp bồi dưỡng kiến thức về bình đẳng giới cho cán bộ nữ trong diện quy "
                          "hoạch, từ ngày 02/12/2024 đến ngày 06/12/2024.", align="center"),
                Image(qr_png(url), width_mm=25, caption=f"Số vào sổ: GCN-2024-{n + 1:05d}"))
        header = Header(issuing_body="Trung tâm Dịch vụ việc làm", number=f"{n + 1}/GCN-TTDVVL", place="Hà Tĩnh",
                        issued_on=date(2024, 12, 15), parent_body="Sở Lao động - Thương binh và Xã hội")
        documents.append(Document(header=header,
                                  kind="Giấy chứng nhận", summary="Hoàn thành lớp bồi dưỡng", body=body,
                                  signature=Signature(title="Giám đốc", name="Lê Văn Cường"), landscape=True))
    return documents


def table_rows(document) -> list[tuple]:
    from bdgtrain.documents.model import Table

    return [(table, table.rows) for table in document.body if isinstance(table, Table)]


# --- The references: the bare libraries, no layout --------------------------------------------------

def bare_xlsx(document) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for table, rows in table_rows(document):
        sheet.append([column.title for column in table.columns])
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_docx(document) -> bytes:
    from docx import Document as WordDocument

    from bdgtrain.documents.model import cell_text

    word = WordDocument()
    for table, rows in table_rows(document):
        grid = word.add_table(rows=1 + len(rows), cols=len(table.columns))
        grid_rows = grid.rows
        for cell, column in zip(grid_rows[0].cells, table.columns):
            cell.text = column.title
        for grid_row, values in zip(grid_rows[1:], rows):
            for cell, column, value in zip(grid_row.cells, table.columns, values):
                cell.text = cell_text(value, column.kind)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _bare_fpdf():
    from fpdf import FPDF

    from bdgtrain.documents import layout

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("LiberationSerif", "", str(layout.FONT_DIR / layout.FONT_FILES[""]))
    pdf.set_font("LiberationSerif", "", 11)
    return pdf


def bare_pdf(document) -> bytes:
    from bdgtrain.documents.model import cell_text

    pdf = _bare_fpdf()
    pdf.add_page()
    for table, rows in table_rows(document):
        width = pdf.epw / len(table.columns)
        for values in [tuple(column.title for column in table.columns)] + list(rows):
            for column, value in zip(table.columns, values):
                pdf.cell(width, 6, cell_text(value, column.kind) if isinstance(value, (int, float)) or value is None
                         else str(value))
            pdf.ln()
    return bytes(pdf.output())


def _certificate_lines(document) -> list[str]:
    from bdgtrain.documents.model import MOTTO, NATIONAL_HEADING, Paragraph

    header = document.header
    lines = [header.parent_body.upper(), header.issuing_body.upper(), NATIONAL_HEADING, MOTTO, header.date_line,
             document.kind.upper(), document.summary]
    lines += [block.text for block in document.body if isinstance(block, Paragraph)]
    return lines


def bare_certificates_pdf(documents) -> bytes:
    from bdgtrain.documents.model import Image

    pdf = _bare_fpdf()
    for document in documents:
        pdf.add_page(orientation="L")
        for line in _certificate_lines(document):
            pdf.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
        for block in document.body:
            if isinstance(block, Image):
                pdf.image(BytesIO(block.png), x=(pdf.w - block.width_mm) / 2, w=block.width_mm)
                pdf.cell(0, 7, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 7, document.signature.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 7, document.signature.name, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def bare_certificates_docx(documents) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.section import WD_SECTION
    from docx.shared import Mm

    from bdgtrain.documents.model import Image

    word = WordDocument()
    for index, document in enumerate(documents):
        if index:
            word.add_section(WD_SECTION.NEW_PAGE)
        for line in _certificate_lines(document):
            word.add_paragraph(line)
        for block in document.body:
            if isinstance(block, Image):
                word.add_picture(BytesIO(block.png), width=Mm(block.width_mm))
                word.add_paragraph(block.caption)
        word.add_paragraph(document.signature.title.upper())
        word.add_paragraph(document.signature.name)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- One measurement, in its own process ------------------------------------------------------------

def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task(name: str, units: int, certificates: int):
    """The function to time and its argument, built before the clock starts."""
    from bdgtrain.documents.docx_writer import write_docx
    from bdgtrain.documents.pdf_writer import write_pdf
    from bdgtrain.documents.xlsx_writer import write_xlsx

    writers = {"report-docx": write_docx, "report-pdf": write_pdf, "report-xlsx": write_xlsx,
               "bare-docx": bare_docx, "bare-pdf": bare_pdf, "bare-xlsx": bare_xlsx,
               "certificates-pdf": write_pdf, "certificates-docx": write_docx,
               "bare-certificates-pdf": bare_certificates_pdf, "bare-certificates-docx": bare_certificates_docx}
    argument = certificate_documents(certificates) if "certificates" in name else report_document(units)
    return writers[name], argument


def child(options) -> None:
    function, argument = task(options.child, options.units, options.certificates)
    baseline = peak_rss_mb()
    times, cpu = [], []
    for _ in range(options.repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        content = function(argument)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    pages = len(re.findall(rb"/Type /Page\b", content)) if content.startswith(b"%PDF") else None
    print(json.dumps({"times": times, "cpu": cpu, "bytes": len(content), "pages": pages,
                      "baseline_mb": baseline, "peak_mb": peak_rss_mb()}))


def profile(options) -> None:
    import cProfile
    import pstats

    function, argument = task(options.profile, options.units, options.certificates)
    profiler = cProfile.Profile()
    profiler.runcall(function, argument)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)


def measure(name: str, options) -> dict:
    command = [sys.executable, __file__, "--child", name, "--units", str(options.units),
               "--certificates", str(options.certificates), "--repeat", str(options.repeat)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000, help="rows of the trained-share table")
    parser.add_argument("--certificates", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="100 units, 30 certificates")
    parser.add_argument("--only", choices=("report", "certificates"), help="one of the two parts")
    parser.add_argument("--profile", choices=sorted(MEASUREMENTS), help="one run of a measurement under cProfile")
    parser.add_argument("--child", choices=sorted(MEASUREMENTS), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.quick:
        options.units, options.certificates = 100, 30
    if options.child:
        child(options)
        return 0
    if options.profile:
        profile(options)
        return 0

    print(f"{options.units:,} units + {CLASSES} classes; {options.certificates} certificates; "
          f"{options.repeat} runs each, every measurement in a fresh process", flush=True)
    results, failures = {}, []
    parts = [options.only] if options.only else ["report", "certificates"]
    for part in parts:
        for name in [n for n in MEASUREMENTS if ("certificates" in n) == (part == "certificates")]:
            load = load_average()
            r = results[name] = measure(name, options)
            pages = f", {r['pages']} pages" if r["pages"] is not None else ""
            print(f"{name:<23} {MEASUREMENTS[name]:<32} best {min(r['times']):6.2f} s, median "
                  f"{statistics.median(r['times']):6.2f} s (CPU {statistics.median(r['cpu']):.2f} s), "
                  f"{r['bytes'] / 1024:,.0f} KiB{pages}, peak RSS {r['peak_mb']:.0f} MB "
                  f"(inputs built {r['baseline_mb']:.0f} MB); load before {load}", flush=True)

    print()
    for name, reference in REFERENCE.items():
        if name not in results:
            continue
        r, ref = results[name], results[reference]
        best = min(r["times"]) / min(ref["times"])
        median = statistics.median(r["times"]) / statistics.median(ref["times"])
        cpu = statistics.median(r["cpu"]) / statistics.median(ref["cpu"])
        flag = f"  (above {RATIO_FLAG:.0f}x: see --profile {name})" if median > RATIO_FLAG else ""
        if name.startswith("report"):
            seconds, limit = statistics.median(r["times"]), REPORT_SECONDS
            ok = seconds < limit and r["peak_mb"] < REPORT_MB
            goal = f"goal < {limit:.0f} s and < {REPORT_MB:.0f} MB"
        elif name == "certificates-pdf":
            seconds, limit = statistics.median(r["times"]), CERTIFICATES_SECONDS
            ok = seconds < limit
            goal = f"goal < {limit:.0f} s"
        else:
            ok, goal = True, "no goal"
        verdict = ("MET" if ok else "NOT MET") if goal != "no goal" else "-"
        full_size = (options.units, options.certificates) == (1000, 300)
        if goal != "no goal" and not full_size:
            verdict += " (at another size than the goal's 1,000 units, 300 certificates)"
        print(f"{name:<18} ratio to {reference:<23} {best:5.2f}x best, {median:5.2f}x median, {cpu:5.2f}x CPU; "
              f"{goal} -> {verdict}{flag}")
        if not ok:
            failures.append(name)
    if failures:
        print(f"goals missed: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
