"""``python -m boundaries``."""

import sys

from boundaries.entry import main

sys.exit(main())
