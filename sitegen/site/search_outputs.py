"""The search export's outputs for one build, as the writer takes them: from a running
search update, kept from the previous build (serve's deferred search), or none after a
problem. The build's only link to sitegen.search's pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitegen.model import ProblemError
from sitegen.site.report import BuildReport, Output

if TYPE_CHECKING:
    from sitegen.search.pipeline import BodyHtml


class SearchOutputs:
    """The search export's outputs for this build, as finish() hands them to the writer:
    made by a running search update (sitegen.search.pipeline.PendingSearch), kept from
    the previous build (serve's deferred search), or none after a problem."""

    def __init__(self, report: BuildReport, pending: Any, ready: tuple | None) -> None:
        self.report, self.pending, self.ready = report, pending, ready

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None

    def finish(self) -> tuple[str, list[Output], dict[str, BodyHtml]]:
        """(export meta file, export files as outputs, where each body HTML is)."""
        if self.ready is not None:
            return self.ready
        try:
            update = self.pending.finish()
        except ProblemError as exc:
            self.report.problems.append(exc.problem)
            return "", [], {}
        finally:
            self.pending = None
        self.report.search = update.stats
        static_dir = str(update.static_dir)
        # export file names carry their content hash: the name is the signature
        outputs = [
            Output(rel, rel, copy_from=f"{static_dir}/{rel}", linkable=True) for rel in update.files
        ]
        return update.meta, outputs, update.bodies
