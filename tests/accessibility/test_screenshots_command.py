"""``manage.py screenshots`` makes every README screenshot from the demo, as real PNGs, without touching real data."""

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, require_service

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "public-home",
    "public-article",
    "request-form-desktop",
    "request-form-phone",
    "request-form-arabic-phone",
    "request-form-errors",
    "not-found",
    "admin-source-page",
    "status-waiting-for-reply",
    "transparency",
    "admin-start-page",
    "admin-request-queue",
    "admin-request-apply",
    "admin-source-urls",
    "admin-import-conflict",
    "admin-article-history",
    "admin-login-lockout",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_command_saves_every_screenshot_as_a_real_png(tmp_path):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        require_service("chromium", f"{CHROMIUM} not found; install Debian's chromium package")
    out = tmp_path / "shots"
    env = {name: value for name, value in os.environ.items() if name != "SQLITE_PATH"}
    env["CITEWATCH_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [sys.executable, "manage.py", "screenshots", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    assert {path.stem for path in out.glob("*.png")} == EXPECTED
    for path in out.glob("*.png"):
        width, height = png_size(path)
        # A page, not a blank: the size of the window it was taken in, and more than a few KiB of pixels.
        assert width in (390, 1280) and height >= 800, (path.name, width, height)
        assert path.stat().st_size > 15_000, path.name
    assert png_size(out / "request-form-phone.png")[0] == 390
    assert png_size(out / "request-form-arabic-phone.png")[0] == 390
    assert "17 screenshots" in done.stdout
    # The demo lived in a throwaway database: the configured one (SQLite here) was never written.
    configured = tmp_path / "var" / "citewatch.sqlite3"
    assert not configured.exists() or configured.stat().st_size == 0
