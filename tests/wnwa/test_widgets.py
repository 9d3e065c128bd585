"""QuickSelect writes what Django's own Select writes, faster."""

import re

import pytest
from django import forms

from tests.factories import ExperienceAreaFactory
from wnwa.lib.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput

CHOICES = [
    ("", "Any"),
    ("IL", "Illinois"),
    ('x"><script>alert(1)</script>', '<b>Bold & "quoted"</b>'),
    (7, "Seven"),
]


def markup(html: str) -> str:
    """The same markup: Django's template puts newlines and spaces between the tags."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def both(field_factory, name="state", value=None, attrs=None):
    class Django(forms.Form):
        state = field_factory(forms.Select)

    class Quick(forms.Form):
        state = field_factory(QuickSelect)

    data = None if value is None else {name: value}
    django_html = Django(data)[name].as_widget(attrs=attrs)
    quick_html = Quick(data)[name].as_widget(attrs=attrs)
    return markup(django_html), markup(quick_html)


@pytest.mark.parametrize("value", [None, "", "IL", "7", 'x"><script>alert(1)</script>', "nope"])
def test_a_plain_select_reads_as_django_writes_it(value):
    def field(widget):
        return forms.ChoiceField(choices=CHOICES, required=False, widget=widget)

    django_html, quick_html = both(field, value=value, attrs={"aria-describedby": "help"})
    assert quick_html == django_html
    assert "<script>" not in quick_html and "<b>" not in quick_html


def test_only_one_option_is_selected_when_values_repeat():
    def field(widget):
        return forms.ChoiceField(choices=[("a", "A"), ("a", "A again")], widget=widget)

    django_html, quick_html = both(field, value="a")
    assert quick_html == django_html and quick_html.count("selected") == 1


@pytest.mark.parametrize("value", [None, "WI", "TX", "<x>"])
def test_grouped_choices_read_as_django_writes_them(value):
    def field(widget):
        groups = [
            ("", "Any state"),
            ("Midwest & <north>", [("IL", "Illinois"), ("WI", "Wisconsin")]),
            ("TX", "Texas"),
            ("Others", [("<x>", "<b>Hostile</b>"), ("AK", "Alaska")]),
        ]
        return forms.ChoiceField(choices=groups, required=False, widget=widget)

    django_html, quick_html = both(field, value=value)
    assert quick_html == django_html and quick_html.count("<optgroup") == 2
    assert "<north>" not in quick_html and "<b>" not in quick_html


def test_the_directorys_state_list_reads_as_django_writes_it():
    from peers.forms import DirectoryForm

    def form(widget):
        directory = DirectoryForm({"state": "IL"}, areas=[], languages=[], states_with_peers=["IL"])
        directory.fields["state"].widget = widget(choices=directory.fields["state"].choices)
        return markup(directory["state"].as_widget())

    assert form(QuickSelect) == form(forms.Select)
    assert "States with peers listed" in form(QuickSelect)


@pytest.mark.django_db
def test_a_model_choice_select_reads_as_django_writes_it():
    ExperienceAreaFactory(name="<Hostile>", slug="hostile")
    from peers.models import ExperienceArea

    def field(widget):
        return forms.ModelChoiceField(
            ExperienceArea.objects.all(), to_field_name="slug", required=False, widget=widget
        )

    django_html, quick_html = both(field, value="hostile")
    assert quick_html == django_html and "&lt;Hostile&gt;" in quick_html


@pytest.mark.parametrize("value", [None, "", "Cook", 'x"><script>alert(1)</script>', "&amp;"])
@pytest.mark.parametrize("attrs", [{}, {"type": "search", "autocomplete": "off", "disabled": True}])
def test_a_text_input_reads_as_django_writes_it(value, attrs):
    def form(widget):
        class Form(forms.Form):
            county = forms.CharField(required=False, max_length=5, widget=widget(attrs=attrs))

        bound = Form(None if value is None else {"county": value})
        bound.is_valid()  # an error (too long) adds aria-invalid and aria-describedby
        return markup(bound["county"].as_widget())

    assert form(QuickTextInput) == form(forms.TextInput)
    assert "<script>" not in form(QuickTextInput)


@pytest.mark.parametrize("value", [None, "", "on", "false", "1"])
def test_a_checkbox_reads_as_django_writes_it(value):
    def form(widget):
        class Form(forms.Form):
            available = forms.BooleanField(required=False, help_text="Help.", widget=widget)

        return markup(Form(None if value is None else {"available": value})["available"])

    assert form(QuickCheckboxInput) == form(forms.CheckboxInput)
