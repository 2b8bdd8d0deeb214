"""Publishing a built site: commit it to a git branch, or mirror it into a folder.

Owns the two targets and the account of what changed. Building belongs to site/pipeline.py
(publishing calls it with the site's production settings first); showing the report
belongs to the CLI. The git target uses plumbing only, so the site's working tree, index
and current branch are never touched; the folder target writes each file atomically, so a
web server reading the folder never serves half a page.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import __version__
from sitegen.config import CONFIG_NAME, Config
from sitegen.files import TEMP_PREFIX, copy_atomic
from sitegen.model import Problem, ProblemError
from sitegen.site.pipeline import BuildReport, build_site

DEFAULT_BRANCH = "gh-pages"
DEFAULT_REMOTE = "origin"
#: Tells GitHub Pages to serve the files as they are (no Jekyll run, `_`-folders kept).
NOJEKYLL = ".nojekyll"
#: Left in a published folder so a later publish knows the folder is ours to mirror into.
MARKER = ".sitegen-publish"
FILE_MODE = "100644"
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# --- targets and settings ---------------------------------------------------------------


@dataclass(frozen=True)
class GitTarget:
    """A branch of the site's own git repository (GitHub Pages' gh-pages)."""

    branch: str = DEFAULT_BRANCH

    def __str__(self) -> str:
        return f"git:{self.branch}"


@dataclass(frozen=True)
class DirTarget:
    """A folder to mirror the site into (a web server's root, a mounted share)."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


Target = GitTarget | DirTarget


def parse_target(text: str) -> Target:
    """'git:BRANCH' (or 'git', 'git:' for gh-pages) -> GitTarget; anything else is a folder."""
    text = text.strip()
    if text == "git" or text.startswith("git:"):
        return GitTarget(text[4:].strip() or DEFAULT_BRANCH)
    if not text:
        raise ProblemError(Problem("--to", "the target is empty: give git:BRANCH or a folder"))
    return DirTarget(Path(text).expanduser())


@dataclass(frozen=True)
class PublishSettings:
    """The [publish] table of sitegen.toml."""

    to: str | None = None
    cname: str | None = None
    remote: str = DEFAULT_REMOTE


def publish_settings(config: Config) -> PublishSettings:
    """Read and validate [publish] (keys: to, cname, remote); errors name the key."""
    where = str(config.root / CONFIG_NAME)
    table = config.extra.get("publish", {})
    if not isinstance(table, dict):
        raise ProblemError(Problem(where, "[publish] must be a table"))
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in ("to", "cname", "remote"):
            raise ProblemError(
                Problem(where, f"[publish] {key} is not a known option (to, cname, remote)")
            )
        if not isinstance(value, str) or not value.strip():
            raise ProblemError(Problem(where, f"[publish] {key} must be non-empty text"))
        values[key] = value.strip()
    cname = values.get("cname")
    if cname is not None and not _HOSTNAME.match(cname):
        raise ProblemError(
            Problem(
                where,
                f"[publish] cname must be a bare host name like archive.example.org, not {cname!r}",
            )
        )
    return PublishSettings(
        to=values.get("to"), cname=cname, remote=values.get("remote", DEFAULT_REMOTE)
    )


# --- the report ---------------------------------------------------------------------------


@dataclass
class PublishReport:
    target: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    bytes: int = 0  # bytes of the added and updated files
    files: int = 0  # files in the published site
    total_bytes: int = 0  # bytes of the published site
    dry_run: bool = False
    commit: str | None = None  # git: the new commit, when one was made
    parent: str | None = None  # git: the branch's previous head
    pushed: bool = False
    build: BuildReport | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """'2 added, 5 updated, 1 removed (12.0 kB)': files changed and bytes to write."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed ({human_bytes(self.bytes)})"
        )


def human_bytes(count: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as file managers and web hosts show them)."""
    size = float(count)
    for unit in ("B", "kB", "MB"):
        if size < 1000:
            return f"{count} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


# --- the command --------------------------------------------------------------------------


def publish_site(
    config: Config,
    target: Target,
    *,
    remote: str | None = None,
    push: bool = False,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress = _no_progress,
) -> PublishReport:
    """Build the site, then publish it to `target`; nothing is published if the build fails.

    The target is checked before the (possibly long) build, so a mistyped branch or a
    folder that is not ours fails at once. Problems with the target come back as
    ProblemError; problems with the content come back in the report.
    """
    if config.relative_base_url:  # a published site's feeds and sitemap would be invalid
        raise ProblemError(
            Problem("--base-url", f"refusing to publish: {config.relative_base_url}")
        )
    settings = publish_settings(config)
    report = PublishReport(target=str(target), dry_run=dry_run)
    if isinstance(target, GitTarget):
        git = GitRepo.open(config.root)
        git.check_branch(target.branch)
        remote = remote or settings.remote
        if push:
            git.check_remote(remote)
    else:
        check_folder_target(config, target.path, force=force)

    build = build_site(config, keep_going=False, progress=progress)  # problems, never raises
    report.build = build
    if build.problems or not build.written:
        report.problems = build.problems or [
            Problem(str(config.output_dir), "the build wrote nothing")
        ]
        return report
    source = build.output or config.output_dir

    if isinstance(target, GitTarget):
        publish_to_branch(
            git,
            source,
            target.branch,
            report,
            cname=settings.cname,
            remote=remote,
            push=push,
            base_url=config.base_url,
        )
    else:
        plan = plan_sync(source, target.path)
        report.added, report.updated, report.removed = plan.added, plan.updated, plan.removed
        report.bytes, report.files, report.total_bytes = plan.bytes, plan.files, plan.total_bytes
        if not dry_run:
            apply_sync(plan)
    return report


# --- folder target ------------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_folder_target(config: Config, target: Path, *, force: bool = False) -> None:
    """Refuse folders that would overwrite the site itself or someone else's files."""
    where = str(target)
    resolved = target.resolve()
    output = config.output_dir.resolve()
    root = config.root.resolve()
    if _inside(root, resolved) or _inside(resolved, config.content_dir.resolve()):
        raise ProblemError(
            Problem(where, "the target would hold the site's own files; choose another folder")
        )
    if _inside(resolved, output) or _inside(output, resolved):
        raise ProblemError(
            Problem(where, f"the target overlaps the build output {output}; choose another folder")
        )
    if target.exists() and not target.is_dir():
        raise ProblemError(Problem(where, "the target exists and is not a folder"))
    ours = force or (target / MARKER).exists()
    if target.is_dir() and not ours and any(target.iterdir()):
        raise ProblemError(
            Problem(
                where,
                "the folder is not empty and was not published by sitegen, so its files "
                "would be deleted; empty it, choose another folder, or pass --force",
            )
        )


def _is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def site_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative posix path, file) for every file under folder, in a stable order."""
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        base = Path(dirpath)
        for name in sorted(files):
            path = base / name
            yield path.relative_to(folder).as_posix(), path


def _target_files(folder: Path) -> tuple[dict[str, Path], list[Path]]:
    """Mirrored files in a target folder (hidden ones are left alone), and stale temp files.

    Symbolic links count as files and are never followed, so a link is replaced or removed
    but what it points at never is.
    """
    found: dict[str, Path] = {}
    leftovers: list[Path] = []
    if not folder.is_dir():
        return found, leftovers
    for dirpath, dirs, files in os.walk(folder):
        base = Path(dirpath)
        for name in list(dirs):
            if (base / name).is_symlink():
                dirs.remove(name)
                files.append(name)
            elif name.startswith("."):
                dirs.remove(name)
        for name in files:
            path = base / name
            if name.startswith(TEMP_PREFIX):  # left by a killed publish
                leftovers.append(path)
            elif not name.startswith("."):
                found[path.relative_to(folder).as_posix()] = path
    return found, leftovers


def same_content(a: Path, b: Path, chunk: int = 1 << 16) -> bool:
    """Byte-for-byte equality; sizes first, so most changed files cost one stat."""
    if b.is_symlink() or not b.is_file():
        return False
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            block = fa.read(chunk)
            if block != fb.read(chunk):
                return False
            if not block:
                return True


@dataclass
class SyncPlan:
    """What mirroring `source` into `target` would do; paths are relative, with '/'."""

    source: Path
    target: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)
    bytes: int = 0
    files: int = 0
    total_bytes: int = 0


def plan_sync(source: Path, target: Path) -> SyncPlan:
    """Compare a build with a published folder by content (never by date)."""
    plan = SyncPlan(source, target)
    existing, plan.leftovers = _target_files(target)
    built: set[str] = set()
    for rel, path in site_files(source):
        built.add(rel)
        size = path.stat().st_size
        plan.files += 1
        plan.total_bytes += size
        there = existing.get(rel) or (target / rel if _is_hidden(rel) else None)
        if there is None or not (there.exists() or there.is_symlink()):
            plan.added.append(rel)
            plan.bytes += size
        elif not same_content(path, there):
            plan.updated.append(rel)
            plan.bytes += size
    plan.added.sort()
    plan.updated.sort()
    plan.removed = sorted(rel for rel in existing if rel not in built)
    return plan


def publish_file(target: Path, source: Path) -> None:
    """Copy a built file into place atomically: a visitor sees the old file or the new one.

    Not fsynced: a first publish copies every file of the site, and an fsync each made
    mirroring a 1k archive (5,346 files) about half again as slow. A file a power cut
    spoils differs from the build's, and the next publish, which compares every file
    byte for byte, writes it again.
    """
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)  # a folder where the build now has a file
    copy_atomic(target, source, durable=False)


def _make_parents(target_root: Path, rel: str, made: set[str]) -> None:
    """Create the folders for rel, replacing any file or link that stands in their way."""
    current = target_root
    parts = rel.split("/")[:-1]
    for depth, part in enumerate(parts, 1):
        current = current / part
        key = "/".join(parts[:depth])
        if key in made:
            continue
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)
        made.add(key)


def apply_sync(plan: SyncPlan) -> None:
    """Carry out a plan: write new and changed files, then remove the ones no longer built.

    Assets are written before pages and removals come last, so a page never links to a
    file that is not there yet.
    """
    plan.target.mkdir(parents=True, exist_ok=True)
    for path in plan.leftovers:
        path.unlink(missing_ok=True)
    writes = sorted(plan.added + plan.updated, key=lambda rel: (rel.endswith(".html"), rel))
    made: set[str] = set()
    for rel in writes:
        _make_parents(plan.target, rel, made)
        publish_file(plan.target / rel, plan.source / rel)
    emptied: set[Path] = set()
    for rel in plan.removed:
        path = plan.target / rel
        if path.is_symlink() or path.is_file():
            path.unlink()
        emptied.update(p for p in path.parents if _inside(p, plan.target) and p != plan.target)
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty
    marker = plan.target / MARKER
    if not marker.exists():
        marker.write_text(
            "This folder is published by `sitegen publish`; its files are replaced on each run.\n"
            "Files and folders whose names start with '.' are left alone.\n",
            encoding="utf-8",
        )


# --- git target ---------------------------------------------------------------------------


class GitRepo:
    """Runs git plumbing commands in the site's repository."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def open(cls, root: Path) -> GitRepo:
        repo = cls(root)
        result = repo.run("rev-parse", "--is-inside-work-tree", check=False)
        if result.returncode != 0:
            raise ProblemError(
                Problem(
                    str(root),
                    "the site is not in a git repository: run 'git init' there, "
                    "or publish to a folder with --to DIR",
                )
            )
        return repo

    def env(self, index_file: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "GIT_INDEX_FILE"}
        env["GIT_TERMINAL_PROMPT"] = "0"  # never hang on a password prompt nobody sees
        if index_file is not None:
            env["GIT_INDEX_FILE"] = str(index_file)
        return env

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        index_file: Path | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            result = subprocess.run(
                ["git", *args],
                cwd=self.root,
                input=input,
                capture_output=True,
                env=self.env(index_file),
            )
        except FileNotFoundError:
            raise ProblemError(
                Problem(str(self.root), "git is not installed (or not on PATH)")
            ) from None
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip() or "no message"
            raise ProblemError(Problem(str(self.root), f"git {args[0]} failed: {message}"))
        return result

    def text(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout.decode("utf-8", "replace").strip()

    def resolve(self, ref: str) -> str | None:
        result = self.run("rev-parse", "-q", "--verify", f"{ref}^{{commit}}", check=False)
        if result.returncode != 0:
            return None
        return result.stdout.decode().strip() or None

    def check_branch(self, branch: str) -> None:
        """A valid branch name that no worktree has checked out (updating it would desync)."""
        if self.run("check-ref-format", "--branch", branch, check=False).returncode != 0:
            raise ProblemError(Problem(f"git:{branch}", f"{branch!r} is not a valid branch name"))
        ref = f"refs/heads/{branch}"
        listing = self.text("worktree", "list", "--porcelain")
        if f"branch {ref}" in listing.splitlines():
            raise ProblemError(
                Problem(
                    f"git:{branch}",
                    f"branch {branch!r} is checked out; publish to a branch nobody works on "
                    f"(the usual one is {DEFAULT_BRANCH!r})",
                )
            )

    def check_remote(self, remote: str) -> None:
        if self.run("remote", "get-url", remote, check=False).returncode != 0:
            raise ProblemError(
                Problem(str(self.root), f"no git remote named {remote!r}: add it or pass --remote")
            )

    def hash_files(self, paths: list[Path], *, write: bool) -> list[str]:
        """Blob ids of files, stored in the object database when `write`; one git process."""
        if not paths:
            return []
        for path in paths:
            if "\n" in str(path):
                raise ProblemError(Problem(str(path), "a file name holds a line break"))
        args = ["hash-object", "--no-filters", "--stdin-paths"] + (["-w"] if write else [])
        listing = "".join(f"{path}\n" for path in paths).encode("utf-8", "surrogateescape")
        ids = self.text(*args, input=listing).split()
        if len(ids) != len(paths):  # pragma: no cover - git always answers one per path
            raise ProblemError(Problem(str(self.root), "git hash-object gave too few ids"))
        return ids

    def hash_bytes(self, data: bytes, *, write: bool) -> str:
        args = ["hash-object", "--no-filters", "--stdin"] + (["-w"] if write else [])
        return self.text(*args, input=data)

    def tree_entries(self, commit: str) -> dict[str, tuple[str, str]]:
        """path -> (mode, blob id) of every file in a commit's tree."""
        raw = self.run("ls-tree", "-r", "-z", "--full-tree", commit).stdout
        entries: dict[str, tuple[str, str]] = {}
        for record in raw.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, _kind, oid = meta.decode().split()
            entries[path.decode("utf-8", "surrogateescape")] = (mode, oid)
        return entries

    def write_tree(self, entries: dict[str, tuple[str, str]]) -> str:
        """A tree object from path -> (mode, blob id), built in a private index file."""
        with tempfile.TemporaryDirectory(prefix="sitegen-publish-") as tmp:
            index = Path(tmp) / "index"
            listing = b"".join(
                f"{mode} {oid}\t".encode() + path.encode("utf-8", "surrogateescape") + b"\0"
                for path, (mode, oid) in sorted(entries.items())
            )
            self.run("update-index", "--add", "-z", "--index-info", input=listing, index_file=index)
            return self.text("write-tree", index_file=index)


def _branch_message(report: PublishReport, source_head: str | None, base_url: str) -> str:
    if not report.updated and not report.removed:
        headline = f"Publish site: {len(report.added)} files added"
    else:
        headline = (
            f"Publish site: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.removed)} removed"
        )
    lines = [
        headline,
        "",
        f"The site has {report.files} files ({human_bytes(report.total_bytes)}); "
        f"{human_bytes(report.bytes)} changed.",
        f"Base URL: {base_url}",
        f"Built by sitegen {__version__}"
        + (f" from commit {source_head}." if source_head else "."),
    ]
    return "\n".join(lines) + "\n"


def publish_to_branch(
    git: GitRepo,
    source: Path,
    branch: str,
    report: PublishReport,
    *,
    cname: str | None,
    remote: str,
    push: bool,
    base_url: str,
) -> None:
    """Commit `source` as the whole tree of `branch`, its parent the branch's previous head.

    Only plumbing is used (hash-object, update-index on a private index, write-tree,
    commit-tree, update-ref), so HEAD, the index and the working tree stay as they were.
    If the branch exists only on the remote, its remote-tracking head is the parent, so
    the push is a fast-forward.
    """
    ref = f"refs/heads/{branch}"
    local = git.resolve(ref)
    parent = local or git.resolve(f"refs/remotes/{remote}/{branch}")
    report.parent = parent
    write = not report.dry_run

    files = list(site_files(source))
    ids = git.hash_files([path for _, path in files], write=write)
    new: dict[str, tuple[str, str]] = {}
    sizes: dict[str, int] = {}
    for (rel, path), oid in zip(files, ids, strict=True):
        new[rel] = (FILE_MODE, oid)
        sizes[rel] = path.stat().st_size
    extras = {NOJEKYLL: b""}
    if cname:
        extras["CNAME"] = (cname + "\n").encode()
    for name, data in extras.items():
        new[name] = (FILE_MODE, git.hash_bytes(data, write=write))
        sizes[name] = len(data)

    old = git.tree_entries(parent) if parent else {}
    report.added = sorted(p for p in new if p not in old)
    report.updated = sorted(p for p in new if p in old and old[p] != new[p])
    report.removed = sorted(p for p in old if p not in new)
    report.bytes = sum(sizes[p] for p in report.added + report.updated)
    report.files = len(new)
    report.total_bytes = sum(sizes.values())
    if report.dry_run:
        return

    if report.changed or parent is None:
        tree = git.write_tree(new)
        source_head = git.resolve("HEAD")
        message = _branch_message(report, source_head, base_url)
        args = ["commit-tree", tree] + (["-p", parent] if parent else []) + ["-F", "-"]
        report.commit = git.text(*args, input=message.encode("utf-8"))
        git.run("update-ref", "-m", "sitegen publish", ref, report.commit, local or "")
    elif local is None and parent is not None:
        git.run("update-ref", "-m", "sitegen publish", ref, parent, "")

    if push:
        result = git.run("push", "--porcelain", remote, f"{ref}:{ref}", check=False)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            report.problems.append(
                Problem(
                    f"git:{branch}",
                    f"committed locally, but 'git push {remote} {branch}' failed: {message}",
                )
            )
        else:
            report.pushed = True
