"""Bad input (issue 13, point 6): fuzzed config files, catalogues, replay CSVs and ``onerm``
numbers are each accepted or refused with lines naming the file and what is wrong: never a
traceback, never a hang. Examples are bounded and each has a deadline, so this stays quick;
the wider runs are marked ``slow``."""

import json
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import config
from kiosk.cli import main
from kiosk.errors import ConfigError, KioskError
from kiosk.mat.replay import read_trace
from kiosk.program.catalogue import CatalogueError, default_path, load_catalogue, parse_catalogue

QUICK = settings(max_examples=40, deadline=2000, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])
WIDE = settings(QUICK, max_examples=300)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def one_line_each(problems, path: Path) -> None:
    assert problems
    for line in problems:
        assert line.startswith(str(path)) and "\n" not in line, line
        assert "Traceback" not in line


# --- config ---------------------------------------------------------------------------------

def check_loader(tmp_path: Path, name: str, data: bytes, load, error) -> None:
    """``load`` the bytes as a file: accepted, or ``error`` with lines naming the file."""
    path = write(tmp_path, name, data)
    try:
        load(path)
    except error as exc:
        one_line_each(exc.problems, path)


def check_config_bytes(tmp_path: Path, data: bytes) -> None:
    check_loader(tmp_path, "config.toml", data, config.load, ConfigError)


@QUICK
@given(data=st.binary(max_size=300))
def test_any_bytes_as_config_are_accepted_or_refused_in_lines_naming_the_file(tmp_path, data):
    check_config_bytes(tmp_path, data)


def toml_value():
    scalars = st.one_of(st.booleans(), st.integers(-10**20, 10**20),
                        st.floats(allow_nan=False, allow_infinity=False),
                        st.text(st.characters(blacklist_categories=("Cs",),
                                              blacklist_characters="\x7f"), max_size=12))
    return st.one_of(scalars, st.lists(scalars, max_size=4))


def toml_doc(sections: dict) -> str:
    """A TOML writer small enough to trust: JSON strings and numbers are TOML's too."""
    lines = []
    for section, keys in sections.items():
        lines.append(f"[{json.dumps(section)}]")
        lines += [f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}"
                  for k, v in keys.items()]
    return "\n".join(lines) + "\n"


SECTIONS = [*sorted(config.SCHEMA), "voice ", "sound"]
KEYS = [*sorted({k for sec in config.SCHEMA.values() for k in sec}), "colour", ""]


@QUICK
@given(doc=st.dictionaries(st.sampled_from(SECTIONS),
                           st.dictionaries(st.sampled_from(KEYS), toml_value(), max_size=5),
                           max_size=4))
def test_any_values_for_known_keys_are_checked_not_crashed_on(tmp_path, doc):
    text = toml_doc(doc)
    tomllib.loads(text)  # the writer made valid TOML: the loader is what is under test
    check_config_bytes(tmp_path, text.encode())


@pytest.mark.parametrize("data", [b"\xff\xfe[voice]\n", "[profile]\nname = 'Zoë'\n".encode(
    "latin-1"), b"[" * 5000, b"a = " + b"[" * 5000])
def test_known_bad_configs_get_one_line_naming_the_file(tmp_path, data):
    check_config_bytes(tmp_path, data)


