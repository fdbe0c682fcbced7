"""A household in one config: up to four people, each with their own profile, schedule and
program, checked as the rest of the file is (every problem at once, file and dotted key)."""

import json

import pytest

from kiosk import config
from kiosk.cli import main
from kiosk.errors import ConfigError
from kiosk.sections import SOLO

HOUSEHOLD = """
[program]
weights_kg = [1.0, 2.0, 4.0]

[people.anna.profile]
name = "Anna"
fracture_history = "no"
impact_cleared = true
birth_year = 1950
sex = "female"

[people.bert.profile]
fracture_history = "yes"
[people.bert.schedule]
morning = "10:00"
strength_days = ["tue", "thu"]
[people.bert.program]
weights_kg = [2.0, 5.0]
"""


def write(tmp_path, text, name="config.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_single_person_file_is_one_person_named_me_in_the_log(tmp_path):
    cfg = config.load(write(tmp_path, '[profile]\nname = "Anna"\n[program]\nhold_s = 30\n'))
    assert not cfg.household
    assert [(p.key, p.name) for p in cfg.people] == [(SOLO, "Anna")]
    assert cfg.people[0].program.hold_s == 30 and cfg.for_person(SOLO) == cfg
    assert "people" not in cfg.as_dict()


def test_each_person_has_their_own_sections_over_the_shared_ones(tmp_path):
    cfg = config.load(write(tmp_path, HOUSEHOLD))
    assert cfg.household and cfg.names() == ("anna", "bert")
    anna, bert = cfg.for_person("anna"), cfg.for_person("bert")  # by log key, exactly
    assert anna.profile.name == "Anna" and anna.profile.impact_cleared
    assert bert.profile.fracture_history == "yes" and not bert.profile.impact_cleared
    assert cfg.person("bert").name == "Bert"  # no name given: the table's name, capitalised
    assert anna.program.weights_kg == (1.0, 2.0, 4.0)  # the household's dumbbells
    assert bert.program.weights_kg == (2.0, 5.0)  # his own
    assert (anna.schedule.morning, bert.schedule.morning) == ("09:00", "10:00")
    assert anna.mat == bert.mat == cfg.mat  # the kiosk's sections are shared
    # the shared profile is nobody's: no clearance leaks from one person to another
    assert not cfg.profile.impact_cleared and cfg.profile.name == ""
    with pytest.raises(KeyError, match="allowed: anna, bert"):
        cfg.person("carl")
    with pytest.raises(KeyError):
        cfg.for_person("Bert")  # the kiosk's own lookup: a key, never a name
    assert cfg.find("Bert").key == cfg.find("BERT").key == "bert"  # the command line's


def test_a_name_may_not_be_another_persons_key(tmp_path):
    """Mum is called Anna and Annie's key is anna: `--person anna` could mean either, and a
    lookup by name could hand one person the other's clearances. Refused, with the key."""
    path = write(tmp_path, '[people.mum.profile]\nname = "Anna"\nfracture_history = "yes"\n'
                           '[people.anna.profile]\nname = "Annie"\nfracture_history = "no"\n')
    with pytest.raises(ConfigError, match=r"people.mum.profile.name: 'anna' is also the key of "
                                          r"people.anna \(allowed: a name that is not another "
                                          r"person's key\)"):
        config.load(path)
    ok = config.load(write(tmp_path, '[people.mum.profile]\nname = "Anna"\n'
                                     '[people.ann.profile]\nname = "Annie"\n', "ok.toml"))
    assert ok.find("anna").key == "mum" and ok.find("ann").key == "ann"


def test_the_household_round_trips_through_config_show(tmp_path, capsys):
    path = write(tmp_path, HOUSEHOLD)
    assert main(["config", "show", "--config", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "[people.anna.profile]" in shown and "[people.bert.program]" in shown
    again = config.load(write(tmp_path, shown, "again.toml"))
    assert again.people == config.load(path).people
    assert main(["config", "show", "--json", "--config", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["people"]) == ["anna", "bert"]
    assert data["people"]["bert"]["schedule"]["strength_days"] == ["tue", "thu"]


def test_every_household_problem_is_reported_at_once_with_its_dotted_key(tmp_path):
    path = write(tmp_path, """
[profile]
name = "Anna"
[people.Anna.profile]
name = "Anna 2"
[people.bob.mat]
rate_hz = 250
[people.bob.program]
hold_s = 99
[people.bob.profile]
name = "anna 2"
[people.bob.schedule]
strength_days = ["mon", "tue"]
[people.bob.warmup]
x = 1
[people.cy]
[people.di]
[people.ed]
""")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    lines = err.value.problems
    expected = [
        "people: 5 people are listed (allowed: at most 4)",
        "profile: a household keeps each person's profile in their own table",
        "people.Anna: 'Anna' cannot name a person in the log",
        "people.Anna.profile.name: 'Anna 2' cannot be said and shown as a name",
        "people.bob.mat: is the kiosk's, shared by everyone (allowed: a top-level [mat])",
        "people.bob.program.hold_s: 99 is out of range (allowed: a whole number from 20 to 30)",
        "people.bob.schedule.strength_days: mon and tue are back to back",
        "people.bob.warmup: unknown section",
        "people.bob.profile.name: 'anna 2' cannot be said and shown as a name",
        "people.bob.profile.name: 'anna 2' is also people.Anna's name",
    ]
    for want in expected:
        assert any(line.startswith(f"{path}: {want}") for line in lines), (want, lines)
    assert len(lines) == len(expected)


def test_two_people_may_not_share_a_name(tmp_path):
    path = write(tmp_path, '[people.ann.profile]\nname = "Ann"\n[people.annie.profile]\n'
                           'name = "ann"\n')
    with pytest.raises(ConfigError, match=r"people.annie.profile.name: 'ann' is also "
                                          r"people.ann's name \(allowed: a name no one else has\)"):
        config.load(path)


def test_config_check_judges_each_persons_program_by_their_own_profile(tmp_path, capsys):
    path = write(tmp_path, HOUSEHOLD + '\ninclude = ["heel_stomp"]\n')  # bert's program
    assert main(["config", "check", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "people.bert.program.include: heel_stomp" in out
    assert "people.anna.program" not in out  # Anna is cleared for impact work
    assert "warning: people.anna.profile.impact_cleared: true, but who cleared it" in out


def test_replace_changes_everyones_sections(tmp_path):
    cfg = config.load(write(tmp_path, HOUSEHOLD)).replace(profile={"impact_cleared": True})
    assert all(p.profile.impact_cleared for p in cfg.people)
    assert cfg.person("bert").profile.fracture_history == "yes"
