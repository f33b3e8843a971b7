"""Configuration as data: loading small TOML/JSON/YAML files of rules or header aliases.

The ``Rules`` object (thresholds, cut-off dates, tolerances per fiscal year) lives here too
once the validation and projection stages need it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from .exceptions import ConfigError

__all__ = ["load_mapping_file"]


def load_mapping_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a mapping from a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "aliases.toml"
    >>> _ = p.write_text('pagu = ["Pagu Final", "Pagu Setelah APBD-P"]\\n')
    >>> load_mapping_file(p)
    {'pagu': ['Pagu Final', 'Pagu Setelah APBD-P']}
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        msg = f"{p}: cannot read configuration file ({exc.strerror or exc})"
        raise ConfigError(msg) from exc
    suffix = p.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        elif suffix in {".yaml", ".yml"}:
            try:
                import yaml  # type: ignore[import-untyped]  # noqa: PLC0415
            except ImportError as exc:
                msg = f"{p}: reading YAML needs PyYAML (pip install pyyaml); or use TOML/JSON"
                raise ConfigError(msg) from exc
            data = yaml.safe_load(text)
        else:
            msg = f"{p}: unknown configuration format {suffix!r}; use .toml, .json or .yaml"
            raise ConfigError(msg)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        msg = f"{p}: not valid {suffix[1:].upper()}: {exc}"
        raise ConfigError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{p}: expected a table/object at the top level, found {type(data).__name__}"
        raise ConfigError(msg)
    return data
