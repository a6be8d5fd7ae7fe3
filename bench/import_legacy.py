"""Time `phucdong-site import` over N generated legacy pages (text and HTML, a few broken).

    python bench/import_legacy.py [N]

Prints the wall time of the first run (imports) and the second run (all skipped).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from legacy_pages import write_generated_folder  # noqa: E402


def timed_import(site: Path, pages: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "phucdong_site", "import", str(pages)],
                            cwd=site, capture_output=True, text=True)
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        (site / "content").mkdir(parents=True)
        (site / "site.toml").write_text('[categories]\ntin-tuc-su-kien = "Tin tức - sự kiện"\n'
                                        'van-hoa = "Văn hoá - xã hội"\n', encoding="utf-8")
        write_generated_folder(Path(tmp) / "pages", count)
        for label in ("first run", "second run"):
            seconds, summary = timed_import(site, Path(tmp) / "pages")
            print(f"{label}: {seconds:.2f} s  ({summary})")


if __name__ == "__main__":
    main()
