"""Build forumkit with PyInstaller, then smoke-test the program that was built.

    python build_installer.py               build every target into dist/, then smoke-test it
    python build_installer.py --skip-build  smoke-test what is already in dist/
    python build_installer.py --target forumkit-app

Each target is a one-folder PyInstaller bundle (``dist/<name>/<name>`` plus its
``_internal/`` folder) with ``resources/`` bundled as data at ``forumkit/resources``, where
:func:`forumkit.paths.resources_dir` looks inside a bundle. There are two targets: the
``forumkit`` command line and the ``forumkit-app`` desktop app, each with its own smoke test.

The smoke test runs the *built* program, not the source: in a temporary folder, with the test
key derivation (``FORUMKIT_INSECURE_TEST_KDF=1``, so it takes seconds, not minutes) and a
temporary settings folder, the command line creates a forum file, reads it back, verifies it and
checks that a wrong passphrase gives exit code 3; the desktop app prints its version, passes its
own ``--self-test`` (with the real key derivation) and starts offscreen on the demo forum, which
it must reach while staying up. Any failure prints one clear line and exits non-zero.

The desktop app carries only the Qt modules forumkit uses (``QT_MODULES_USED``; the others are
excluded), the app icon (``resources/icons``: ``.ico`` on Windows, the PNG on macOS, which
PyInstaller turns into ``.icns`` when Pillow is installed; Linux executables carry none, the
window's icon comes from ``resources/``) and forumkit's version (``--version``, and on Windows
the executable's version resource). After building it, the script builds a bare PySide6
window (``benchmarks/bare_window.py``) the same way and prints both sizes: the app must stay
within 1.5 times the bare window's bundle plus what the PDF engine (Typst) adds, or the build
fails.

Signing hooks (not tried here: no certificates on this machine): on macOS,
``FORUMKIT_CODESIGN_IDENTITY`` (and ``FORUMKIT_ENTITLEMENTS``, a plist) go to PyInstaller's
``--codesign-identity`` and ``--osx-entitlements-file``; on any system,
``FORUMKIT_SIGN_COMMAND`` is run after each build with ``{path}`` replaced by the executable
(e.g. ``signtool sign /fd SHA256 /a {path}`` on Windows); the build fails if it fails.
"""

from __future__ import annotations

import argparse
import json
import os
import pkgutil
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
RESOURCES = ROOT / "resources"
# Where resources sit inside a bundle; forumkit.paths.resources_dir() looks exactly here.
BUNDLED_RESOURCES = "forumkit/resources"
# PyInstaller 6's default, passed explicitly so the layout the smoke test checks is fixed.
CONTENTS_DIRECTORY = "_internal"
# A file every build must carry; if it is missing, resources_dir() would fail in the bundle.
RESOURCE_PROBE = ("codebooks", "nnpcf-key-messages.json")
COMMAND_TIMEOUT_S = 120
ICONS = RESOURCES / "icons"
# The Qt modules forumkit's app imports (tests/ui/test_build_installer.py checks ui/ against it);
# every other module of the installed PySide6 is left out of the bundle.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
BARE_WINDOW = ROOT / "benchmarks" / "bare_window.py"
BARE_DIST = ROOT / "build" / "bare" / "dist"
# The app's bundle may weigh this many times a bare PySide6 window's, plus the PDF engine.
SIZE_FACTOR = 1.5
PDF_ENGINE = ("typst",)

# Exit codes of the forumkit command line (docs/cli.md).
EXIT_OK = 0
EXIT_WRONG_PASSPHRASE = 3


class BuildFailed(Exception):
    """PyInstaller could not build a target."""


class SmokeTestFailed(Exception):
    """The built program did not behave as the smoke test expects."""


