"""What the problem screens say: what is wrong, and what to do next. One source for the kiosk,
the sample screens and their reviewed screenshots."""

Problem = tuple[str, str]

CONFIG: Problem = ("The settings file has a mistake",
                   "A helper can see what to fix with: osteo-kiosk config check")
LOG: Problem = ("The exercise log cannot be opened",
                "A helper can see why with: osteo-kiosk doctor")
VOICE: Problem = ("The voice is not working",
                  "The words still show here. A helper can run: osteo-kiosk doctor")
PLAN: Problem = ("Today's exercises could not be planned",
                 "A helper can see why with: osteo-kiosk plan")
NOTHING_PLANNED: Problem = ("Nothing is planned for now",
                            "A helper can check: osteo-kiosk plan")
MAT_TODO = "Check the mat's cable. Nothing is counted until the mat reads well."
LOG_FULL = ("Your exercises are kept in memory for now: the log cannot be written. "
            "A helper can run: osteo-kiosk doctor")

#: The home screen's note while the voice cannot be heard since start (gone once it can).
VOICE_UNAVAILABLE = "Voice unavailable: words on screen only"
VOICE_LOST = ("The voice stopped working: the words and tones go on. "
              "A helper can run: osteo-kiosk doctor")


def log_unopened(path: object) -> str:
    """The notice when the log could not be opened at start: coaching goes on regardless."""
    return (f"The log at {path} cannot be written, so exercises are kept in memory for now. "
            "A helper can run: osteo-kiosk doctor")

# Start-up: the kiosk opens the screen first, so each of these shows there instead of a black
# screen in a restart loop; the blocking ones are tried again until they clear.
NO_MAT: Problem = ("The mat cannot be read",
                   "A helper can see why with: osteo-kiosk doctor")
NO_SPI: Problem = ("The Pi's SPI, which reads the mat, is off",
                   "A helper can run: sudo raspi-config nonint do_spi 0 and reboot")
NO_SOUND: Problem = ("There is no sound",
                     "The words still show here. A helper can run: osteo-kiosk doctor")


def mat_problem(*, opened: bool, spi_hardware: bool, spidev_found: bool) -> Problem | None:
    """What stops the mat at start, if anything. A bit-banged MCP3008 is refused like a missing
    SPI device: it means SPI is switched off, and slow reads would miss landings."""
    if opened:
        return None if spi_hardware else NO_SPI
    return NO_MAT if spidev_found else NO_SPI
