from sitegen.site.pipeline import build_site
from tests.conftest import article_text


def test_one_article_site_builds(site):
    config = site({"content/a.md": article_text("Hello", date="2024-01-02", people=["Ann Lee"])})
    report = build_site(config)
    assert report.written and not report.problems
    page = (config.output_dir / "2024/01/a/index.html").read_text()
    assert "<h1" in page and "Hello" in page
    assert (config.output_dir / "people/ann-lee/index.html").is_file()
