"""Pin factories for the tests that tell hardware SPI from gpiozero's software fallback.

gpiozero's ``MockFactory`` only ever hands out software (bit-banged) SPI. On a Pi the factory
first asks for the kernel's SPI device and falls back to software, with a warning, when it will
not open. These subclasses replace only gpiozero's choice of SPI class, so the rest (pin
reservation, the fallback and its warning, ``gpiozero.MCP3008``) is gpiozero's own code.
"""

from __future__ import annotations

from gpiozero.mixins import SharedMixin
from gpiozero.pins import SPI
from gpiozero.pins.mock import MockFactory, MockSPIInterface


class KernelSPI(SPI):
    """Stands for the kernel's ``/dev/spidev0.0`` (``LGPIOHardwareSPI`` on a Pi): not a software
    SPI class, yet its bits go over the mock pins so a ``MockMCP3008`` answers."""

    def __init__(self, clock_pin, mosi_pin, miso_pin, select_pin, *, pin_factory):
        self._wire = None
        super().__init__(pin_factory=pin_factory)
        self._wire = MockSPIInterface(clock_pin, mosi_pin, miso_pin, select_pin,
                                      pin_factory=pin_factory)
        self._rate_hz = 500_000

    def transfer(self, data):
        return self._wire.transfer(data)

    def _get_clock_mode(self):
        return self._wire.clock_mode

    def _set_clock_mode(self, value):
        self._wire.clock_mode = value

    def _get_rate(self):
        return self._rate_hz

    def _set_rate(self, value):
        self._rate_hz = int(value)

    def close(self):
        if self._wire is not None:
            self._wire.close()
        self._wire = None
        super().close()


class KernelSPIShared(SharedMixin, KernelSPI):
    """One device per chip select, shared by the eight ``MCP3008`` channels (as gpiozero's)."""

    @classmethod
    def _shared_key(cls, clock_pin, mosi_pin, miso_pin, select_pin, pin_factory):
        return (clock_pin, select_pin)


class HardwareSpiFactory(MockFactory):
    """A Pi with SPI switched on: hardware SPI opens."""

    def _get_spi_class(self, shared, hardware):
        if hardware:
            return KernelSPIShared if shared else KernelSPI
        return super()._get_spi_class(shared, hardware)


class SpiOffFactory(MockFactory):
    """A Pi with SPI switched off: opening the kernel's device fails as spidev's does, and
    gpiozero falls back to bit-banging the same pins."""

    def _get_spi_class(self, shared, hardware):
        if hardware:
            def refuse(**spi_args):
                raise FileNotFoundError(2, "No such file or directory", "/dev/spidev0.0")
            return refuse
        return super()._get_spi_class(shared, hardware)


class NoSpiFactory(MockFactory):
    """A machine where neither the kernel's SPI nor bit-banged pins will open (no GPIO for the
    mat at all): ``gpiozero.MCP3008`` itself fails."""

    def _get_spi_class(self, shared, hardware):
        def refuse(**spi_args):
            raise OSError(19, "No such device", "/dev/gpiochip0")
        return refuse
