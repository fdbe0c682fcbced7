"""``python -m kiosk`` is ``osteo-kiosk``."""

import sys

from kiosk.cli import main

sys.exit(main())
