"""The portal on a home screen: its manifest, its icons and the page it shows offline."""

import json
import struct

from django.contrib.staticfiles import finders
from django.test import Client


def manifest() -> dict:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def png_size(src: str) -> tuple[int, int]:
    """The width and height a PNG's header declares (the IHDR chunk, right after the signature)."""
    path = finders.find(src.removeprefix("/static/"))
    assert path, f"{src} is not a static file"
    with open(path, "rb") as png:
        head = png.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{src} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_launchers_that_cut_icons_to_a_shape_get_maskable_ones_at_both_sizes():
    icons = manifest()["icons"]
    maskable = [icon for icon in icons if icon.get("purpose") == "maskable"]
    assert sorted(icon["sizes"] for icon in maskable) == ["192x192", "512x512"]
    for icon in maskable:
        width, height = png_size(icon["src"])
        assert icon["type"] == "image/png" and icon["sizes"] == f"{width}x{height}"
    # The plain icons stay for every other launcher (no purpose means "any").
    plain = [icon for icon in icons if icon.get("purpose", "any") == "any"]
    assert {icon["sizes"] for icon in plain} >= {"192x192", "512x512", "any"}
    for icon in plain:
        if icon["type"] == "image/png":
            assert icon["sizes"] == "{}x{}".format(*png_size(icon["src"]))


def test_a_long_press_on_the_icon_offers_find_a_peer():
    shortcuts = manifest()["shortcuts"]
    assert [(s["name"], s["url"]) for s in shortcuts] == [("Find a peer", "/directory/")]
    for icon in shortcuts[0]["icons"]:
        assert icon["sizes"] == "{}x{}".format(*png_size(icon["src"]))


def test_the_offline_page_follows_the_phones_light_or_dark_setting():
    page = Client().get("/offline/").content.decode()
    assert '<meta name="color-scheme" content="light dark">' in page
    assert 'href="tel:988"' in page
