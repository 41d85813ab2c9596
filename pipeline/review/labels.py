"""Field paths in the words of the printed tables (复议后起诉 · 总计), from tables.yaml."""

from __future__ import annotations

from ..template import Template


def labels(template: Template) -> dict[str, str]:
    """Path -> label for every table field."""
    t = template.tables
    out: dict[str, str] = {}
    for group in t.review_litigation.groups:
        for col in t.review_litigation.columns:
            path = f"review_litigation.{group.key}.{col.key}"
            out[path] = f"四 · {group.labels[0]} · {col.labels[0]}"
    for row in t.applications.rows:
        for col in t.applications.columns:
            words = f"三 · {row.labels[0]} · {col.labels[0]}"
            out.setdefault(f"applications.{row.key}.{col.key}", words)
    for fmt in t.active_disclosure.formats.values():
        block = f"active_disclosure.{fmt.record_block}" if fmt.record_block else "active_disclosure"
        for row in fmt.rows:
            if row.columns is None:
                out.setdefault(f"{block}.{row.key}", f"二 · {row.labels[0]}")
                continue
            for key in row.columns:
                label = fmt.column_labels.get(key, key)
                out.setdefault(f"{block}.{row.key}.{key}", f"二 · {row.labels[0]} · {label}")
    return out
