"""The site's own scripts and stylesheets, minified in the built site by esbuild (pinned in
package.json): about a third of their weight on a phone's network. The sources in docs/assets
stay as they are, and `mkdocs serve` serves them unminified, for reading in the browser's tools.

Each file is minified on its own (no bundling): site.js still imports the others lazily, and
every import between them keeps its path.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ESBUILD = Path("node_modules", ".bin", "esbuild")
SUFFIXES = (".js", ".css")


class MinifyError(Exception):
    """One line saying what went wrong and what to do."""


def own_assets(docs_dir: Path, site_dir: Path, folder: str = "assets") -> list[Path]:
    """The built copies of the scripts and stylesheets under `docs_dir/folder`."""
    built = (site_dir / p.relative_to(docs_dir) for p in sorted((docs_dir / folder).rglob("*")))
    return [p for p in built if p.suffix in SUFFIXES and p.is_file()]


def minify(files: list[Path], project_dir: Path) -> None:
    """Minifies `files` in place, in one esbuild run."""
    if not files:
        return
    esbuild = project_dir / ESBUILD
    if not esbuild.is_file():
        raise MinifyError(f"{ESBUILD} is missing: run `make setup` (npm ci) to install it")
    # esbuild writes each output at its entry's path below the entries' common folder.
    common = Path(os.path.commonpath([f.parent for f in files]))
    result = subprocess.run(
        [
            str(esbuild),
            *map(str, files),
            "--minify",
            f"--outdir={common}",
            f"--outbase={common}",
            "--allow-overwrite",
            "--log-level=error",
            "--legal-comments=none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["no message"])[0]
        raise MinifyError(f"esbuild could not minify {common}: {first}")
