import json, os
from common import OUT, MANIFEST, README_ROWS

CLASSES = {
    1: "HTML tables with empty/&nbsp; zero cells, rowspan/colspan, site chrome, GBK/gb2312 pages",
    2: "markdown from PDF-to-markdown converters (.md and .txt)",
    3: "garbled extraction: labels and numbers separated, cut labels, label-less rows",
    4: "table 三 broken over pages (text-layer PDFs and image-only scans)",
    5: "publish date from a web-page header (alone, with a signature date, or later than it)",
    6: "agency shapes (preamble, 单位： label, 政府/人民政府, signature only, short form, traditional, line break, misread)",
    7: "openings cut before/inside the tables, or tables missing ([图片], <img>) with prose figures",
}


def finish():
    man = {k: {"classes": v["classes"], "variant": v["variant"]} for k, v in sorted(MANIFEST.items())}
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, ensure_ascii=False, indent=1)
    # stats
    n_cells = n_null = n_meta = 0
    for name in MANIFEST:
        t = json.load(open(os.path.join(OUT, name + ".truth.json"), encoding="utf-8"))
        for p, v in t["values"].items():
            if p.startswith("items."):
                continue
            if v is None:
                n_null += 1
            else:
                n_cells += 1
        n_meta += sum(1 for v in t["meta"].values() if v is not None)
    lines = ["# real_shapes — fixtures shaped like published reports", "",
             "Documents imitating the shapes real 政府信息公开工作年度报告 take on the web and in PDFs (invented agencies, numbers and prose). "
             "Each `<name>.<ext>` has `<name>.truth.json` beside it (format read by `nianbao eval`: meta, template_version, sections_found, values by record path, classes, notes). "
             "`manifest.json` lists classes and variant per document; `check_truth.py` (standard library only) re-checks every truth against its document and the 勾稽 relations.", "",
             "Truth conventions: a zero printed blank (empty cell, `&nbsp;`, `-` in markdown, empty between pipes) is 0; a `/` cell is `\"n/a\"`; a path the document does not state is null; "
             "figures given only in prose are labelled at the path they mean and named in `notes`; 2019-format documents fill `active_disclosure.v2019.*` plus the three 处理决定数量 keys, "
             "and `applications.other.overdue_*` are null; `template_version` is `unknown` when no table is visible.", "",
             f"Totals: {len(MANIFEST)} documents; {n_cells} table values labelled (non-null), {n_null} table paths null; {n_meta} meta fields labelled.", "",
             "## Classes", ""]
    for k, v in CLASSES.items():
        lines.append(f"{k}. {v}")
    lines += ["", "## Documents", "", "| name | class(es) | variant | what is special |", "|---|---|---|---|"]
    for fn, cl, var, sp in sorted(README_ROWS):
        lines.append(f"| {fn} | {', '.join(map(str, cl)) or 'ordinary'} | {var.replace('|', '&#124;')} | {sp.replace('|', '&#124;')} |")
    lines.append("")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"cells {n_cells} null {n_null} meta {n_meta}")
