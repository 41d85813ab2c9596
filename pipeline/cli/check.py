"""`nianbao check`: the archive checks (issue #16) over a database, on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..untrusted import console_text
from .app import ConfigOption, app, err, error_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@app.command("check")
def check_command(
    db: Annotated[
        str | None, typer.Option("--db", help="database URL or SQLite file (default: config)")
    ] = None,
    agency: Annotated[
        list[str] | None,
        typer.Option("--agency", help="an agency id or name (repeatable; default: every agency)"),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option("--year", help="only the checks touching this year (repeatable)"),
    ] = None,
    show: Annotated[
        int, typer.Option("--show", min=0, help="list at most this many failed checks")
    ] = 30,
    config: ConfigOption = None,
) -> None:
    """Group the stored reports by agency and run the cross-year checks (结转 carried over,
    规范性文件 in force, one report per year, year gaps). Results go to the archive_checks
    table; fields in a failed hard relation go to review (cross_year_conflict). Exit 1 when a
    hard cross-year relation fails."""
    from rich.table import Table
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from ..archive import Judge, agency_key, group, run
    from ..db import open_store
    from ..db.models import Agency, ArchiveCheck
    from ..errors import NianbaoError
    from ..settings import load_settings

    try:
        settings = load_settings(config)
        judge = Judge.of(settings)  # what agreement raises confidence by; the review threshold
        store = open_store(db or settings.db.url, write=True)
    except NianbaoError as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
    try:
        with store, store.session() as session, session.begin():
            ids: list[int] | None = None
            if agency:
                group(session)  # names resolve against every stored report's agency
                ids = []
                for wanted in agency:
                    found = _agency_ids(session, wanted)
                    if not found:
                        key = agency_key(wanted)
                        error_line(f"no agency {wanted!r} (key {key.full if key else '-'})")
                        raise typer.Exit(2)
                    ids += found
            summary = run(session, agency_ids=ids, years=year, judge=judge)
            failed = list(
                session.scalars(
                    select(ArchiveCheck)
                    .where(ArchiveCheck.outcome.in_(("fail", "soft_diff")))
                    .where(ArchiveCheck.agency_id.in_(list(summary.touched)))
                    .order_by(ArchiveCheck.agency_id, ArchiveCheck.year_a, ArchiveCheck.rule)
                    .limit(show)
                )
            )
            names = dict(session.execute(select(Agency.id, Agency.name)).all())
            table = Table(title="archive checks that failed or differ")
            for col in ("agency", "years", "rule", "outcome", "documents", "detail"):
                table.add_column(col)
            for row in failed:
                years = (
                    str(row.year_a) if row.year_a == row.year_b else f"{row.year_a}-{row.year_b}"
                )
                table.add_row(
                    console_text(names.get(row.agency_id, "?")),
                    years,
                    f"{row.rule}[{row.binding}]" if row.binding else row.rule,
                    row.outcome,
                    f"{row.document_a_id}/{row.document_b_id}",
                    console_text(row.detail),
                )
    except SQLAlchemyError as exc:
        error_line(f"{store.url.split('@')[-1]}: the database failed: {exc}".splitlines()[0])
        raise typer.Exit(2) from exc
    if failed:
        err.print(table)
    err.print(summary.line(), highlight=False)
    hard = summary.failed
    raise typer.Exit(1 if hard else 0)


def _agency_ids(session: Session, wanted: str) -> list[int]:
    """Agencies named by id, display name or any key of theirs."""
    from sqlalchemy import or_, select

    from ..archive import agency_key
    from ..db.models import Agency, AgencyName

    if wanted.isdigit():
        return list(session.scalars(select(Agency.id).where(Agency.id == int(wanted))))
    key = agency_key(wanted)
    keys = [wanted] + ([key.full, key.core] if key else [])
    found = set(session.scalars(select(AgencyName.agency_id).where(AgencyName.key.in_(keys))))
    found |= set(
        session.scalars(select(Agency.id).where(or_(Agency.name == wanted, Agency.key.in_(keys))))
    )
    return sorted(found)
