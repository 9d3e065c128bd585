"""The maskable home-screen icons keep the heart inside the safe zone: the circle of 40 % of the
icon's width around its centre, which every launcher's mask (circle, squircle, teardrop) leaves
whole. Outside it only the background colour may show. The pixels are read in the browser."""

import pytest

pytestmark = pytest.mark.e2e

# Each icon drawn on a canvas: the farthest pixel from the centre (in fractions of the width) that
# is not the background colour, and whether the heart (white) is there at all.
MEASURE = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const size = image.naturalWidth;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, size, size).data;
  const [r0, g0, b0] = data;  // the corner: the background
  let farthest = 0, white = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const distance = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) / size;
      if (Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) > 6) {
        farthest = Math.max(farthest, distance);
      }
      if (data[i] > 250 && data[i + 1] > 250 && data[i + 2] > 250) white++;
    }
  }
  return {size, farthest, white: white / (size * size), opaque: data[3] === 255,
          background: [r0, g0, b0]};
}"""


def test_the_maskable_icons_keep_the_heart_inside_the_safe_zone(browser, server):
    page = browser.new_page()
    page.goto(server.url + "/offline/")
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    maskable = [icon for icon in manifest["icons"] if icon.get("purpose") == "maskable"]
    assert len(maskable) == 2
    for icon in maskable:
        measured = page.evaluate(MEASURE, icon["src"])
        assert f"{measured['size']}x{measured['size']}" == icon["sizes"]
        # Full bleed: the corner is the header's dark blue, opaque, as the mask will show it.
        assert measured["opaque"] and measured["background"] == [16, 33, 47], measured
        assert measured["farthest"] <= 0.40, f"{icon['src']} reaches outside the safe zone"
        assert measured["white"] > 0.15, f"{icon['src']}: the heart is missing or too small"
    page.close()
