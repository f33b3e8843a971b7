"""``python -m dak_monitor`` runs the ``dak-monitor`` command line."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
