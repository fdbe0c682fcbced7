"""Replays every exercise of a planned week through the real speech worker (run in a
subprocess with SDL's disk audio driver): the pure session on a fake clock decides when each
line starts; each line goes to the real voice, which renders it with eSpeak NG and plays it into
the disk file. Writes a JSON report: what the timeline said and showed, what the voice played.

Usage: python tests/timeline_replay.py <voice cache dir> <report.json>
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk import config
from kiosk.coach.engine import Session
from kiosk.coach.events import Hush, Say, Tick
from kiosk.coach.speech import Speech
from kiosk.demo import demo_steps
from kiosk.mat.events import Footfall, Landing
from kiosk.program.catalogue import load_catalogue
from kiosk.program.model import StepSpec
from kiosk.program.plan import session_steps, week_plan


def every_exercise(cfg) -> list:
    """One step per exercise the week's plan schedules (mornings and evenings) and the
    stomps, each with every line it says but short: one set of two lifts, one hold of 15 s,
    50 s of marching (a surprise comes at 45 s); the lines are the same, said fewer times."""
    catalogue = load_catalogue()
    seen: dict[str, StepSpec] = {"stomps": demo_steps(cfg)[0]}
    for day in week_plan(cfg, catalogue, date(2026, 11, 23)):
        for slot in ("morning", "evening"):
            for spec in session_steps(day, slot, cfg, catalogue, {}):
                seen.setdefault(spec.exercise_id, spec)
    return [replace(s, sets=min(s.sets, 1), reps=min(s.reps, 2), holds=min(s.holds, 1),
                    hold_s=min(s.hold_s, 15.0), duration_s=min(s.duration_s, 50.0))
            for s in seen.values()]


def person(session: Session, t: float, spec) -> list:
    """A person who does what is asked: stomps every 1.5 s, marches at 110 steps a minute."""
    step = session.view.step
    if step is None:
        return []
    k = round(t * 20)
    if spec.kind == "stomp" and k % 30 == 0 and step.phase != "instruct":
        return [Landing(t, step.active_foot or "left", 2.0, True)]
    if spec.kind == "cardio" and k % 11 == 0:
        return [Footfall(t, "left", 110.0)]
    return []


def main(cache: Path, out: Path) -> None:
    cfg = config.defaults().replace(profile={"impact_cleared": True})
    speech = Speech(cache, voice=cfg.voice.voice, rate_wpm=cfg.voice.rate_wpm,
                    gap_s=cfg.voice.gap_s, max_age_s=600).start()
    assert speech.wait_ready(30) and speech.status.audio_ok, speech.status.detail
    report = []
    for spec in every_exercise(cfg):
        speech.prepare(spec.instructions)  # as the kiosk does when a session starts
        session = Session([spec], seconds=speech.seconds, gap_s=cfg.voice.gap_s)
        played_from = len(speech.played)
        shown: list[tuple[float, str]] = []
        t = 0.0
        while not (session.finished and session.timeline.idle(t)) and t < 1800:
            t = round(t + 0.05, 3)
            effects = []
            for ev in [*person(session, t, spec), Tick(t)]:
                effects += session.handle(ev)
            for e in effects:
                if isinstance(e, Hush):
                    speech.hush()
                elif isinstance(e, Say):
                    speech.say(e.text)
                    deadline = time.monotonic() + 30
                    while not speech.played[played_from:] or \
                            speech.played[-1][0] != e.text or not speech.idle():
                        assert time.monotonic() < deadline, f"never played: {e.text!r}"
                        time.sleep(0.005)
            caption = session.view.caption
            if not shown or shown[-1][1] != caption:
                shown.append((t, caption))
        report.append({
            "exercise": spec.exercise_id, "instructions": list(spec.instructions),
            "said": [[ln.text, ln.kind, ln.start, ln.audio_end, ln.until]
                     for ln in session.timeline.said],
            "shown": shown, "played": [text for text, _ in speech.played[played_from:]],
            "seconds": {ln.text: speech.seconds(ln.text) for ln in session.timeline.said}})
    speech.close()
    out.write_text(json.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
