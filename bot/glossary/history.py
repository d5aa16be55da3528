"""When each glossary file last changed, as git tells it: which of two colliding files came later.

A file with changes not yet committed (or not tracked at all) counts as changed now;
otherwise its last commit's time counts. Without git, or outside a repository, nothing is
known and the caller reports a problem in every file it concerns.
"""

from __future__ import annotations

import io
import math
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

_TIMEOUT_SECONDS = 10


def change_times(root: Path, paths: Iterable[str]) -> dict[str, float]:
    """``{path: time}`` for the paths git can date; uncommitted changes are ``inf``."""
    wanted = {p: Path(p).resolve() for p in paths}
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    repo = Path(top.strip()).resolve()
    inside = {p: r for p, r in wanted.items() if r.is_relative_to(repo)}
    status = _git(
        repo,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        *(str(r.relative_to(repo)) for r in inside.values()),
    )
    if status is None:
        return {}
    dirty = {(repo / entry[3:]).resolve() for entry in status.split("\0") if len(entry) > 3}
    times: dict[str, float] = {}
    for shown, real in inside.items():
        if real in dirty:
            times[shown] = math.inf
            continue
        stamp = _git(repo, "log", "-1", "--format=%ct", "--", str(real.relative_to(repo)))
        if stamp and stamp.strip().isdigit():
            times[shown] = float(stamp.strip())
    return times


def export_folder(directory: Path, ref: str, target: Path) -> Path | None:
    """Write ``directory`` as it was at commit ``ref`` under ``target``; its path there, or
    None when ``ref`` is not a commit of the repository that holds ``directory``."""
    top = _git(directory, "rev-parse", "--show-toplevel")
    commit = _git(directory, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if top is None or commit is None:
        return None
    relative = directory.resolve().relative_to(Path(top.strip()).resolve())
    try:
        archive = subprocess.run(  # noqa: S603 - fixed git arguments, paths as data
            [  # noqa: S607 - git from PATH, as a user runs it
                "git",
                "-C",
                top.strip(),
                "archive",
                "--format=tar",
                commit.strip(),
                "--",
                str(relative),
            ],
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = target / relative
    out.mkdir(parents=True, exist_ok=True)
    if archive.returncode == 0:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter="data")
    return out


def _git(where: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed git arguments, paths as data
            ["git", "-C", str(where), *args],  # noqa: S607 - git from PATH, as a user runs it
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
