"""Build the bundled example corpus of annual reports under sample_scans/ (seeded, deterministic).

Why: the scan path (OCR, ruled-table reading, orientation repair, consistency checks) needs PDFs
and page images whose every printed value and every page's text are known exactly. Real reports
cannot give that at scale, so this script writes synthetic reports from the national template
(pipeline/template/*.yaml: every label comes from there), typesets them like the published ones
(仿宋-like body, 黑体 headings, 楷体 sub-headings, ruled tables with merged cells, shaded headers,
vertical row labels, narrow wrapped header cells), prints them to text-layer PDFs, then scans
them: rasterised with pypdfium2 and degraded (skew, a page upside down or sideways, blur, noise,
JPEG artefacts, 150/200/300 dpi). It also rasterises the three real published PDFs in
shared/real-pdfs, whose truth (real_reports.json) was read off their page images.

Every document gets `<stem>.truth.json` beside it (the format of tests/data/reports/*.truth.json
plus `pages`, `variant`, `table_formats` and `prose_figures`) and a line in manifest.json.

Usage (from the repository root):

    .venv/bin/python sample_scans/generate.py            # everything, into sample_scans/
    .venv/bin/python sample_scans/generate.py --only nanxi-county-2022 --out /tmp/x --skip-real

Needs the Debian fonts fonts-arphic-uming, fonts-arphic-ukai and fonts-wqy-zenhei (TrueType
outlines: reportlab cannot embed the CFF outlines of fonts-noto-cjk) and the Python packages
reportlab, pypdfium2, pillow and numpy.

The package, by responsibility (sample_scans/generate.py is the entry point):

    specs.py     seed, typesetting styles, report specifications, scan variants (data)
    values.py    the tables' numbers, drawn so that the 勾稽 relations hold
    prose.py     printed words, numbers in words, section prose
    model.py     runs, cells, grids, blocks, the report
    report.py    a specification made into blocks and table grids
    typeset.py   fonts and reportlab typesetting into a text-layer PDF
    degrade.py   rasterising, scan degradation, scan files
    truth.py     truth files (synthetic, page subsets, real PDFs), expected failed checks
    corpus.py    the driver: documents, manifest.json, the README table
    real_reports.json   the printed values of the three real PDFs
"""
