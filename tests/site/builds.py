"""A run of builds of one site sharing one BuildMemory, the way serve makes them."""

from __future__ import annotations

from sitegen.config import Config
from sitegen.site.memory import BuildMemory, BuildMode
from sitegen.site.pipeline import ONE_BUILD, build
from sitegen.site.report import BuildReport

#: serve's two kinds of build (without its background save of the state)
LIVE = BuildMode(live=True)
PAGES_FIRST = BuildMode(live=True, pages_first=True)


class Builds:
    def __init__(self, config: Config, *, jobs: int = 1, mode: BuildMode = ONE_BUILD):
        self.config = config
        self.memory = BuildMemory.for_site(config, jobs=jobs)
        self.mode = mode

    def build(self, changed_files: set[str] | None = None) -> BuildReport:
        return build(self.config, self.memory, self.mode, changed_files=changed_files)
