"""nianbao: Chinese government information-disclosure annual reports -> verified records.

>>> from nianbao import extract
>>> record = extract("report.txt")
>>> record.applications.new.total.value
"""

import logging

from ._version import __version__
from .datamodel.record import SCHEMA_VERSION, ReportRecord
from .runner import Pipeline, extract

# A library is quiet unless its user configures logging (`nianbao --verbose` does).
logging.getLogger("nianbao").addHandler(logging.NullHandler())

__all__ = ["SCHEMA_VERSION", "Pipeline", "ReportRecord", "__version__", "extract"]
