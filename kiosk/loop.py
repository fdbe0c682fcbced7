"""The paced frame loop shared by ``run`` and ``demo``.

As in PursuedPyBear's engine, one real frame is ``loop_once()`` (read keys, think, show) and
``run()`` only repeats it at the display's rate, so a test can step the loop by hand. What a
frame thinks is the caller's: the kiosk runs one ``App.frame()`` on the real clock, the demo
several small ones on a sped-up clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.app import App
from kiosk.seams import Screen

#: Between frames while the screen is dark (asleep): nothing is painted, and the mat and keys
#: are read ten times a second, so a step onto the mat lights the screen within 0.1 s, the
#: limit for a response to feel instantaneous (Nielsen, Usability Engineering, 1993, ch. 5;
#: Miller 1968). A woken screen runs at ``display.fps`` again from its next frame.
ASLEEP_FRAME_S = 0.1
#: The same pace on the home screen while nobody is on the mat and nothing is due or wrong: the
#: screen shows nothing that moves faster than its minute, the mat's samples wait in the
#: sampler's buffer (none is lost), and a step-on is noticed within 0.1 s, well inside the
#: second of standing still that starts a session. A session runs at ``display.fps``.
RESTING_FRAME_S = ASLEEP_FRAME_S


class FrameLoop:
    """Frames at ``fps``; ``think`` returns False to end the loop (default: one app frame)."""

    def __init__(self, app: App, screen: Screen, *, fps: int,
                 think: Callable[[], bool] | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.app = app
        self.screen = screen
        self.frame_s = 1.0 / fps
        self.asleep_frame_s = max(self.frame_s, ASLEEP_FRAME_S)
        self.resting_frame_s = max(self.frame_s, RESTING_FRAME_S)
        self.think = think or self._one_frame
        self.monotonic = monotonic
        self.sleep = sleep
        self.frames = 0  # real frames shown; the watchdog's progress for a mat without a thread

    def _one_frame(self) -> bool:
        self.app.frame()
        return True

    def loop_once(self) -> bool:
        """One real frame; False when the window was closed or ``think`` is done. The screen
        presents only what changed, so an unchanged frame costs a poll and a think."""
        keys, closed = self.screen.poll()
        if closed:
            return False
        for k in keys:
            self.app.key(k)
        go_on = self.think()
        view = self.app.last_view
        self.screen.present(bool(view and view.awake))
        self.frames += 1
        return go_on

    def run(self, *, frames: int = 0, max_s: float = 0.0) -> bool:
        """Repeat frames until one says stop (True) or ``frames`` were shown (True), or
        ``max_s`` real seconds pass first (False). 0 means no limit."""
        started = self.monotonic()
        while not max_s or self.monotonic() - started < max_s:
            tick = self.monotonic()
            if not self.loop_once() or (frames and self.frames >= frames):
                return True
            period = (self.asleep_frame_s if self.app.asleep
                      else self.resting_frame_s if self.app.resting else self.frame_s)
            self.sleep(max(0.0, period - (self.monotonic() - tick)))
        return False
