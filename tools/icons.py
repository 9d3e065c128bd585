"""Draw the home-screen PNG icons from their SVG source, in the e2e tests' Chromium.

    make icons

A maskable icon (static/icons/icon-maskable.svg) fills its square with the background colour and
keeps the heart inside the safe zone, the circle of 40 % of the width around the centre that
every launcher's mask leaves visible (tests/e2e/test_installed.py checks the pixels). The PNGs
are committed: the server never draws them.
"""

import base64
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
# (source, size, output)
DRAWN = [
    ("icon-maskable.svg", 192, "icon-maskable-192.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
]
CHROMIUM = os.environ.get("WNWA_CHROMIUM", "/usr/bin/chromium")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for source, size, output in DRAWN:
            svg = base64.b64encode((ICONS / source).read_bytes()).decode()
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                f'<body style="margin:0"><img src="data:image/svg+xml;base64,{svg}" '
                f'width="{size}" height="{size}" style="display:block"></body>'
            )
            page.wait_for_load_state()
            page.screenshot(path=ICONS / output)
            page.close()
            print(f"static/icons/{output}: {size} x {size} from {source}", file=sys.stderr)
        browser.close()


if __name__ == "__main__":
    main()
