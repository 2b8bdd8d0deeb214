"""The people index sorts by surname; names are shown as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from sitegen.site.pages import surname_key
from sitegen.site.pipeline import build_site
from tests.conftest import article_text
from tests.site.test_incremental import clean_build_of
from tests.site.test_pipeline import _compare_trees


def test_surname_key_puts_the_last_name_first():
    assert surname_key("Robert Mueller")[0] == "mueller, robert"
    assert surname_key("Ludwig van Beethoven")[0] == "beethoven, ludwig van"
    assert surname_key("Charles de Gaulle")[0] == "gaulle, charles de"
    assert surname_key("Martin Luther King Jr.")[0] == "king, martin luther jr."
    assert surname_key("Łucja Wiśniewska")[0] == "wisniewska, lucja"
    assert surname_key("Madonna")[0] == "madonna"
    assert surname_key("Mueller, Robert")[0] == "mueller, robert"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=40))
def test_surname_key_takes_any_name(name):
    key = surname_key(name)
    assert isinstance(key[0], str) and key[1] == name


def test_people_index_sorts_and_groups_by_surname(site):
    names = ["Zoe Adams", "Anna Mueller", "Ludwig van Beethoven", "Madonna", "Bob Zed"]
    files = {
        f"content/a{i}.md": article_text(f"A{i}", date="2024-01-0" + str(i + 1), people=[name])
        for i, name in enumerate(names)
    }
    config = site(files)
    assert build_site(config).written
    tree = html.fromstring((config.output_dir / "people/index.html").read_bytes())
    shown = [
        a.text_content().strip()
        for a in tree.xpath("//div[contains(@class,'letter-groups')]//li/a")
    ]
    order = [n for n in shown for want in names if n.startswith(want)]
    assert order == ["Zoe Adams", "Ludwig van Beethoven", "Madonna", "Anna Mueller", "Bob Zed"], (
        shown
    )
    letters = [
        h.text_content().strip() for h in tree.xpath("//div[contains(@class,'letter-groups')]//h2")
    ]
    assert letters == ["A", "B", "M", "Z"], letters


def test_a_new_person_lands_by_surname_in_an_incremental_build(site, tmp_path):
    files = {
        "content/a.md": article_text("A", date="2024-01-01", people=["Zoe Adams", "Bob Zed"]),
    }
    config = site(files)
    assert build_site(config).written
    (config.content_dir / "b.md").write_text(
        article_text("B", date="2024-01-02", people=["Aaron Mueller"])
    )
    report = build_site(config)
    assert report.incremental and "people/index.html" in report.changed
    _compare_trees(config.output_dir, clean_build_of(config.root, tmp_path, "clean"))
    text = (config.output_dir / "people/index.html").read_text()
    assert text.index("Zoe Adams") < text.index("Aaron Mueller") < text.index("Bob Zed")
