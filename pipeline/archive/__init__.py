"""The archive as evidence (issue #16): agency identity across years, cross-year and
cross-report checks over the stored documents, and what the review page reads of them.

Tables: `agencies`, `agency_names`, `archive_checks`, documents.agency_id/series_role/same_as_id,
fields.cross_year and fields.document_confidence (pipeline/db/models.py). Rules:
pipeline/template/archive_rules.yaml; what agreement is worth: agreement.py
(models/cross_year.json, `nianbao train cross-year`).
"""

from __future__ import annotations

from .agreement import Agreement, agreement_for
from .checks import Judge, RunSummary, check_agency, group, recheck_document, run, run_store
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
    "Agreement",
    "Judge",
    "RunSummary",
    "Series",
    "SeriesYear",
    "agencies",
    "agency_key",
    "agreement_for",
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
