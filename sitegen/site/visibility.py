"""Which articles a build publishes: drafts only when asked (`--drafts`, serve), and
future-dated ones unless `--no-future`. Pure: the clock is read once per build at the
edge (cli, serve) and handed in as BuildMode.now.

A future article turns into a past one without any file changing, so the paths held
back for their date are part of the plan digest (invalidate.py): when one comes due,
the next --no-future build plans everything again, as a clean build would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.config import Config
from sitegen.model import Article


@dataclass(frozen=True)
class Visibility:
    """What this build leaves out: drafts (unless drafts), articles dated after now
    (unless future)."""

    drafts: bool = False
    future: bool = True
    now: dt.datetime | None = None  # aware; needed only when future is False

    @classmethod
    def of(cls, config: Config, now: dt.datetime | None) -> Visibility:
        return cls(config.drafts, config.future, now)

    def is_future(self, article: Article) -> bool:
        if self.future or article.date is None or self.now is None:
            return False
        date = article.date if article.date.tzinfo else article.date.replace(tzinfo=dt.UTC)
        return date > self.now

    def shows(self, article: Article) -> bool:
        return (self.drafts or not article.draft) and not self.is_future(article)

    def lists(self, article: Article) -> bool:
        """Whether it is one of this build's articles (pages are in no list)."""
        return not article.is_page and self.shows(article)

    def held_for_date(self, articles: Iterable[Article]) -> tuple[str, ...]:
        """The paths left out only for their date (sorted): part of the plan digest."""
        if self.future:
            return ()
        return tuple(
            sorted(a.path for a in articles if (self.drafts or not a.draft) and self.is_future(a))
        )


#: `sitegen build`'s default: drafts out, future-dated articles in
PUBLISHED = Visibility()
