"""Packaging facts: one version, a licence file that matches the metadata, no stale globs."""

import configparser
from pathlib import Path

import kiosk

REPO = Path(__file__).resolve().parents[1]


def setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg", encoding="utf-8")
    return cfg


def test_the_version_has_one_source():
    assert setup_cfg()["metadata"]["version"] == "attr: kiosk.__version__"
    assert kiosk.__version__.count(".") == 2
    assert f"## {kiosk.__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_licence_file_matches_the_metadata():
    meta = setup_cfg()["metadata"]
    assert meta["license"] == "MIT" and meta["license_files"] == "LICENSE"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Osteo Kiosk" in text


def test_every_package_data_glob_matches_a_file_and_every_data_folder_is_a_package():
    opts = setup_cfg()
    roots = {pkg.strip(): REPO / folder.strip() for pkg, folder in
             (line.split("=") for line in opts["options"]["package_dir"].strip().splitlines())}
    packages = opts["options"]["packages"].split()
    for pkg, globs in opts["options.package_data"].items():
        assert pkg in packages
        parent = next(p for p in sorted(roots, key=len, reverse=True) if pkg.startswith(p))
        folder = roots[parent].joinpath(*pkg[len(parent):].split(".")[1:])
        for pattern in (g.strip() for g in globs.split(",")):
            assert list(folder.glob(pattern)), f"{pkg}: {pattern} matches nothing in {folder}"
    for sub in (REPO / "assets").iterdir():  # setuptools warns about a folder left out
        if sub.is_dir() and sub.name != "__pycache__":
            assert f"kiosk.assets.{sub.name}" in packages


def test_ci_fails_on_a_type_error_and_pre_commit_runs_the_same_check():
    """``.ci/run`` and the pre-commit hook must not drift apart: both run ``mypy kiosk``."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/mypy kiosk || types=$?" in ci and '[ "$types" != 0 ]' in ci
    hook = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8").split("- id: mypy")[1]
    assert "entry: .venv/bin/mypy kiosk\n" in hook and "pass_filenames: false" in hook
