"""The functional core imports no hardware, screen, voice or database library, and each room
imports only the rooms below it (the layer map): a wrong-way import fails here, not in review."""

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"

#: Every pure module: values in, values out; the shell wires them to the world.
PURE = ["kiosk.program.model", "kiosk.program.catalogue", "kiosk.program.safety",
        "kiosk.program.plan", "kiosk.program.onerm", "kiosk.program.progression",
        "kiosk.program.advice", "kiosk.program.cautions", "kiosk.program.simulate",
        "kiosk.program.checkins", "kiosk.program.ledger",
        "kiosk.mat.events", "kiosk.mat.force", "kiosk.mat.calibrate", "kiosk.mat.detector",
        "kiosk.mat.link", "kiosk.mat.settings", "kiosk.mat.health", "kiosk.mat.baseline",
        "kiosk.mat.movements", "kiosk.mat.loads", "kiosk.mat.balance", "kiosk.mat.chair",
        "kiosk.mat.watch", "kiosk.mat.who",
        "kiosk.coach.events", "kiosk.coach.cues", "kiosk.coach.steps", "kiosk.coach.engine",
        "kiosk.coach.timeline",
        "kiosk.coach.balance_steps",
        "kiosk.coach.recorder", "kiosk.coach.resume", "kiosk.coach.whoask",
        "kiosk.ui.theme", "kiosk.ui.pictograms", "kiosk.ui.views",
        "kiosk.store.records", "kiosk.store.reports", "kiosk.store.facts",
        "kiosk.store.sections", "kiosk.store.report_html", "kiosk.store.balance_report",
        "kiosk.store.norms",
        "kiosk.reminders", "kiosk.config", "kiosk.sections", "kiosk.clock", "kiosk.errors",
        "kiosk.paths"]
EDGES = ["pygame", "gpiozero", "pyttsx3", "sqlite3"]

#: The layer map: what a pure module of each room may import besides its own room. Prefixes:
#: ``kiosk.program`` allows the whole room, ``kiosk.mat.events`` that one module.
LAYERS: dict[str, tuple[str, ...]] = {
    "kiosk.program": ("kiosk.errors", "kiosk.paths"),
    "kiosk.mat": ("kiosk.errors",),  # never the coach: the link speaks in mat events
    "kiosk.store": ("kiosk.errors", "kiosk.program.model"),
    "kiosk.coach": ("kiosk.errors", "kiosk.program", "kiosk.mat.events", "kiosk.mat.movements",
                    "kiosk.store.records"),
    "kiosk.ui": ("kiosk.coach.engine", "kiosk.coach.steps", "kiosk.coach.cues"),
    "kiosk": ("kiosk.errors", "kiosk.paths", "kiosk.sections", "kiosk.clock"),  # top-level core
}


def _room(module: str) -> str:
    return max((r for r in LAYERS if module == r or module.startswith(r + ".")), key=len)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def kiosk_imports(module: str) -> set[str]:
    """The kiosk modules a module imports, at the top or inside a function."""
    path = KIOSK.parent / (module.replace(".", "/") + ".py")
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for block in ast.walk(tree)  # ``if TYPE_CHECKING:`` imports: types only
                 if isinstance(block, ast.If) and isinstance(block.test, ast.Name)
                 and block.test.id == "TYPE_CHECKING" for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # ``from kiosk.coach import cues`` imports a module
                sub = f"{node.module}.{alias.name}"
                found.add(sub if _is_module(sub) else node.module)
    return {m for m in found if m == "kiosk" or m.startswith("kiosk.")}


def _allowed(module: str, imported: str) -> bool:
    room = _room(module)
    if room != "kiosk" and (imported == room or imported.startswith(room + ".")):
        return True
    return any(imported == a or imported.startswith(a + ".") for a in LAYERS[room])


def test_pure_modules_load_without_the_edges():
    code = (f"import importlib, json, sys\n"
            f"for m in {PURE!r}: importlib.import_module(m)\n"
            f"print(json.dumps([e for e in {EDGES!r} if e in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_only_pure_modules_of_the_rooms_below(module):
    for imported in kiosk_imports(module):
        assert imported in PURE, f"{module} imports {imported}, which is not pure"
        assert _allowed(module, imported), \
            f"{module} ({_room(module)}) may not import {imported}: see LAYERS"


def test_every_pure_looking_module_is_listed():
    """A new module in a room is listed as pure or named here: adapters to the world, the
    commands, benches and sample screens (the shell's side)."""
    adapters = {"kiosk.mat.adc", "kiosk.mat.mock_adc", "kiosk.mat.sim", "kiosk.mat.replay",
                "kiosk.mat.commands", "kiosk.mat.bench", "kiosk.mat.doctor",
                "kiosk.coach.speech", "kiosk.coach.bench", "kiosk.program.commands",
                "kiosk.program.bench",
                "kiosk.ui.paint", "kiosk.ui.display", "kiosk.ui.bench", "kiosk.ui.samples",
                "kiosk.ui.shots", "kiosk.ui.screen", "kiosk.ui.repaint", "kiosk.ui.live",
                "kiosk.store.db", "kiosk.store.export",
                "kiosk.store.commands", "kiosk.store.bench"}
    for room in ("program", "mat", "coach", "ui", "store"):
        for path in sorted((KIOSK / room).glob("*.py")):
            name = f"kiosk.{room}.{path.stem}"
            if not path.stem.startswith("_"):  # the store's private modules are its adapter
                assert name in PURE or name in adapters, f"{name}: pure or an adapter?"


def test_the_mat_room_never_imports_the_coach():
    """Dependency direction: the coach listens to the mat, never the other way round."""
    for path in sorted((KIOSK / "mat").glob("*.py")):
        module = f"kiosk.mat.{path.stem}"
        wrong = {m for m in kiosk_imports(module) if m.startswith(("kiosk.coach", "kiosk.ui"))}
        assert not wrong, f"{module} imports {sorted(wrong)}"


def test_type_only_imports_are_not_dependencies(tmp_path, monkeypatch):
    """``if TYPE_CHECKING:`` imports name a type for the checker; they load nothing at run time."""
    monkeypatch.setattr(sys.modules[__name__], "KIOSK", tmp_path / "kiosk")
    (tmp_path / "kiosk" / "mat").mkdir(parents=True)
    (tmp_path / "kiosk" / "mat" / "probe.py").write_text(
        "from typing import TYPE_CHECKING\nimport kiosk.errors\n"
        "if TYPE_CHECKING:\n    from kiosk.config import Config\n", encoding="utf-8")
    assert kiosk_imports("kiosk.mat.probe") == {"kiosk.errors"}


def test_the_layer_check_catches_a_wrong_way_import():
    assert not _allowed("kiosk.mat.link", "kiosk.coach.events")
    assert not _allowed("kiosk.coach.steps", "kiosk.store.db")
    assert not _allowed("kiosk.ui.views", "kiosk.mat.detector")
    assert _allowed("kiosk.coach.engine", "kiosk.mat.events")
