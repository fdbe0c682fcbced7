"""A pyttsx3 driver that answers at once but renders nothing: a voice that fails, not hangs."""

from pyttsx3.drivers.hangs import HangingDriver


def buildDriver(proxy):
    return MuteDriver(proxy)


class MuteDriver(HangingDriver):
    def startLoop(self):
        self._proxy.setBusy(False)  # the queued commands run (and write no file), then it ends
