"""Form widgets.

`QuickSelect` is Django's `Select` with the markup of flat, plain choices built in Python. Django
renders a select through a template, plus one included template per option: the directory's
filters (the states, experience areas, languages, genders) cost a few milliseconds a request
that way, the largest part of the directory page's time. The output is the same markup, escaped
the same way (tests/wnwa/test_widgets.py compares the two), groups (the states with listed peers
first) included; a model field's choices are rendered by Django itself.
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
