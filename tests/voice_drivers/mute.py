"""A pyttsx3 driver that answers at once but renders nothing: a voice that fails, not hangs."""

from pyttsx3.voice import Voice


def buildDriver(proxy):
    return MuteDriver(proxy)


class MuteDriver:
    def __init__(self, proxy):
        self._proxy = proxy
        self._looping = False
        self._config = {"rate": 200, "volume": 1.0, "voices": [Voice("mute", "Mute", ["en"])]}
        self._config["voice"] = self._config["voices"][0]

    def destroy(self):
        pass

    def startLoop(self):
        self._proxy.setBusy(False)
        self._looping = True
        while self._looping:
            self._proxy.setBusy(False)
            self._looping = False  # the queued commands ran (and wrote no file)

    def endLoop(self):
        self._looping = False

    def iterate(self):
        yield

    def say(self, text):
        pass

    def save_to_file(self, text, filename):
        pass

    def stop(self):
        pass

    def getProperty(self, name):
        return self._config[name]

    def setProperty(self, name, value):
        self._config[name] = value
