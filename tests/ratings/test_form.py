import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.ratings.forms import RatingForm


def test_form_accepts_1_to_5():
    form = RatingForm({"score": "2", "comment": "排队太久"})
    assert form.is_valid()
    assert form.cleaned_data == {"score": 2, "comment": "排队太久"}
    assert not RatingForm({"score": "6"}).is_valid()
    assert "score" in RatingForm({}).errors


def test_include_renders_labelled_radio_buttons_in_chinese():
    with translation.override("zh-hans"):
        html = render_to_string(
            "ratings/includes/rating_form.html",
            {"rating_form": RatingForm(), "rating_action": "/cases/1/rate/"},
        )
    assert html.count('type="radio"') == 5
    for label in ("非常不满意", "不满意", "一般", "满意", "非常满意"):
        assert label in html
    assert "<legend>" in html
    assert 'action="/cases/1/rate/"' in html
    for value in range(1, 6):
        assert f'for="id_score_{5 - value}"' in html


@pytest.mark.parametrize("score", ["1", "5"])
def test_include_keeps_the_choice_after_an_error(score):
    form = RatingForm({"score": score, "comment": "x" * 1001})
    assert not form.is_valid()
    html = render_to_string("ratings/includes/rating_form.html", {"rating_form": form})
    assert f'value="{score}" id="id_score_{5 - int(score)}" checked' in html
