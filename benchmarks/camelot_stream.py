"""Would camelot's stream flavour help where lattice finds no rules? (issue #4: "lattice first,
stream as fallback").

Typesets the synthetic reports without rules (benchmarks/tables.py `borderless`), runs camelot
stream on every page and checks the parts of table 三 it returns: a part is usable when it
has the template's 7 data columns (自然人 … 总计) and one row per template row it covers, i.e.
no multi-line label split over extra rows. Prints the counts, seconds per page, and the text
path's own cell accuracy on the same PDFs for comparison (run benchmarks/tables.py
--variants borderless_pdf for that).

    .venv/bin/python benchmarks/camelot_stream.py      # about a minute
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.tables import borderless  # noqa: E402

DATA_COLUMNS = 7  # table 三: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
NUMBER = re.compile(r"^\d+$")


def main() -> None:
    import camelot
    import pypdfium2

    logging.getLogger("camelot").setLevel(logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-stream-"))
    parts = usable = split_rows = pages = 0
    columns: list[int] = []
    seconds = 0.0
    try:
        for _, pdf, _ in borderless(tmp):
            pages += len(pypdfium2.PdfDocument(pdf))
            t0 = time.perf_counter()
            tables = camelot.read_pdf(
                str(pdf), pages="all", flavor="stream", backend="pdfium", suppress_stdout=True
            )
            seconds += time.perf_counter() - t0
            for table in tables:
                text = "".join("".join(row) for row in table.data)
                if not any(k in text for k in ("本年新收", "予以公开", "不予处理", "其他处理")):
                    continue  # not a part of table 三
                parts += 1
                rows = [r for r in table.data if any(NUMBER.match(c.strip()) for c in r)]
                width = max((sum(1 for c in r if NUMBER.match(c.strip())) for r in rows), default=0)
                data_cols = len(table.data[0]) - min(
                    next((i for i, c in enumerate(r) if NUMBER.match(c.strip())), 99) for r in rows
                )
                columns.append(data_cols)
                label_only = sum(
                    1
                    for r in table.data
                    if any(c.strip() for c in r) and not any(NUMBER.match(c.strip()) for c in r)
                )
                split_rows += label_only
                usable += data_cols == DATA_COLUMNS and label_only == 0 and width > 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        json.dumps(
            {
                "table_3_parts": parts,
                "parts_with_7_data_columns": sum(c == DATA_COLUMNS for c in columns),
                "data_columns_found": sorted(columns),
                "label_only_rows (a label split from its values)": split_rows,
                "usable_parts": usable,
                "seconds_per_page": round(seconds / pages, 3),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
