"""`python -m pipeline.cli` runs the `nianbao` command."""

from pipeline.cli import app

app()
