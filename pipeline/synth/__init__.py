"""Synthetic annual reports (seeded, deterministic): the bundled example corpus and the
labelled documents training learns from.

Why: the scan path (OCR, ruled-table reading, orientation repair, consistency checks) needs PDFs
and page images whose every printed value and every page's text are known exactly, and the
passage classifier and the calibration need documents whose every line and field is labelled.
Real reports cannot give that at scale, so this package writes synthetic reports from the
national template (nianbao.template: every label comes from there), typesets them like the
published ones (仿宋-like body, 黑体 headings, 楷体 sub-headings, ruled tables with merged cells,
shaded headers, vertical row labels, narrow wrapped header cells), prints them to text-layer
PDFs, then scans them: rasterised with pypdfium2 and degraded (skew, a page upside down or
sideways, blur, noise, JPEG artefacts, 150/200/300 dpi). It also rasterises the three real
published PDFs of shared/real-pdfs, whose truth (real_reports.json) was read off their page
images.

Every corpus document gets `<stem>.truth.json` beside it (the format of
tests/data/reports/*.truth.json plus `pages`, `variant`, `table_formats` and `prose_figures`)
and a line in manifest.json. The repository's corpus is sample_scans/; its entry point is the
thin script sample_scans/generate.py:

    .venv/bin/python sample_scans/generate.py            # everything, into sample_scans/
    .venv/bin/python sample_scans/generate.py --only nanxi-county-2022 --out /tmp/x --skip-real

Needs the Debian fonts fonts-arphic-uming, fonts-arphic-ukai and fonts-wqy-zenhei (TrueType
outlines: reportlab cannot embed the CFF outlines of fonts-noto-cjk).

The modules, by responsibility (importing this package imports none of them):

    specs.py     seed, typesetting styles, report specifications, scan variants (data)
    values.py    the tables' numbers, drawn so that the 勾稽 relations hold
    prose.py     printed words, numbers in words, section prose
    model.py     runs, cells, grids, blocks, the report
    report.py    a specification made into blocks and table grids
    typeset.py   fonts and reportlab typesetting into a text-layer PDF
    degrade.py   rasterising, scan degradation, scan files
    truth.py     truth files (synthetic, page subsets, real PDFs), expected failed checks
    corpus.py    the corpus driver: documents, manifest.json, the README table
    labelled.py  labelled documents for training (random specs, perturbed, as HTML or text)
    noise.py     extraction noise on a labelled document's tables and prose (truth unchanged)
    shapes.py    labelled documents in the shapes real pages take (blank-cell HTML, converter
                 markdown, torn text, header dates, agency variants, cut openings, image tables)
    real_reports.json   the printed values of the three real PDFs (package data)
"""
