"""`python -m pipeline.cli` runs the `nianbao` command."""

from . import app

app()
