"""What the person and the helper are told beyond the exercises: when to stop, and what the
evidence does and does not promise. One source for the plan, the screen and the voice.

Our own words. The stop rules follow DESIGN.md's safety rules; the yoga and Pilates caution is
the seed article's (many of their poses bend the spine forward).
"""

from __future__ import annotations

from datetime import date

#: Said and shown before the first session and on request; each line stands alone.
STOP_RULES = (
    "Stop at once if you feel sharp or new pain in your back.",
    "Stop if you feel dizzy or faint.",
    "Stop if you have pain or tightness in your chest.",
    "Stop if you are short of breath and it does not settle.",
    "Then sit down, and tell someone.",
)
STOP_RULES_TITLE = "When to stop"
#: Said again, hands-free, at the start of the first session of a week that has not heard them
#: (DESIGN.md: shown before the first session and on request; weekly is our own choice).
STOP_RULES_EVERY_DAYS = 7

#: The plan's caution about classes outside the kiosk.
YOGA_PILATES = ("Yoga and Pilates can help you stretch, but many of their poses bend the spine "
                "forward. If you go to a class, tell the teacher you have osteoporosis and "
                "skip any pose that rounds your back.")

#: What exercise can honestly promise.
HONEST_CLAIM = ("Done often and safely, this can help keep bones strong and lower the risk "
                "of a fall.")


def stop_rules_due(last_said: date | None, today: date, asked_on: date | None = None) -> bool:
    """Before the very first session, again once ``STOP_RULES_EVERY_DAYS`` have passed, and
    on request: asked for on ``asked_on`` (``plan --say-stop-rules``), they are said at every
    session until a day after the request has heard them (so a request made after the day's
    first session is heard that day too)."""
    if last_said is None or (today - last_said).days >= STOP_RULES_EVERY_DAYS:
        return True
    return asked_on is not None and last_said <= asked_on <= today


def stop_rules_text() -> str:
    """The stop rules as one paragraph, for the plan and the helper."""
    return f"{STOP_RULES_TITLE}: " + " ".join(STOP_RULES)
