"""The package as most users get it: a wheel installed in a fresh virtual environment.

``make test-wheel`` runs this module (it is skipped in the ordinary run, because it builds,
downloads the dependencies into a new environment and takes a minute or two). It copies the
files git tracks into a temporary folder, builds the sdist and the wheel there with
``python -m build`` (no warnings allowed), checks both with ``twine check --strict``, installs
the wheel with the ``plot`` extra into a new virtual environment outside the source tree, and
runs every README snippet and ``geoconflict map`` with that installation, from a folder that
has no source tree in sight.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GEOCONFLICT_TEST_WHEEL") != "1",
        reason="builds and installs the wheel: run `make test-wheel`",
    ),
]


def run(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{shlex.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this checkout's Python settings (PYTHONPATH, venv)."""
    drop = {
        "PYTHONPATH",
        "VIRTUAL_ENV",
        "PYTHONHOME",
        "PYTHONDONTWRITEBYTECODE",
        "MPLBACKEND",
        "PYTHONSTARTUP",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def tracked_files() -> list[str]:
    result = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60)
    if result.returncode != 0:  # an unpacked sdist: everything but build output
        return [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file()
            and not {".venv", "build", "dist", "__pycache__"} & set(p.relative_to(ROOT).parts)
        ]
    return [
        name for name in result.stdout.decode().split("\0") if name and (ROOT / name).is_file()
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, object]:
    """Build sdist and wheel from a copy of the tracked files; return paths and the log."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    files = tracked_files()
    for name in files:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = base / "dist"
    log = run([sys.executable, "-m", "build", "--outdir", dist, source], cwd=base, env=clean_env())
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())
    return {
        "base": base,
        "dist": dist,
        "wheel": wheels[0],
        "sdist": sdists[0],
        "files": files,
        "log": log.stdout + log.stderr,
    }


@pytest.fixture(scope="module")
def venv(built) -> Path:
    """A new virtual environment outside the source tree with the wheel installed."""
    base: Path = built["base"]
    env_dir = base / "venv"
    run([sys.executable, "-m", "venv", env_dir], cwd=base, env=clean_env())
    python = env_dir / "bin" / "python"
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{built['wheel']}[plot]",
        ],
        cwd=base,
        env=clean_env(),
        timeout=1800,
    )
    return env_dir


@pytest.fixture
def workdir(built, tmp_path) -> Path:
    """An empty folder away from the source tree, to run the installed package from."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def in_venv(venv: Path, args: list[str], *, cwd: Path, **env: str):
    path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return run(args, cwd=cwd, env=clean_env(PATH=path, MPLBACKEND="Agg", **env))


def installed_example(venv: Path, cwd: Path) -> Path:
    out = in_venv(
        venv,
        [venv / "bin" / "python", "-c", "import geoconflict; print(geoconflict.example_path())"],
        cwd=cwd,
    )
    return Path(out.stdout.strip())


# --------------------------------------------------------------------------- the build


def test_build_prints_no_warnings(built):
    noisy = [
        line
        for line in str(built["log"]).splitlines()
        if re.search(r"warn(?!\.py)|deprecat|!!", line, re.I)  # not the module _warn.py
    ]
    assert noisy == [], "\n".join(noisy)


def test_twine_check_passes(built):
    result = run(
        [sys.executable, "-m", "twine", "check", "--strict", built["wheel"], built["sdist"]],
        cwd=built["base"],
        env=clean_env(),
    )
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_holds_every_file_of_the_package(built):
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = set(whl.namelist())
    package = {name for name in built["files"] if name.startswith("geoconflict/")}
    assert package - names == set()
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]
    for needed in (
        "geoconflict/_data/LICENSES.md",
        "geoconflict/maps/static/runtime.js",
        "geoconflict/py.typed",
        "geoconflict/_data/syria_2024/places.csv",
        "geoconflict/_data/syria_2024/control.csv",
    ):
        assert needed in names, needed
    dist_info = {n.split("/", 1)[1] for n in names if ".dist-info/" in n}
    assert {"licenses/LICENSE", "licenses/data/LICENSES.md", "entry_points.txt"} <= dist_info


def test_sdist_holds_the_sources_and_the_data(built):
    with tarfile.open(built["sdist"]) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for needed in (
        "LICENSE",
        "CITATION.cff",
        "CHANGELOG.md",
        "README.md",
        "setup.cfg",
        "pyproject.toml",
        "data/LICENSES.md",
        "geoconflict/_data/LICENSES.md",
        "geoconflict/_data/syria_2024/places.csv",
        "tests/test_wheel.py",
        "notebooks/01_quickstart.ipynb",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]


# --------------------------------------------------------------------------- installed


def test_installed_package_is_the_wheel_with_its_example(venv, workdir):
    code = (
        "import geoconflict as gc, pathlib; "
        "print(gc.__file__); print(gc.example_path()); print(gc.__version__); "
        "c = gc.load_example(); print(len(c.places), len(c.control))"
    )
    out = in_venv(venv, [venv / "bin" / "python", "-c", code], cwd=workdir).stdout.split("\n")
    module, example, version = Path(out[0]), Path(out[1]), out[2]
    assert venv in module.parents and "site-packages" in module.parts
    assert module.parent in example.parents, "the example must come from the package"
    import geoconflict

    assert version == geoconflict.__version__
    assert int(out[3].split()[0]) > 0 and int(out[3].split()[1]) > 0


def test_version_command(venv, workdir):
    import geoconflict

    out = in_venv(venv, ["geoconflict", "--version"], cwd=workdir)
    assert out.stdout.strip() == f"geoconflict {geoconflict.__version__}"


def python_blocks() -> list[str]:
    return [
        body
        for lang, body in FENCE.findall(README.read_text(encoding="utf-8"))
        if lang == "python"
    ]


def readme_commands() -> list[str]:
    return [
        line.split("#")[0].strip()
        for lang, body in FENCE.findall(README.read_text(encoding="utf-8"))
        if lang == "sh"
        for line in body.splitlines()
        if line.startswith("geoconflict ")
    ]


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_block_runs_with_the_wheel(index, venv, workdir):
    code = python_blocks()[index]
    script = workdir / f"readme_block_{index + 1}.py"
    script.write_text(code, encoding="utf-8")
    in_venv(venv, [venv / "bin" / "python", script.name], cwd=workdir)
    for name in re.findall(r'"([\w.-]+\.(?:html|gpkg|png|svg|pdf))"', code):
        assert (workdir / name).stat().st_size > 0, f"block {index + 1} should write {name}"


def link_example_paths(command: list[str], workdir: Path, example: Path) -> None:
    """Make the README's dataset paths (relative to the source tree) point at the installed
    example, so the commands run as written."""
    for arg in command[2:]:
        source = ROOT / arg
        if not arg.startswith("-") and (source / "places.csv").is_file():
            target = workdir / arg
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.symlink_to(example, target_is_directory=True)


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_with_the_wheel(command, venv, workdir):
    args = shlex.split(command)
    link_example_paths(args, workdir, installed_example(venv, workdir))
    in_venv(venv, args, cwd=workdir)
    if "-o" in args:
        assert (workdir / args[args.index("-o") + 1]).exists()


def test_map_command_writes_an_offline_map(venv, workdir):
    example = installed_example(venv, workdir)
    out = in_venv(
        venv, ["geoconflict", "map", example, "--no-tiles", "-o", "map.html"], cwd=workdir
    )
    assert "map.html" in out.stdout
    html = (workdir / "map.html").read_text(encoding="utf-8")
    assert "Leaflet" in html and "<script src=" not in html
    assert len(html) > 100_000
