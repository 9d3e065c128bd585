"""Form widgets.

`QuickSelect` is Django's `Select` with its markup built in Python. Django renders a select
through a template, plus one included template per option: the directory's filters (the states,
experience areas, languages, genders) cost a few milliseconds a request that way, the largest
part of the directory page's time. The output is the same markup, escaped the same way
(tests/wnwa/test_widgets.py compares the two).
"""

import functools

from django import forms
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> SafeString:
    """What django/forms/widgets/attrs.html writes: True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


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


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # A model field's choices are a query: read them once, the usual way.
        if not isinstance(self.choices, list | tuple) or not _plain(choices := tuple(self.choices)):
            return self._render_any(name, value, attrs)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected, has_selected = set(self.format_value(value)), False
        parts = [format_html('<select name="{}"{}>', name, _attrs(attrs))]
        for option_value, plain, marked in _options(choices):
            # As Django's Select: one selected option at most, unless it takes several.
            if option_value in selected and (not has_selected or self.allow_multiple_selected):
                parts.append(marked)
                has_selected = True
            else:
                parts.append(plain)
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every part went through format_html

    def _render_any(self, name, value, attrs) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every part went through format_html