@dataclass(frozen=True)
class Target:
    """One program to bundle: its name in dist/, its entry point and its smoke test."""

    name: str
    entry_point: str  # "module:function", as in pyproject.toml's [project.scripts]
    smoke_test: Callable[[Target], None]
    windowed: bool = False
    icon: bool = False
    dist: Path = DIST
    script: Path | None = None  # a script to bundle as it is, instead of an entry point
    # Modules the program never needs (the CLI never touches Qt: a core test enforces it).
    excludes: tuple[str, ...] = ()
    hidden_imports: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = field(default=())

    @property
    def folder(self) -> Path:
        return self.dist / self.name

    @property
    def executable(self) -> Path:
        suffix = ".exe" if sys.platform == "win32" else ""
        return self.folder / f"{self.name}{suffix}"

    @property
    def contents(self) -> Path:
        return self.folder / CONTENTS_DIRECTORY


# -- building -------------------------------------------------------------------------------


def write_launcher(target: Target) -> Path:
    """A two-line script calling the entry point: PyInstaller wants a script, not a function."""
    if target.script is not None:
        return target.script
    module, _, function = target.entry_point.partition(":")
    if not module or not function:
        raise BuildFailed(f"{target.name}: entry point must be 'module:function'")
    # Not named after the target: a launcher called forumkit.py would shadow the package.
    launcher = WORK / "launchers" / f"launch_{target.name.replace('-', '_')}.py"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text(
        f'"""Generated by build_installer.py: starts {target.entry_point}."""\n'
        f"from {module} import {function}\n\n{function}()\n",
        encoding="utf-8",
    )
    return launcher


def unused_qt_modules() -> list[str]:
    """Every module of the installed PySide6 the app does not use, to exclude from its bundle."""
    import PySide6

    found = {m.name for m in pkgutil.iter_modules(PySide6.__path__) if m.name.startswith("Qt")}
    return sorted(f"PySide6.{name}" for name in found - set(QT_MODULES_USED))


