"""``python -m refgraph``: the same as the ``refgraph`` command."""

import sys

from .cli import main

sys.exit(main())
