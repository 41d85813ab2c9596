"""nianbao: Chinese government information-disclosure annual reports -> verified records.

>>> from pipeline import extract
>>> record = extract("report.txt")
>>> record.applications.new.total.value
"""

__version__ = "0.1.0"

from .datamodel.record import SCHEMA_VERSION, ReportRecord
from .runner import Pipeline, extract

__all__ = ["SCHEMA_VERSION", "Pipeline", "ReportRecord", "__version__", "extract"]
