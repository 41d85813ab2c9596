"""The archive as evidence (issue #16): agency identity across years, cross-year and
cross-report checks over the stored documents, and what the review page reads of them.

Tables: `agencies`, `agency_names`, `archive_checks`, documents.agency_id/series_role/same_as_id,
fields.cross_year (pipeline/db/models.py). Rules: pipeline/template/archive_rules.yaml.
"""

from __future__ import annotations

from .checks import RunSummary, check_agency, group, recheck_document, run, run_store
from .identity import AgencyKey, agency_key
from .queries import (
    Series,
    SeriesYear,
    agencies,
    checks_for_document,
    checks_for_field,
    counterpart,
    new_agency,
    regroup,
    rename_agency,
    series,
)

__all__ = [
    "AgencyKey",
    "RunSummary",
    "Series",
    "SeriesYear",
    "agencies",
    "agency_key",
    "check_agency",
    "checks_for_document",
    "checks_for_field",
    "counterpart",
    "group",
    "new_agency",
    "recheck_document",
    "regroup",
    "rename_agency",
    "run",
    "run_store",
    "series",
]
