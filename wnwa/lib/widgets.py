"""Form widgets.

`QuickSelect` is Django's `Select` with the markup of plain choices built in Python. Django
renders a select through a template, plus one included template per option: the directory's
filters (the states, experience areas, languages, genders) cost a few milliseconds a request
that way, the largest part of the directory page's time. The output is the same markup, escaped
the same way (tests/wnwa/test_widgets.py compares the two), groups (the states with listed peers
first) included; a model field's choices are rendered by Django itself. `QuickTextInput` and
`QuickCheckboxInput` do the same for an input, a template and an include less each.
"""

import functools

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@functools.lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str | int, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each option's value and its markup, unselected and selected, escaped once per list."""
    return tuple(
        (
            str(value),
            format_html('<option value="{}">{}</option>', value, label),
            format_html('<option value="{}" selected>{}</option>', value, label),
        )
        for value, label in choices
    )


def _plain(choices: tuple) -> bool:
    """Flat choices of plain values (no groups, no model rows): their markup can be kept."""
    return all(
        isinstance(value, str | int) and isinstance(label, str | Promise)
        for value, label in choices
    )


def _grouped(choices) -> tuple | None:
    """The choices as a tuple of (group label or None, plain choices), or None when they are
    not plain (a model field's query, or rows in the labels): those take Django's own way."""
    if not isinstance(choices, list | tuple):
        return None
    groups: list[tuple[str | None, tuple]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            options = tuple(tuple(option) for option in label)
            if not isinstance(value, str | Promise) or not _plain(options):
                return None
            groups.append((value, options))
        elif _plain(((value, label),)):
            if groups and groups[-1][0] is None:
                groups[-1] = (None, (*groups[-1][1], (value, label)))
            else:
                groups.append((None, ((value, label),)))
        else:
            return None
    return tuple(groups)


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        groups = _grouped(self.choices)
        if groups is None:
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected, has_selected = set(self.format_value(value)), False
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for group, choices in groups:
            if group is not None:
                parts.append(format_html('<optgroup label="{}">', group))
            for option_value, plain, marked in _options(choices):
                # As Django's Select: one selected option at most, unless it takes several.
                if option_value in selected and (not has_selected or self.allow_multiple_selected):
                    parts.append(marked)
                    has_selected = True
                else:
                    parts.append(plain)
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every part went through format_html


class _QuickInput:
    """An input's markup built in Python, as Django's `input.html` and `attrs.html` write it
    (tests/wnwa/test_widgets.py compares them): one template less per field."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            _attributes(widget["attrs"]),
        )


def _attributes(attrs: dict) -> SafeString:
    """As Django's `attrs.html`, in the same order: True as a bare name, False left out
    (`flatatt` puts the bare names last)."""
    return mark_safe(  # noqa: S308 - every part went through format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(_QuickInput, forms.CheckboxInput):
    pass
