"""A pyttsx3 driver whose run loop never returns, like eSpeak NG stuck on a sound device.

Loaded the way pyttsx3 loads every driver (``pyttsx3.drivers.<name>``) once this folder is on
``pyttsx3.drivers.__path__``; ``RELEASE.set()`` lets stuck loops end when a test is done."""

import threading

from pyttsx3.voice import Voice

RELEASE = threading.Event()


def buildDriver(proxy):
    return HangingDriver(proxy)


class HangingDriver:
    def __init__(self, proxy):
        self._proxy = proxy
        self._config = {"rate": 200, "volume": 1.0, "voices": [Voice("hang", "Hang", ["en"])]}
        self._config["voice"] = self._config["voices"][0]

    def destroy(self):
        pass

    def startLoop(self):
        self._proxy.setBusy(False)
        RELEASE.wait()  # runAndWait never comes back

    def endLoop(self):
        pass

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
