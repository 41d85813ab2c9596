"""The national template as data: headings, table labels and keys, rules, item patterns, noise.

Everything a parser or a check knows about the report format is read from the YAML files in
this folder through :func:`load_template`; no label is spelled anywhere else in the code.
"""

from .loader import (
    ApplicationsSpec,
    ColumnSpec,
    ItemSpec,
    RowSpec,
    Template,
    load_template,
)

__all__ = [
    "ApplicationsSpec",
    "ColumnSpec",
    "ItemSpec",
    "RowSpec",
    "Template",
    "load_template",
]
