"""Today is Hà Tĩnh's day everywhere: between 17:00 and 24:00 UTC the UTC date is still yesterday there, so
code that took it for today would judge a file, a deadline or a training day by the wrong date for seven hours
of every evening (and CI runs at any hour)."""
from __future__ import annotations

import re
from pathlib import Path

import bdgtrain

# The clock's date without a zone: UTC's (utcnow) or the server's (date.today, datetime.now()).
UTC_OR_SERVER_DAY = re.compile(r"utcnow\(\)\.date\(\)|\bdate\.today\(\)|datetime\.now\(\)|datetime\.utcnow\(\)")


def test_no_code_takes_the_utc_or_server_date_for_today():
    root = Path(bdgtrain.__file__).parent
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if UTC_OR_SERVER_DAY.search(line)]
    assert found == [], "use bdgtrain.localtime.local_today() (or utcnow() for a moment):\n" + "\n".join(found)
