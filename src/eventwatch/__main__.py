"""``python -m eventwatch``: the same as the ``eventwatch`` command."""

import sys

from .cli import main

sys.exit(main())
