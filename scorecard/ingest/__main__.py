"""`python -m scorecard.ingest`: validate the extracts and build the database."""

import importlib
import sys
import types


class _Deferred(types.ModuleType):
    """Stands in for a module until something first uses one of its names, then imports it.
    pandas takes a sixth of a second to import, a tenth of a one-row refresh, and reading
    and checking the extracts never uses it: only the parts of a build that do, import it.
    (The standard library's LazyLoader imports on `import pandas as pd` itself in 3.11.)"""

    __spec__ = None  # `import pandas` takes it from sys.modules as it is

    def __getattr__(self, name: str):
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # later uses find the names here
        return getattr(module, name)


if "pandas" not in sys.modules:
    sys.modules["pandas"] = _Deferred("pandas")

from .build import main  # noqa: E402 (after pandas is deferred)

if isinstance(sys.modules.get("pandas"), _Deferred):
    # the modules imported hold the stand-in; out of sys.modules, DuckDB (which looks for
    # pandas there to check parameters against its types) never asks it for a name
    del sys.modules["pandas"]

sys.exit(main())
