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
