"""templates/_form.html, the one form layout every app includes."""

from django import forms
from django.template.loader import render_to_string

from tests.html import Elements


class AssessmentLikeForm(forms.Form):
    method = forms.ChoiceField(
        choices=[("", "---------"), ("office", "Office visit"), ("video", "Video call")],
        widget=forms.RadioSelect,
    )
    mood = forms.ChoiceField(
        choices=[("", "No answer"), ("calm", "Calm")], widget=forms.RadioSelect, required=False
    )
    languages = forms.MultipleChoiceField(
        choices=[("en", "English"), ("es", "Spanish")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every one you speak.",
    )
    notes = forms.CharField()


def test_a_group_of_choices_is_a_fieldset_named_by_its_legend():
    html = render_to_string("_form.html", {"form": AssessmentLikeForm()})
    assert "<legend>Method</legend>" in html
    assert "<legend>Languages</legend>" in html
    assert 'aria-describedby="id_languages_helptext"' in html
    assert 'for=""' not in html  # no label pointing at nothing
    assert '<label for="id_notes">Notes</label>' in html


def test_a_required_choice_offers_no_blank_answer_but_an_optional_one_keeps_it():
    html = render_to_string("_form.html", {"form": AssessmentLikeForm()})
    radios = [a for a in Elements(html).find("input") if a.get("type") == "radio"]
    assert [(a["name"], a["value"]) for a in radios] == [
        ("method", "office"),
        ("method", "video"),
        ("mood", ""),
        ("mood", "calm"),
    ]
    assert "---------" not in html


def test_an_unanswered_required_choice_shows_its_error_in_the_group():
    form = AssessmentLikeForm(data={"notes": "x", "languages": ["en"]})
    html = render_to_string("_form.html", {"form": form})
    group = html.split("<legend>Method</legend>")[1].split("</fieldset>")[0]
    assert 'class="error"' in group