def test_run_with_a_config_that_is_not_utf8_shows_the_problem_screen(tmp_path, capsys):
    path = write(tmp_path, "config.toml", b"[profile]\nname = \"Zo\xeb\"\n")
    code = main(["run", "--config", str(path), "--windowed", "--frames", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "unexpected problem" not in err
    assert err.strip() == f"osteo-kiosk: {path}: line 2: not UTF-8 text (save it as UTF-8 TOML)"


# --- catalogue ------------------------------------------------------------------------------

def check_catalogue_bytes(tmp_path: Path, data: bytes) -> None:
    check_loader(tmp_path, "exercises.toml", data, load_catalogue, CatalogueError)


@QUICK
@given(data=st.binary(max_size=300))
def test_any_bytes_as_catalogue_are_accepted_or_refused_naming_the_file(tmp_path, data):
    check_catalogue_bytes(tmp_path, data)


REAL = tomllib.loads(default_path().read_text(encoding="utf-8"))
FIELDS = [*sorted({k for ex in REAL["exercise"] for k in ex}), "spine", "reps "]


@QUICK
@given(which=st.integers(0, len(REAL["exercise"]) - 1), field=st.sampled_from(FIELDS),
       value=toml_value())
def test_one_field_of_the_real_catalogue_set_to_anything_is_checked(which, field, value):
    raw = {"exercise": [dict(ex) for ex in REAL["exercise"]]}
    raw["exercise"][which][field] = value
    try:
        parse_catalogue(raw, "exercises.toml")
    except CatalogueError as exc:
        for line in exc.problems:
            assert line.startswith("exercises.toml: ") and "\n" not in line


@pytest.mark.parametrize("data", [b"\x80[[exercise]]\n", b"[[exercise]]\nid = " + b"[" * 5000])
def test_known_bad_catalogues_get_one_line_naming_the_file(tmp_path, data):
    check_catalogue_bytes(tmp_path, data)


# --- replay CSV -----------------------------------------------------------------------------

def check_trace_bytes(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "trace.csv", data)
    try:
        trace = read_trace(path)
    except KioskError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        return
    assert trace.samples


@QUICK
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_trace_are_accepted_or_refused_naming_the_file(tmp_path, data):
    check_trace_bytes(tmp_path, data)


cell = st.one_of(st.integers(-5, 1100).map(str), st.floats().map(repr),
                 st.text(alphabet="0123456789.-e ,\"x", max_size=6))


@QUICK
@given(rows=st.lists(st.lists(cell, min_size=2, max_size=4), max_size=12))
def test_trace_rows_of_anything_under_a_good_header_are_checked(tmp_path, rows):
    text = "t,left,right\n" + "\n".join(",".join(r) for r in rows) + "\n"
    check_trace_bytes(tmp_path, text.encode())


# --- onerm ----------------------------------------------------------------------------------

def check_onerm(capsys, weight: str, reps: str) -> None:
    code = main(["onerm", weight, reps])
    out, err = capsys.readouterr()
    if code == 0:
        assert not err and "inf" not in out and "nan" not in out.lower()
        return
    assert code in (1, 2) and not out
    assert len(err.strip().splitlines()) == 1 and "unexpected" not in err


@QUICK
@given(weight=st.floats(), reps=st.integers(-20, 40))
def test_onerm_accepts_sensible_numbers_and_refuses_the_rest(capsys, weight, reps):
    check_onerm(capsys, repr(weight), str(reps))


@QUICK
@given(weight=st.text(max_size=8), reps=st.text(max_size=4))
def test_onerm_with_any_text_is_one_line_never_a_traceback(capsys, weight, reps):
    if weight.startswith("-") or reps.startswith("-"):
        weight, reps = weight.lstrip("-"), reps.lstrip("-")  # not options
    check_onerm(capsys, weight or "x", reps or "x")


@pytest.mark.parametrize("weight", ["1e-320", "1e-300", "0.1", "nan", "inf", "-0.0"])
def test_onerm_refuses_weights_that_make_no_sense(capsys, weight):
    assert main(["onerm", weight, "10"]) == 1
    assert "is not possible" in capsys.readouterr().err
    assert math.isfinite(1e-320)  # a real float, not a parse error: the check refuses it


@pytest.mark.slow
@WIDE
@given(data=st.binary(max_size=2000))
def test_wide_fuzz_of_config_catalogue_and_trace(tmp_path, data):
    check_config_bytes(tmp_path, data)
    check_catalogue_bytes(tmp_path, data)
    check_trace_bytes(tmp_path, data)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "1e-320"])
def test_config_numbers_that_make_no_sense_are_refused(tmp_path, value):
    path = write(tmp_path, "config.toml", f"[coach]\npause_after_off_s = {value}\n".encode())
    with pytest.raises(ConfigError) as err:
        config.load(path)
    [line] = err.value.problems
    assert line.startswith(f"{path}: coach.pause_after_off_s: ") and "allowed" in line
