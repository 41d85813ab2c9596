"""`nianbao review`: the local review page over a database (pipeline/review/)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from ..untrusted import console_text
from .app import ConfigOption, app, err, error_line


@app.command("review")
def review_command(
    db: Annotated[
        str | None, typer.Option("--db", help="database URL or SQLite file (default: config)")
    ] = None,
    host: Annotated[
        str | None,
        typer.Option("--host", help="interface (default 127.0.0.1; other hosts need --token)"),
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="port (default: config)")] = None,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="NIANBAO_REVIEW_TOKEN", help="access token for the page"),
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", help="name saved with each decision (default: $USER)"),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Review the fields nianbao is unsure of: the scan beside the value, one key per decision."""
    import uvicorn

    from ..db import Store
    from ..errors import NianbaoError
    from ..review.app import ReviewConfig, create_app
    from ..review.security import AccessError, require_token_for
    from ..settings import load_settings

    try:
        settings = load_settings(config)
        bind = host or settings.review.host
        require_token_for(bind, token, settings.review.loopback_hosts)
        store = Store(db or settings.db.url)
    except (AccessError, NianbaoError) as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
    name = reviewer or getpass.getuser()
    allowed = (*settings.review.loopback_hosts, bind)
    application = create_app(store, settings, ReviewConfig(name, token, allowed))
    listen = port or settings.review.port
    shown = f"[{bind}]" if ":" in bind else bind
    err.print(
        console_text(f"review page: http://{shown}:{listen}/  (reviewer {name}; Ctrl-C stops)")
    )
    with store:
        uvicorn.run(application, host=bind, port=listen, log_level="warning")
