"""The documentation: a README short enough to read, a MkDocs site that builds with no broken link, anchor
or page left out of its navigation, and links from the README that lead somewhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_README_LINES = 200
# Words of a lab notebook, not of documentation.
CHATTER = re.compile(r"\b(my (unit )?tests|this session|cause not found|I measured|we measured)\b", re.IGNORECASE)


def test_the_docs_site_builds_strictly(tmp_path):
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr[-3000:]
    assert (tmp_path / "site" / "benchmarks" / "small-folders" / "index.html").is_file()


def test_the_readme_is_for_users_and_its_links_lead_somewhere():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= MAX_README_LINES
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        assert (ROOT / target).exists(), target


def test_no_page_reads_like_a_lab_notebook():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found = [f"{page.relative_to(ROOT)}: {match.group(0)}" for page in pages
             for match in CHATTER.finditer(page.read_text(encoding="utf-8"))]
    assert not found
