"""Open a written report in headless Chromium (Debian's ``chromium`` package) and say what a
reader's browser lays out: sections, figures and their sizes, from the DOM after every image
has loaded; and screenshots of each section.

The report itself is never changed: a copy beside it, ``probe.html``, adds a script that, once
the page has loaded, writes the layout into the DOM, which ``--dump-dom`` returns.

    python -m tests.browser        # screenshots of the sample's report into docs/figures/
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

#: A reader's window: the report's column (60rem) fits with room to spare.
WINDOW = (1000, 900)

_PROBE = """<script>window.addEventListener("load", () => {
  const box = (e) => { const r = e.getBoundingClientRect(); return {top: r.top + scrollY, height: r.height}; };
  const out = {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
    sections: [...document.querySelectorAll("section")].map((s) => ({id: s.id, ...box(s),
      h2: (s.querySelector("h2") || {}).textContent || null,
      figures: [...s.querySelectorAll("figure")].map((f) => f.id)})),
    images: [...document.images].map((i) => ({src: i.getAttribute("src"), natural: i.naturalWidth,
      shown: i.getBoundingClientRect().width, complete: i.complete, ...box(i)})),
    scripts: document.scripts.length - 1, text: document.body.innerText};
  const pre = document.createElement("pre");
  pre.id = "refgraph-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});</script>"""


def chromium() -> str | None:
    """The path of Debian's ``chromium``, or None when it is not installed."""
    return shutil.which("chromium")


def _run(page: Path, *args: str, window: tuple[int, int] = WINDOW) -> str:
    done = subprocess.run(
        [chromium() or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={window[0]},{window[1]}", "--virtual-time-budget=10000", *args, page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return done.stdout


def layout(index: Path) -> tuple[str, dict[str, Any]]:
    """The DOM Chromium builds from ``index`` (without the probe) and the layout the probe saw."""
    probe = index.with_name("probe.html")
    probe.write_text(index.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = _run(probe, "--dump-dom")
    found = re.search(r'<pre id="refgraph-probe">(.*?)</pre>', dom, re.S)
    if found is None:
        raise RuntimeError(f"the probe found nothing in {index}; Chromium said: {dom[:300]!r}")
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    page = dom[: found.start()]
    return page[: page.rindex("<script>")], json.loads(text)  # the DOM without the probe's own script


def screenshots(index: Path, out: Path, prefix: str = "report") -> list[Path]:
    """One PNG per section of the report at ``index`` (``prefix-<section id>.png``) and one of its
    chain diagram as shown at the report's width, cropped from a full-page screenshot."""
    from PIL import Image

    _, seen = layout(index)
    full = index.with_name("full-page.png")
    _run(index, f"--screenshot={full}", window=(WINDOW[0], int(seen["height"]) + 10))
    page = Image.open(full)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    boxes = [(s["id"], s["top"], s["height"]) for s in seen["sections"]]
    boxes += [("chain-diagram", i["top"], i["height"]) for i in seen["images"] if i["src"] == "chains.png"]
    for name, top, height in boxes:
        path = out / f"{prefix}-{name}.png"
        page.crop((0, int(top) - 8, WINDOW[0], int(top + height) + 8)).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - run by hand to refresh the documentation's pictures
    import tempfile

    import refgraph as rg

    folder = Path(tempfile.mkdtemp())
    index = rg.write_report(rg.sample_network(), folder, title="refgraph: sample network")
    for path in screenshots(index, Path(__file__).resolve().parents[1] / "docs" / "figures"):
        print(path)