def icon_for_platform(platform: str = sys.platform) -> Path | None:
    """The icon file PyInstaller takes on ``platform``; Linux executables carry none."""
    if platform == "win32":
        return ICONS / "forumkit.ico"
    if platform == "darwin":
        return ICONS / "forumkit.png"  # made into .icns by PyInstaller (needs Pillow)
    return None


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` as the four numbers a Windows version resource holds."""
    numbers = [int(part) if part.isdigit() else 0 for part in version.split(".")[:4]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def windows_version_file(target: Target, version: str) -> Path:
    """The executable's version resource (File → Properties → Details on Windows)."""
    numbers = version_tuple(version)
    exe = f"{target.name}.exe"
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', 'forumkit'),
      StringStruct('FileDescription', 'forumkit: evidence for parent carer forums'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', '{target.name}'),
      StringStruct('OriginalFilename', '{exe}'),
      StringStruct('ProductName', 'forumkit'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""
    path = WORK / target.name / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def forumkit_version() -> str:
    sys.path.insert(0, str(ROOT))
    from forumkit import __version__

    return __version__


def pyinstaller_arguments(
    target: Target, launcher: Path, platform: str = sys.platform
) -> list[str]:
    args = [
        str(launcher),
        "--name",
        target.name,
        "--onedir",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(target.dist),
        "--workpath",
        str(WORK / target.name),
        "--specpath",
        str(WORK / target.name),
        "--contents-directory",
        CONTENTS_DIRECTORY,
        "--paths",
        str(ROOT),
        # Absolute source path: relative ones would be read from the spec file's folder.
        "--add-data",
        f"{RESOURCES}{os.pathsep}{BUNDLED_RESOURCES}",
        "--windowed" if target.windowed else "--console",
    ]
    excludes = list(target.excludes)
    if target.windowed:
        excludes += unused_qt_modules()
    for module in excludes:
        args += ["--exclude-module", module]
    for module in target.hidden_imports:
        args += ["--hidden-import", module]
    icon = icon_for_platform(platform) if target.icon else None
    if icon is not None:
        args += ["--icon", str(icon)]
    if target.script is None:  # forumkit's own programs, not the bare window
        if platform == "win32":
            args += ["--version-file", str(windows_version_file(target, forumkit_version()))]
        if platform == "darwin":
            args += ["--osx-bundle-identifier", f"org.forumkit.{target.name}"]
            identity = os.environ.get("FORUMKIT_CODESIGN_IDENTITY")
            if identity:
                args += ["--codesign-identity", identity]
                entitlements = os.environ.get("FORUMKIT_ENTITLEMENTS")
                if entitlements:
                    args += ["--osx-entitlements-file", entitlements]
    args += target.extra_args
    return args


def sign(target: Target) -> None:
    """Run ``FORUMKIT_SIGN_COMMAND`` on the built executable, if set (module docstring)."""
    template = os.environ.get("FORUMKIT_SIGN_COMMAND")
    if not template or target.script is not None:
        return
    command = [part.replace("{path}", str(target.executable)) for part in shlex.split(template)]
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        raise BuildFailed(f"signing {target.executable} failed (exit code {done.returncode})")
    print(f"signed {target.executable}", flush=True)


def build(target: Target) -> None:
    import PyInstaller.__main__  # type: ignore[import-untyped]

    if not (RESOURCES / Path(*RESOURCE_PROBE)).is_file():
        raise BuildFailed(f"{RESOURCES / Path(*RESOURCE_PROBE)} is missing from the checkout")
    launcher = write_launcher(target)
    print(f"building {target.name} with PyInstaller (this takes a few minutes)…", flush=True)
    started = time.monotonic()
    try:
        PyInstaller.__main__.run(pyinstaller_arguments(target, launcher))
    except SystemExit as exc:
        # PyInstaller exits through sys.exit on a failed build; code 0/None means it finished.
        if exc.code not in (0, None):
            raise BuildFailed(f"PyInstaller stopped with exit code {exc.code}") from None
    if not target.executable.is_file():
        raise BuildFailed(f"PyInstaller finished but {target.executable} does not exist")
    print(f"built {target.folder} in {time.monotonic() - started:.0f} s", flush=True)
    sign(target)


# -- size ----------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += (Path(root) / name).lstat().st_size
    return total


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True)
class SizeReport:
    """The app's bundle against a bare PySide6 window's, and what the PDF engine adds."""

    app: int
    bare: int
    pdf_engine: int

    @property
    def limit(self) -> int:
        return int(SIZE_FACTOR * self.bare + self.pdf_engine)

    @property
    def within(self) -> bool:
        return self.app <= self.limit

    def lines(self) -> list[str]:
        return [
            f"  size  forumkit-app bundle: {mb(self.app)}",
            f"  size  bare PySide6 window bundle: {mb(self.bare)}",
            f"  size  the PDF engine (Typst) in forumkit-app: {mb(self.pdf_engine)}",
            f"  size  limit {SIZE_FACTOR} × {mb(self.bare)} + {mb(self.pdf_engine)} = "
            f"{mb(self.limit)}: {'within' if self.within else 'OVER'}",
        ]


def measure_sizes(app: Target, bare: Target) -> SizeReport:
    engine = sum(folder_size(app.contents / name) for name in PDF_ENGINE)
    return SizeReport(folder_size(app.folder), folder_size(bare.folder), engine)


# -- smoke testing --------------------------------------------------------------------------


def _environment(config_dir: Path, passphrase: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The bundle must not lean on the checkout or on the developer's forumkit settings.
        if key not in {"PYTHONPATH", "PYTHONHOME"} and not key.startswith("FORUMKIT_")
    }
    env["FORUMKIT_INSECURE_TEST_KDF"] = "1"
    env["FORUMKIT_CONFIG_DIR"] = str(config_dir)
    env["FORUMKIT_PASSPHRASE"] = passphrase
    return env


def _run(
    target: Target, args: Sequence[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    command = [str(target.executable), *args]
    try:
        return subprocess.run(
            command,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SmokeTestFailed(
            f"`{target.name} {' '.join(args)}` did not finish in {COMMAND_TIMEOUT_S} s"
        ) from None
    except OSError as exc:
        raise SmokeTestFailed(f"could not run {target.executable}: {exc}") from None


def _expect(
    result: subprocess.CompletedProcess[str], code: int, what: str
) -> subprocess.CompletedProcess[str]:
    if result.returncode != code:
        output = (result.stderr.strip() or result.stdout.strip() or "(no output)")[-800:]
        raise SmokeTestFailed(
            f"{what}: expected exit code {code}, got {result.returncode}; output: {output}"
        )
    return result


def check_bundled_resources(target: Target) -> None:
    """The file forumkit.paths.resources_dir() will find in the bundle (sys._MEIPASS)."""
    probe = target.contents / BUNDLED_RESOURCES / Path(*RESOURCE_PROBE)
    if not probe.is_file():
        raise SmokeTestFailed(
            f"{probe} is missing: resources were not bundled at {BUNDLED_RESOURCES}, so "
            "forumkit.paths.resources_dir() would fail in the built program"
        )
    try:
        json.loads(probe.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SmokeTestFailed(f"{probe} is not readable JSON: {exc}") from None
    print(f"  ok  resources bundled: {probe.relative_to(target.folder)}")


def smoke_test_cli(target: Target) -> None:
    """new, info --json, verify and a wrong passphrase, run with the built `forumkit`."""
    if not target.executable.is_file():
        raise SmokeTestFailed(f"{target.executable} does not exist; build it first")
    check_bundled_resources(target)
    forum = "Smoke Test Parent Carer Forum – Ünïcödé"
    passphrase = "correct horse battery staple"
    with tempfile.TemporaryDirectory(prefix="forumkit-smoke-") as temp:
        folder = Path(temp)
        env = _environment(folder / "config", passphrase)
        forum_file = folder / "smoke.forumkit"

        _expect(_run(target, ["--version"], env, folder), EXIT_OK, "forumkit --version")
        print("  ok  --version")

        new = _run(
            target, ["new", str(forum_file), "--forum", forum, "--area", "Testshire"], env, folder
        )
        _expect(new, EXIT_OK, "forumkit new")
        if not forum_file.is_file():
            raise SmokeTestFailed(f"forumkit new exited 0 but {forum_file} was not created")
        print("  ok  new")

        info = _expect(
            _run(target, ["info", str(forum_file), "--json"], env, folder),
            EXIT_OK,
            "forumkit info --json",
        )
        try:
            data = json.loads(info.stdout)
        except ValueError:
            raise SmokeTestFailed(
                f"forumkit info --json did not print JSON: {info.stdout[:300]!r}"
            ) from None
        if not isinstance(data, dict) or data.get("forum") != forum:
            found = data.get("forum") if isinstance(data, dict) else data
            raise SmokeTestFailed(f"forumkit info --json gave forum {found!r}, expected {forum!r}")
        print("  ok  info --json (forum name round-trips)")

        _expect(_run(target, ["verify", str(forum_file)], env, folder), EXIT_OK, "verify")
        print("  ok  verify")

        wrong_env = {**env, "FORUMKIT_PASSPHRASE": "not the passphrase at all"}
        wrong = _expect(
            _run(target, ["info", str(forum_file)], wrong_env, folder),
            EXIT_WRONG_PASSPHRASE,
            "forumkit info with a wrong passphrase",
        )
        if "Traceback" in wrong.stderr:
            raise SmokeTestFailed("a wrong passphrase printed a traceback")
        print("  ok  wrong passphrase → exit 3")

        # An evidence pack proves the bundle carries Typst (its compiler and fonts), pypdf and
        # the pack's template and word list.
        demo = folder / "demo.forumkit"
        _expect(_run(target, ["demo", str(demo)], env, folder), EXIT_OK, "forumkit demo")
        survey = json.loads(
            _expect(
                _run(target, ["survey", "list", str(demo), "--json"], env, folder),
                EXIT_OK,
                "forumkit survey list --json",
            ).stdout
        )["surveys"][0]["id"]
        pdf = folder / "pack.pdf"
        made = _expect(
            _run(target, ["pack", str(demo), survey, str(pdf), "--json"], env, folder),
            EXIT_OK,
            "forumkit pack",
        )
        password = json.loads(made.stdout).get("password", "")
        data = pdf.read_bytes() if pdf.is_file() else b""
        encrypted = data.startswith(b"%PDF-") and b"/Encrypt" in data
        if not encrypted or len(password.split("-")) != 5:
            raise SmokeTestFailed("forumkit pack did not write an encrypted PDF with a password")
        print("  ok  pack (an encrypted PDF, five-word password)")


APP_START_TIMEOUT_S = 90
APP_RESOURCES = (
    ("ui", "forumkit.qss"),
    ("demo", "parent-survey-2026.xlsx"),
    ("icons", "lock.svg"),
)


def _demo_responses(path: Path) -> int:
    """How many complete responses the demo forum file the app wrote holds (0 if not yet)."""
    os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"  # the app wrote it under the test KDF
    from forumkit.demo import DEMO_PASSPHRASE
    from forumkit.errors import ForumkitError
    from forumkit.responses import count_responses
    from forumkit.surveys import list_surveys
    from forumkit.workspace import Workspace

    try:
        # Read-only: the app holds the file open for changes (one writer at a time).
        with Workspace.open(path, DEMO_PASSPHRASE, read_only=True) as workspace:
            return sum(
                count_responses(workspace.db, s.id, status="complete")
                for s in list_surveys(workspace.db)
            )
    except (ForumkitError, OSError):
        return 0  # still being written


def smoke_test_app(target: Target) -> None:
    """Start the built desktop app on the demo forum (offscreen) and see it get there.

    ``--demo`` builds the demo forum file in a temporary folder through the whole core; finding
    that file complete, with its responses, while the process is still running proves the
    bundle has a working Qt platform plugin, the stylesheet, the demo survey and the core.
    """
    if not target.executable.is_file():
        raise SmokeTestFailed(f"{target.executable} does not exist; build it first")
    check_bundled_resources(target)
    for parts in APP_RESOURCES:
        bundled = target.contents / BUNDLED_RESOURCES / Path(*parts)
        if not bundled.is_file():
            raise SmokeTestFailed(f"{bundled} is missing from the bundle")
    with tempfile.TemporaryDirectory(prefix="forumkit-app-smoke-") as temp:
        folder = Path(temp)
        env = _environment(folder / "config", "unused")
        version = _expect(_run(target, ["--version"], env, folder), EXIT_OK, "--version")
        expected = f"forumkit-app {forumkit_version()}"
        if version.stdout.strip() != expected:
            raise SmokeTestFailed(f"--version said {version.stdout.strip()!r}, not {expected!r}")
        print(f"  ok  --version ({expected})")
        # The self-test with the real key derivation, as on a volunteer's laptop.
        real = {k: v for k, v in env.items() if k != "FORUMKIT_INSECURE_TEST_KDF"}
        tested = _run(target, ["--self-test"], real, folder)
        for line in tested.stdout.splitlines():
            print(f"      {line}")
        _expect(tested, EXIT_OK, "forumkit-app --self-test")
        if "self-test passed" not in tested.stdout:
            raise SmokeTestFailed("forumkit-app --self-test exited 0 without saying it passed")
        print("  ok  --self-test")
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["TMPDIR"] = str(folder)  # where --demo makes its temporary forum file
        app = subprocess.Popen(
            [str(target.executable), "--demo"],
            env=env,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + APP_START_TIMEOUT_S
            responses = 0
            while time.monotonic() < deadline:
                if app.poll() is not None:
                    _, err = app.communicate()
                    tail = err.decode("utf-8", "replace").strip()[-800:] or "(no output)"
                    raise SmokeTestFailed(
                        f"forumkit-app --demo exited with code {app.returncode}: {tail}"
                    )
                demo_files = list(folder.glob("forumkit-demo-*/demo-forum.forumkit"))
                if demo_files and (responses := _demo_responses(demo_files[0])) > 0:
                    break
                time.sleep(1)
            else:
                raise SmokeTestFailed(
                    f"forumkit-app --demo did not build the demo forum in {APP_START_TIMEOUT_S} s"
                )
            time.sleep(2)
            if app.poll() is not None:
                raise SmokeTestFailed("forumkit-app stopped after opening the demo forum")
            print(f"  ok  forumkit-app --demo built and opened the demo ({responses} responses)")
        finally:
            if app.poll() is None:
                app.terminate()
                try:
                    app.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    app.kill()
                    app.wait()


TARGETS: tuple[Target, ...] = (
    Target(
        name="forumkit",
        entry_point="forumkit.cli:run",
        smoke_test=smoke_test_cli,
        # sqlite-utils imports numpy and pandas only if they happen to be installed.
        excludes=("PySide6", "shiboken6", "ui", "numpy", "pandas"),
    ),
    Target(
        name="forumkit-app",
        entry_point="ui.app:run",
        smoke_test=smoke_test_app,
        windowed=True,
        icon=True,
        excludes=("numpy", "pandas", "tkinter"),
    ),
)


def smoke_test_bare(target: Target) -> None:
    if not target.executable.is_file():
        raise SmokeTestFailed(f"{target.executable} does not exist; build it first")


BARE = Target(
    name="bare-qt-window",
    entry_point="",
    smoke_test=smoke_test_bare,
    windowed=True,
    dist=BARE_DIST,
    script=BARE_WINDOW,
    excludes=("tkinter",),
)
"""A bare PySide6 QMainWindow, bundled the same way: the yardstick for the app's size and
start-up time (benchmarks/bench_startup.py)."""


def relocate(targets: Sequence[Target], out: Path) -> list[Target]:
    """The targets built under ``out`` (``--out``): their bundles, the bare window's and
    PyInstaller's work folder."""
    global WORK, BARE  # the script's settings, set once from its arguments
    WORK = out / "build" / "pyinstaller"
    BARE = replace(BARE, dist=out / "build" / "bare" / "dist")
    return [replace(target, dist=out / "dist") for target in targets]


def check_size(app: Target, *, rebuild: bool) -> None:
    """Build the bare window (unless there is one and ``rebuild`` is False), print both sizes
    and fail the build if the app is over its limit."""
    if rebuild or not BARE.executable.is_file():
        build(BARE)
    report = measure_sizes(app, BARE)
    for line in report.lines():
        print(line, flush=True)
    if not report.within:
        raise BuildFailed(
            f"{app.name} is {mb(report.app)}, over its limit of {mb(report.limit)}: see what "
            "the bundle carries that the app does not use"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--skip-build", action="store_true", help="only smoke-test the existing build in dist/"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="build into OUT/dist and OUT/build instead of dist/ and build/ (the tests do)",
    )
    parser.add_argument(
        "--no-size-check",
        action="store_true",
        help="do not build the bare PySide6 window to compare the app's size with",
    )
    parser.add_argument(
        "--target",
        action="append",
        choices=[t.name for t in TARGETS],
        help="build/test only this target (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    chosen = [t for t in TARGETS if not args.target or t.name in args.target]
    if args.out is not None:
        chosen = relocate(chosen, args.out.resolve())
    try:
        for target in chosen:
            if not args.skip_build:
                build(target)
            print(f"smoke-testing {target.executable}…", flush=True)
            target.smoke_test(target)
            if target.name == "forumkit-app" and not args.no_size_check:
                check_size(target, rebuild=not args.skip_build)
    except BuildFailed as exc:
        print(f"build_installer: build failed: {exc}", file=sys.stderr)
        return 1
    except SmokeTestFailed as exc:
        print(f"build_installer: smoke test failed: {exc}", file=sys.stderr)
        return 1
    names = ", ".join(str(t.folder) for t in chosen)
    print(f"build_installer: {names}: smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
