"""`make screenshots`: a PNG of every main page of the tour (tests/browser/tour.py) at 1366×900 and
390×844, in docs/screenshots/, and the index docs/SCREENSHOTS.md.

The app runs on a throw-away SQLite database (migrated, then filled by `tour.build_world`, i.e. the
demo of `make run`), served on a free local port, and is driven by headless Chromium
(/usr/bin/chromium or $CHROMIUM_PATH). Each PNG is the first screen (the viewport), which is what a
person sees on opening the page and keeps the files small.

    python -m tests.browser.screenshots [--out docs/screenshots] [--serve]

`--serve` builds the same world and keeps it served (with the accounts of tour.ACCOUNTS and the test
password), to look at the pages by hand; Ctrl-C stops it.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "docs" / "SCREENSHOTS.md"
ROLE_NAMES = {"anonymous": "Không đăng nhập (học viên)", "organiser": "Người tổ chức (Sở LĐ-TB&XH)",
              "supplier": "Đơn vị gửi danh sách (Sở Nội vụ)", "monitor": "Người giám sát (Hội LHPN)",
              "admin": "Quản trị"}


def _app(database: Path):
    from flask_migrate import upgrade

    from bdgtrain import create_app

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                                           "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None})
    with app.app_context():
        upgrade()
    return app


def _log_in(page, base: str, email: str) -> None:
    from tests import factories as make

    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(make.PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_role("button", name="Đăng xuất").wait_for()


def save_small_png(png: bytes, path: Path) -> None:
    """A 256-colour PNG: pages are flat text and a few colours, so this is a third of the size and looks
    the same (62 images: 5.2 MB in full colour)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True)


def shoot(base: str, ids: dict, out: Path) -> list[tuple]:
    """Every tour page at both widths; returns (role, page, {size: file name}) in tour order."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CONTEXT_DEFAULTS, launch_browser
    from tests.browser.tour import ACCOUNTS, VIEWPORTS, pages_by_role

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    shots = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for role, pages in pages_by_role():
            files = {tour_page.slug: {} for tour_page in pages}
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, **CONTEXT_DEFAULTS)
                page = context.new_page()
                if role != "anonymous":
                    _log_in(page, base, ACCOUNTS[role])
                for tour_page in pages:
                    page.goto(base + tour_page.path(ids), wait_until="load")
                    page.wait_for_timeout(300)  # the kiosk's code, the live counts
                    name = f"{tour_page.slug}-{size}.png"
                    save_small_png(page.screenshot(animations="disabled", caret="hide"), out / name)
                    files[tour_page.slug][size] = name
                context.close()
            shots.extend((role, tour_page, files[tour_page.slug]) for tour_page in pages)
        browser.close()
    return shots


def write_index(shots: list[tuple], out: Path) -> None:
    folder = out.relative_to(INDEX.parent).as_posix()
    lines = ["# Screenshots of the main pages", "",
             "Made by `make screenshots` (tests/browser/screenshots.py) from the demo of `make run`, with the",
             "pages of `tests/browser/tour.py` — the same pages the accessibility check",
             "(tests/browser/test_accessibility_e2e.py) runs axe-core on. Each image is the first screen at",
             "1366×900 (a laptop) and at 390×844 (a phone). Run the command again after changing a page.", ""]
    for role in dict.fromkeys(shot[0] for shot in shots):
        lines += [f"## {ROLE_NAMES[role]}", "", "| trang | 1366×900 | 390×844 |", "|---|---|---|"]
        for _role, tour_page, files in (shot for shot in shots if shot[0] == role):
            cells = " | ".join(f"[{size}]({folder}/{name})" for size, name in files.items())
            lines.append(f"| {tour_page.title} (`{tour_page.template}`) | {cells} |")
        lines.append("")
    INDEX.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--serve", action="store_true", help="serve the world instead of taking pictures")
    args = parser.parse_args()
    os.environ.setdefault("BDGTRAIN_ENV", "testing")
    from bdgtrain.extensions import db
    from tests.browser.conftest import LiveServer
    from tests.browser.tour import build_world

    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder) / "tour.db")
        with app.app_context():
            ids = build_world(app)
            server = LiveServer(app).start()
            try:
                if args.serve:
                    print(f"{server.url}  ids: {ids}", flush=True)
                    while True:
                        time.sleep(3600)
                shots = shoot(server.url, ids, args.out.resolve())
            finally:
                server.stop()
                db.session.remove()
                db.engine.dispose()
    write_index(shots, args.out.resolve())
    size = sum(p.stat().st_size for p in args.out.glob("*.png"))
    print(f"{len(shots) * 2} captures, {size / 1e6:.1f} MB, in {args.out}; index {INDEX}")


if __name__ == "__main__":
    main()
