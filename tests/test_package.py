"""The released package: a wheel built from this tree works wherever it is installed.

The wheel is built once per session (as the release workflow builds it: sdist, then a wheel
from the sdist, stamped with the commit) and installed into a fresh virtual environment with
nothing of this checkout on its path; ante's dependencies come from the dev environment's
site-packages (no download), but ante itself, its templates and its team files come only from
the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-18T09:00:00Z"


def _tree_copy(dest: Path) -> None:
    """The files git would put in a release: tracked and new, not ignored."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = raw.decode()
        if rel.startswith(("tests/", "docs/")):
            continue
        origin = ROOT / rel
        if origin.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(origin.read_bytes())


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    _tree_copy(src)
    (src / "scripts/ante/release.txt").write_text("0123456789abcdef0123456789abcdef01234567\n")
    out = tmp_path_factory.mktemp("dist")
    # The backend (uv_build) runs its `uv-build` binary from PATH: this environment's.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": path},
    )
    return out


@pytest.fixture(scope="session")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "uv",
            "pip",
            "install",
            "--quiet",
            "--offline",
            "--no-deps",
            "--python",
            str(python),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies from the dev environment, after the venv's own site-packages.
    (Path(site) / "zz_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env


def _ante(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(cwd), "ANTE_NOW": NOW}
    return subprocess.run(
        [str(venv / "bin" / "ante"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_wheel_carries_ante_s_files_and_spdx_metadata(dist: Path) -> None:
    (wheel,) = dist.glob("ante_overhead-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ante/templates/STATUS.md.j2" in names
    assert "ante/team/workflows/issue.yml" in names
    assert "ante/team/workflows/upgrade-check.yml" in names
    assert "ante/team/ISSUE_TEMPLATE/product-emergency.yml" in names
    assert "ante/team/dependabot.yml" in names
    assert "ante/release.txt" in names
    assert not any(n.startswith(("tests/", "templates/")) for n in names)
    meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
    meta = Parser().parsestr(zipfile.ZipFile(wheel).read(meta_name).decode())
    assert meta["Name"] == "ante-overhead"
    from ante import __version__

    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    (sdist,) = dist.glob("ante_overhead-*.tar.gz")
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_installed_wheel_inits_validates_renders_and_demos(venv: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import ante; print(ante.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), where  # not this checkout
    version = _ante(venv, "--version", cwd=tmp_path)
    from ante import __version__

    assert version.returncode == 0 and version.stdout.strip() == f"ante {__version__}"
    steps = [
        (("init", "team", "--members", "a,b"), tmp_path),
        (("validate",), tmp_path / "team"),
        (("status",), tmp_path / "team"),
        (("upgrade", "--check"), tmp_path / "team"),
        (("demo", "--out", str(tmp_path / "demo")), tmp_path),
    ]
    for args, cwd in steps:
        done = _ante(venv, *args, cwd=cwd)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
    team = tmp_path / "team"
    assert "| a |" in (team / "STATUS.md").read_text() or "@a" in (team / "STATUS.md").read_text()
    award = (team / ".github/workflows/issue.yml").read_text()
    assert (
        "uses: ante-team/ante/.github/actions/setup-ante@"
        f"0123456789abcdef0123456789abcdef01234567 # v{__version__}"
    ) in award
    assert (tmp_path / "demo" / "team" / "STATUS.md").is_file()
    assert os.listdir(team / ".github/workflows")


def _release(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "release.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_release_tag_must_be_the_version_with_a_changelog_section() -> None:
    from ante import __version__

    assert _release("check-tag", f"v{__version__}").returncode == 0
    wrong = _release("check-tag", "v99.0.0")
    assert wrong.returncode != 0 and f"v{__version__}" in wrong.stderr
    notes = _release("notes", f"v{__version__}").stdout
    assert notes.startswith("### ") and "## [" not in notes


def test_the_lockfile_pins_every_runtime_dependency_with_hashes() -> None:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}
    for requirement in project["dependencies"]:
        named = re.match(r"[A-Za-z0-9_.-]+", requirement)
        assert named is not None, requirement
        name = named.group(0).lower()
        assert name in pinned, f"{name} is not in requirements.lock: run `make lock`"
    assert lock.count("--hash=sha256:") >= len(pinned)
