"""Small HTML readers for tests: the standard library's parser, no extra dependency."""

from html.parser import HTMLParser


class Elements(HTMLParser):
    """Every start tag as (tag, attrs), with whether it sits inside <main>; script bodies."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], bool]] = []
        self.script_bodies: list[str] = []
        self._in_main = 0
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main += 1
        if tag == "script":
            self._in_script = True
        self.elements.append((tag, dict(attrs), self._in_main > 0))

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main -= 1
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_bodies.append(data)

    def find(self, tag: str, *, in_main: bool | None = None) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs, inside in self.elements
            if name == tag and (in_main is None or inside == in_main)
        ]


def elements(response) -> Elements:
    return Elements(response.content.decode())


def outbound_links(response) -> list[dict[str, str | None]]:
    """Links that leave the site (http/https to any host): they must carry rel=noreferrer."""
    return [
        attrs
        for attrs in elements(response).find("a")
        if (attrs.get("href") or "").startswith(("http://", "https://", "//"))
    ]


def squashed(html: str) -> str:
    """The markup with each run of whitespace as one space, as a browser reads it.

    Templates break their lines wherever HTML collapses whitespace (at most 120 characters a line),
    so a test looks for a phrase or a tag as shown, not for where the template's line ended.
    """
    return " ".join(html.split())
