"""People are one name each on the built site, and overrides apply at build time."""

from __future__ import annotations

from sitegen.site.pipeline import build_site
from tests.conftest import article_text
from tests.site.builds import Builds


def people_pages(config) -> list[str]:
    return sorted(p.parent.name for p in (config.output_dir / "people").glob("*/index.html"))


def test_spelling_variants_become_one_person_with_aliases(site):
    config = site(
        {
            "content/a.md": article_text("A", date="2024-01-01", people=["Yury Ushakov"]),
            "content/b.md": article_text("B", date="2024-02-01", people=["Yuri Ushakov"]),
            "content/c.md": article_text(
                "C", date="2024-03-01", people=["Yuri Ushakov", "Ivanka Trump"]
            ),
            "content/d.md": article_text("D", date="2024-04-01", people=["Donald Trump Jr."]),
        }
    )
    assert build_site(config).written
    assert people_pages(config) == ["donald-trump-jr", "ivanka-trump", "yuri-ushakov"]
    page = (config.output_dir / "people/yuri-ushakov/index.html").read_text()
    assert "Yury Ushakov" in page  # shown as an alias on the person's page
    assert ">A</a>" in page and ">C</a>" in page


def test_overrides_in_sitegen_toml_apply_at_build_time(site):
    files = {
        "content/a.md": article_text("A", date="2024-01-01", people=["Qaddafi", "Boko Haram"]),
        "content/b.md": article_text("B", date="2024-02-01", people=["Muammar Gaddafi"]),
    }
    config = site(files)
    builder = Builds(config, jobs=1)
    builder.build()
    assert "qaddafi" in people_pages(config) and "boko-haram" in people_pages(config)
    (config.root / "sitegen.toml").write_text(
        '[site]\ntitle = "T"\n[people]\nnot_people = ["Boko Haram"]\n'
        '[people.aliases]\n"Qaddafi" = "Muammar Gaddafi"\n'
    )
    from sitegen.config import load_config

    config = load_config(config.root)
    report = Builds(config, jobs=1).build()
    assert report.written and not report.problems, report.problems
    assert people_pages(config) == ["muammar-gaddafi"]
    article = (config.output_dir / "2024/01/a/index.html").read_text()
    assert "/people/muammar-gaddafi/" in article and "Boko Haram" not in article
