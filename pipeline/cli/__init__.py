"""The `nianbao` command. Thin: argument handling and output only; the work is in the pipeline.

`app.py` holds the typer app and what commands share; each command lives in its own module and
registers itself on import below.
"""

from . import (  # noqa: F401  (registers the commands)
    batch,
    check,
    debug,
    evaluate,
    export,
    extract,
    review,
    schema,
    train,
)
from .app import app

__all__ = ["app"]
