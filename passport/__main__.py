"""``python -m passport``: the ``passport`` command line (the same as the installed script)."""
import sys

from .cli import main

sys.exit(main())
