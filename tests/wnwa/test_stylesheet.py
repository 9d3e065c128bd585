"""static/css/site.css stays one coherent stylesheet: every block closed, no rule defined twice.

Two apps once gave .pager, .filters and .plain different meanings, and an unclosed @media
block silently moved whole sections into print only."""

import re
from collections import Counter
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def rules() -> list[tuple[str, str]]:
    """(at-rule context, selector) for every style rule, nesting checked on the way."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    found, stack, prelude = [], [], ""
    for char in css:
        if char == "{":
            prelude = " ".join(prelude.split())
            if not prelude.startswith("@"):
                assert not any(not p.startswith("@") for p in stack), f"nested rule: {prelude}"
                context = " ".join(p for p in stack if p.startswith("@"))
                found += [(context, s.strip()) for s in prelude.split(",")]
            stack.append(prelude)
            prelude = ""
        elif char == "}":
            assert stack, "a } closes nothing"
            stack.pop()
            prelude = ""
        elif char == ";" and (not stack or stack[-1].startswith("@")):
            prelude = ""  # a statement at-rule or a stray declaration
        else:
            prelude += char
    assert stack == [], f"unclosed blocks: {stack}"
    return found


def test_every_block_is_closed_and_media_queries_do_not_nest():
    for context, _ in rules():
        assert context.count("@media") <= 1, context


def test_no_selector_is_defined_twice_in_the_same_context():
    counts = Counter(rules())
    assert [rule for rule, n in counts.items() if n > 1] == []


# The frame keeps its colours in both themes: white on the dark blue header, white on the red
# crisis strip (and the poster's crisis box). Everything else takes its colours from the theme.
FIXED_COLOURS = (
    ".site-header",
    ".brand",
    ".header-actions",
    ".site-nav",
    ".crisis",
    ".poster-crisis",
)
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(")


def declarations() -> list[tuple[str, str]]:
    """(selector, declarations) of every innermost block: style rules, inside @media or not."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    return [
        (" ".join(selector.split()), body)
        for selector, body in re.findall(r"([^{};]+)\{([^{}]*)\}", css)
    ]


def variables(body: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+)", body))


def test_colours_come_from_the_theme_so_dark_mode_reaches_every_component():
    """A colour written into a component would stay light-theme in dark mode: only :root (the
    theme) and the frame that looks the same in both may name one."""
    written = [
        f"{selector} {{{body.strip()}}}"
        for selector, body in declarations()
        if selector != ":root"
        and COLOUR.search(body)
        and not all(part.strip().startswith(FIXED_COLOURS) for part in selector.split(","))
    ]
    assert written == []


def test_the_dark_theme_gives_every_colour_of_the_light_one_its_own_value():
    """Dark mode follows the phone's setting, on screens only (a poster printed from a phone in
    dark mode still prints dark on white), and tells the browser so its form controls follow."""
    assert ("@media screen and (prefers-color-scheme: dark)", ":root") in rules()
    light, dark = (body for selector, body in declarations() if selector == ":root")
    assert "color-scheme: light;" in light and "color-scheme: dark;" in dark
    light, dark = variables(light), variables(dark)
    colours = {name for name, value in light.items() if COLOUR.search(value)}
    # The same in both themes: the header and crisis strip behind white text, the focus ring.
    shared = {"--header", "--crisis", "--focus"}
    assert sorted(colours - shared - set(dark)) == []
    assert [name for name in dark if dark[name] == light.get(name)] == []
