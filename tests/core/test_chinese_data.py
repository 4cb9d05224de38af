"""``|chinese_data``: on an English page, data with no English is marked Chinese (a screen reader
reads it in a Chinese voice) and still escaped; Chinese pages and English data are left as they
are, so the Chinese pages' markup does not change."""

from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template("{% load names %}<td>{{ value|chinese_data }}</td>")


def render(value: str, language: str) -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"value": value}))


def test_chinese_data_on_an_english_page_is_marked_and_escaped():
    assert render("王建国", "en") == '<td><span lang="zh-CN">王建国</span></td>'
    assert render("青岛<b>某</b>公司", "en") == (
        '<td><span lang="zh-CN">青岛&lt;b&gt;某&lt;/b&gt;公司</span></td>'
    )


def test_english_data_and_chinese_pages_are_left_alone():
    assert render("Qingdao <Legal> Aid", "en") == "<td>Qingdao &lt;Legal&gt; Aid</td>"
    assert render("王建国", "zh-hans") == "<td>王建国</td>"
