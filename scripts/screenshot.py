"""Take the README's screenshot of STATUS.md as a visitor sees it on GitHub (a dev tool).

STATUS.md is rendered by cmarkgfm (GitHub's Markdown renderer), styled with
github-markdown-css, and shot by headless Chromium. Offline, two things GitHub would draw are
stood in for, in the screenshot only: avatars become initials on a coloured disc, and each
Mermaid `xychart-beta` block is drawn as the same chart in inline SVG (GitHub renders Mermaid
in the browser).

    python scripts/screenshot.py [--markdown STATUS.md] [--out docs/status.png]

Without --markdown it renders the demo-like data the tests use (tests/statusdemo.py).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import subprocess
import sys
import tempfile
from base64 import b64encode
from collections.abc import Sequence
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "tests" / "node_modules" / "github-markdown-css" / "github-markdown-light.css"
AVATAR = re.compile(r'src="https://github\.com/([\w-]+)\.png\?size=\d+"')
MERMAID = re.compile(r'<pre lang="mermaid"><code>(.*?)</code></pre>', re.DOTALL)
PALETTE = ("#0969da", "#8250df", "#1a7f37", "#bf3989", "#9a6700", "#cf222e", "#116329")


def demo_markdown() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    import statusdemo
    from ante.render import status_view, templates

    view = status_view.view(statusdemo.sources(), statusdemo.NOW)
    return templates.render(ROOT, "STATUS.md.j2", **view.context())


def avatar(match: re.Match[str]) -> str:
    login = match.group(1)
    colour = PALETTE[int(hashlib.sha256(login.encode()).hexdigest(), 16) % len(PALETTE)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
        f'<circle cx="20" cy="20" r="20" fill="{colour}"/>'
        '<text x="20" y="27" font-family="sans-serif" font-size="20" fill="#fff" '
        f'text-anchor="middle">{login[:1].upper()}</text></svg>'
    )
    return f'src="data:image/svg+xml;base64,{b64encode(svg.encode()).decode()}"'


def _numbers(spec: str, kind: str) -> list[list[float]]:
    found = re.findall(rf"^\s*{kind} \[(.*)\]$", spec, flags=re.MULTILINE)
    return [[float(v) for v in row.split(",")] for row in found]


def chart(match: re.Match[str]) -> str:
    """A Mermaid xychart (bars and lines over labelled x values) as inline SVG."""
    spec = html.unescape(match.group(1))
    title = re.search(r'title "(.*)"', spec)
    labels = re.findall(r'"([^"]*)"', re.search(r"x-axis \[(.*)\]", spec).group(1))
    top = float(re.search(r"--> (\d+)", spec).group(1)) or 1
    bars, lines = _numbers(spec, "bar"), _numbers(spec, "line")
    width, height, left, right, up, down = 760, 300, 50, 20, 40, 30
    plot_w, plot_h = width - left - right, height - up - down
    step = plot_w / max(1, len(labels))

    def y(value: float) -> float:
        return up + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="-apple-system,Segoe UI,sans-serif" font-size="12">',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">'
        f"{html.escape(title.group(1) if title else '')}</text>",
    ]
    for tick in range(5):
        value = top * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}" '
            'stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4}" text-anchor="end" fill="#57606a">'
            f"{value:g}</text>"
        )
    for series in bars:
        for i, value in enumerate(series):
            x = left + i * step + step * 0.15
            parts.append(
                f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{step * 0.7:.1f}" '
                f'height="{up + plot_h - y(value):.1f}" fill="#b6c8ff"/>'
            )
    for series in lines:
        points = " ".join(
            f"{left + i * step + step / 2:.1f},{y(v):.1f}" for i, v in enumerate(series)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="#e16f24" stroke-width="3"/>')
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + i * step + step / 2:.1f}" y="{height - 10}" '
            f'text-anchor="middle" fill="#57606a">{html.escape(label)}</text>'
        )
    parts.append("</svg>")
    return "<p>" + "".join(parts) + "</p>"


def page(markdown: str) -> str:
    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    body = MERMAID.sub(chart, AVATAR.sub(avatar, body))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        + CSS.read_text(encoding="utf-8")
        + "body{margin:0;background:#fff}"
        ".markdown-body{box-sizing:border-box;max-width:980px;margin:0 auto;padding:32px 45px}"
        ".markdown-body img{border-radius:50%;vertical-align:middle}"
        '</style></head><body><article class="markdown-body">' + body + "</article></body></html>"
    )


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("screenshot: no Chromium found (Debian: apt-get install chromium)")


def shoot(html_text: str, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "status.html"
        source.write_text(html_text, encoding="utf-8")
        profile = Path(tmp) / "profile"
        profile.mkdir()
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                f"--screenshot={out.resolve()}",
                f"--window-size={width},{height}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="a rendered STATUS.md (default: demo data)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "status.png")
    parser.add_argument("--html", type=Path, help="also keep the page shot, for a look")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=2340)  # down to the maintenance queue
    args = parser.parse_args(argv)
    markdown = args.markdown.read_text(encoding="utf-8") if args.markdown else demo_markdown()
    text = page(markdown)
    if args.html:
        args.html.write_text(text, encoding="utf-8")
    shoot(text, args.out, args.width, args.height)
    sys.stdout.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
