"""``report --html``: one self-contained printable page, checked as text and in a real browser
(Debian's Chromium, headless): it renders, prints to PDF on A4 and on Letter with nothing cut
off, and a screenshot is taken (CI keeps them when ``OSTEO_KIOSK_SHOTS`` names a folder)."""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from report_sim import TODAY, build, config_file

from kiosk.cli import main
from kiosk.store import report_html
from kiosk.store.reports import Prescription, build_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")
#: Paper sizes in PostScript points, as pdfinfo reports them.
PAPER = {"A4": (595.0, 842.0), "letter": (612.0, 792.0)}


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    build(folder / "log.sqlite")
    cfg = config_file(folder, folder)
    out = folder / "report.html"
    assert main(["report", "--config", str(cfg), "--today", TODAY.isoformat(),
                 "--html", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained(page):
    low = page.lower()
    assert low.startswith("<!doctype html>") and "<script" not in low
    for outside in ("src=", "href=", "url(", "@import", "<link", "<img", "<iframe"):
        assert outside not in low, outside
    # stomp force, strength load, cadence; balance: left share, wobble, one-leg stance
    assert len(re.findall(r"<svg ", page)) == 6
    assert "xmlns=\"http://www.w3.org/2000/svg\"" in page  # a namespace, not a fetch


def test_the_page_holds_every_section_pain_first(page):
    order = ["Exercise report: Margaret", "Period", "Pain and imbalance flags",
             "Front of hip stretch", "Lasting imbalance",
             "Last session", "Adherence against the prescription", "Stomp force",
             "Strength: load by week", "Marching cadence", "Pain answers",
             "Skipped or short of the dose", "Progression and clearance",
             "<h2>Balance</h2>", "Best one-leg stance", "<h2>Chair stands</h2>",
             "Norms: Rikli &amp; Jones"]
    where = [page.index(s) for s in order]
    assert where == sorted(where), order
    assert "Progression decisions" in page
    assert "Impact work" in page
    assert "not recorded yet" not in page.split("<h2>Balance</h2>")[1]  # the mat's figures
    for verdict in ("below", "within"):  # 9 then 11 stands at 76
        assert f"normal for females aged 75-79: 10-15 ({verdict})" in page
    assert "heel_raise" not in page and "Heel raises" in page


def test_an_empty_report_and_odd_names_are_safe():
    empty = build_report(today=TODAY, week_of=TODAY, rx=Prescription(), person="<Ann & Bo>")
    html = report_html.render_html(empty)
    assert "&lt;Ann &amp; Bo&gt;" in html and "<Ann" not in html
    assert "No session logged yet" in html and "No stomps in these weeks" in html


def test_html_to_standard_output(capsys, tmp_path):
    build(tmp_path / "log.sqlite")
    cfg = config_file(tmp_path, tmp_path)
    assert main(["report", "--config", str(cfg), "--html", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert main(["report", "--config", str(cfg), "--html", "-", "--json"]) == 1
    assert "--html" in capsys.readouterr().err


def _chromium(*args: str, cwd: Path) -> None:
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", *args],
                       cwd=cwd, check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _words(pdf: Path) -> list[tuple[float, float, float, float, float, float, str]]:
    """Every word with its box and its page's size, from ``pdftotext -bbox``."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    out = []
    for pg in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', text, re.S):
        w, h = float(pg.group(1)), float(pg.group(2))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</word>', pg.group(3)):
            out.append((w, h, *(float(m.group(i)) for i in range(1, 5)), m.group(5)))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and POPPLER),
                    reason="needs Debian's chromium and poppler-utils (CI installs them)")
@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_page_prints_on_a4_and_letter_with_nothing_cut_off(page, paper, tmp_path):
    # the helper's browser prints on the paper it has; here the paper is set as a printer would
    html = tmp_path / "report.html"
    html.write_text(page.replace("@page { margin: 12mm; }",
                                 f"@page {{ margin: 12mm; size: {paper}; }}"), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri(), cwd=tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and (float(size[1]), float(size[2])) == pytest.approx(PAPER[paper], abs=1)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 1 <= pages <= 4
    words = _words(pdf)
    margin = 12 / 25.4 * 72 - 1  # 12 mm in points, less a point of rounding
    for w, h, x0, y0, x1, y1, word in words:  # every word inside the printable area
        assert margin <= x0 and x1 <= w - margin and margin <= y0 and y1 <= h - margin, word
    # Chromium shrinks a page that is too wide to fit: the 16 pt heading would then print
    # smaller (about 12 pt for a 400 mm table), so its size proves nothing was squeezed in
    heading = next(wd for wd in words if wd[-1] == "Margaret")
    assert heading[5] - heading[3] >= 16, heading
    text = " ".join(word for *_, word in words)
    for needed in ("Margaret", "flags", "Adherence", "Stomp", "Strength", "Marching",
                   "Skipped", "Balance", "Heel", "raises", "Chair", "Rikli",
                   "imbalance"):
        assert needed in text, needed
    shots = Path(os.environ.get("OSTEO_KIOSK_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(shots / f"report-{paper}")],
                   check=True, timeout=60)
    assert len(list(shots.glob(f"report-{paper}*.png"))) == pages


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium (CI installs it)")
def test_a_screenshot_of_the_page(page, tmp_path):
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    shots = Path(os.environ.get("OSTEO_KIOSK_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    png = shots / "report-screen.png"
    _chromium(f"--screenshot={png}", "--window-size=900,2600", html.as_uri(), cwd=tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # drawn, not blank
