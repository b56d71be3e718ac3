"""``python -m align`` runs the command line."""
import sys

from align.cli import main

sys.exit(main())
