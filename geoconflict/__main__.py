"""``python -m geoconflict`` runs the ``geoconflict`` command."""

from .cli import main

raise SystemExit(main())
