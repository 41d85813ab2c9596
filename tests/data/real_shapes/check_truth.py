#!/usr/bin/env python3
"""Standard-library checks for the real_shapes truth files.

For every <name>.truth.json beside this script:
  * the truth has the expected keys and only known record paths;
  * where a table is fully stated, its 勾稽 relations hold (table 三: row sums, per column
    一+二 = 七+四, per column 七 = sum of the leaf rows; table 四: 维持+纠正+其他+尚未审结 = 总计);
  * every non-zero number in `values` occurs in the document's text (HTML decoded with its declared
    charset and stripped of tags; text-layer PDFs decoded through their ToUnicode maps; an
    image-only "-scan" PDF is compared with the text of the PDF it was made from), every "n/a" has a
    '/' or '—' in the text, and the agency, the year and the publish date are printed.
Run: python3 check_truth.py   (exit status 1 when anything fails)
"""

import base64
import html
import json
import re
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
]
ND = [
    "state_secret",
    "prohibited_by_law",
    "three_safety_one_stability",
    "third_party_rights",
    "internal_affairs",
    "process_info",
    "enforcement_case_files",
    "administrative_query",
]
CP = ["not_held", "needs_creation", "unclear_after_correction"]
NP = ["petition_complaint", "repeated", "publications", "mass_repeated", "confirm_or_reissue"]
LEAVES21 = (
    ["disclosed", "partially_disclosed"]
    + ["not_disclosed." + x for x in ND]
    + ["cannot_provide." + x for x in CP]
    + ["not_processed." + x for x in NP]
    + ["other.overdue_correction", "other.overdue_fee", "other.other"]
)
LEAVES19 = [x for x in LEAVES21 if x not in ("other.overdue_correction", "other.overdue_fee")]
ROWS = ["new", "carried_over"] + LEAVES21 + ["total", "carried_forward"]
T4G = ["review", "litigation_direct", "litigation_after_review"]
T4K = ["upheld", "corrected", "other", "pending", "total"]
T2_21 = [
    "regulations.issued",
    "regulations.repealed",
    "regulations.in_force",
    "normative_documents.issued",
    "normative_documents.repealed",
    "normative_documents.in_force",
    "licensing_decisions",
    "penalty_decisions",
    "coercion_decisions",
    "admin_fees_10k_yuan",
]
T2_19 = [
    "regulations.new_made",
    "regulations.new_published",
    "regulations.total_published",
    "normative_documents.new_made",
    "normative_documents.new_published",
    "normative_documents.total_published",
]
T2_19 += [
    f"{b}.{k}"
    for b in ("licensing", "other_admin_services", "punishment", "coercion")
    for k in ("prev_count", "delta", "processed")
]
T2_19 += [
    "admin_fees.prev_count",
    "admin_fees.delta",
    "central_procurement.project_count",
    "central_procurement.total_amount",
]
ITEMS = [
    "training_sessions",
    "training_attendees",
    "npc_suggestions_handled",
    "cppcc_proposals_handled",
    "info_processing_fees_yuan",
    "proactive_items_published",
]
KNOWN = set(
    ["active_disclosure." + k for k in T2_21]
    + ["active_disclosure.v2019." + k for k in T2_19]
    + [f"applications.{r}.{c}" for r in ROWS for c in COLS]
    + [f"review_litigation.{g}.{k}" for g in T4G for k in T4K]
    + ["items." + k for k in ITEMS]
)


# ---------------------------------------------------------------- document text
def html_text(raw):
    head = raw[:4000].decode("ascii", "ignore")
    m = re.search(r'charset\s*=\s*["\']?([\w-]+)', head, re.I)
    enc = (m.group(1) if m else "utf-8").lower()
    if enc in ("gb2312", "gbk"):
        enc = "gb18030"
    s = raw.decode(enc)
    s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
    s = re.sub(r"(?i)<br\s*/?>", "\n", s)
    s = re.sub(r"(?i)</(p|tr|div|h\d)>", "\n", s)
    s = re.sub(r"(?i)</td>", "\t", s)
    s = re.sub(r"<[^>]+>", "", s)
    return html.unescape(s)


def _stream(body):
    m = re.search(rb"stream\r?\n(.*?)\s*endstream", body, re.S)
    if not m:
        return None
    data = m.group(1)
    filt = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", body[: body.find(b"stream")])
    names = re.findall(rb"/(\w+)", filt.group(1)) if filt else []
    for n in names:
        if n == b"ASCII85Decode":
            data = data.strip()
            if data.endswith(b"~>"):
                data = data[:-2]
            if data.startswith(b"<~"):
                data = data[2:]
            data = base64.a85decode(data)
        elif n == b"FlateDecode":
            data = zlib.decompressobj().decompress(data)
        elif n in (b"DCTDecode", b"CCITTFaxDecode", b"JPXDecode"):
            return None
    return data


def _cmap(data):
    m = {}
    s = data.decode("latin-1")
    for blk in re.findall(r"beginbfchar(.*?)endbfchar", s, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            m[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be")
    for blk in re.findall(r"beginbfrange(.*?)endbfrange", s, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            base = int(c, 16)
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                m[code] = chr(base + i)
    return m


def _pdf_string(tok):
    out, i = bytearray(), 1
    while i < len(tok) - 1:
        ch = tok[i]
        if ch == 0x5C:  # backslash
            nxt = tok[i + 1]
            if chr(nxt) in "01234567":
                j = i + 1
                while j < len(tok) - 1 and j < i + 4 and chr(tok[j]) in "01234567":
                    j += 1
                out.append(int(tok[i + 1 : j], 8) & 0xFF)
                i = j
                continue
            out.append(
                {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}.get(nxt, nxt)
            )
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def pdf_text(raw):
    objs = {int(n): b for n, b in re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", raw, re.S)}
    fonts = {}
    for n, b in objs.items():
        m = re.search(
            rb"/Name\s*/([\w+.-]+).*?/ToUnicode\s+(\d+) 0 R", b[:3000], re.S
        ) or re.search(rb"/ToUnicode\s+(\d+) 0 R.*?/Name\s*/([\w+.-]+)", b[:3000], re.S)
        if m and b"/Font" in b[:3000]:
            name, ref = (
                (m.group(1), m.group(2))
                if m.re.pattern.startswith(rb"/Name")
                else (m.group(2), m.group(1))
            )
            data = _stream(objs.get(int(ref), b""))
            if data:
                fonts[name.decode()] = _cmap(data)
    pages = []
    for n, b in objs.items():
        if re.search(rb"/Type\s*/Page\b", b[:2000]) and b"/Contents" in b:
            c = int(re.search(rb"/Contents\s+(\d+) 0 R", b).group(1))
            data = _stream(objs[c]) or b""
            cur, parts = None, []
            for tok in re.finditer(
                rb"/([\w+.-]+)\s+[\d.]+\s+Tf|(\((?:\\.|[^\\)])*\))\s*Tj|\bET\b", data
            ):
                if tok.group(1):
                    cur = fonts.get(tok.group(1).decode())
                elif tok.group(2):
                    s = _pdf_string(tok.group(2))
                    parts.append("".join(cur.get(x, "") for x in s) if cur else s.decode("latin-1"))
                else:
                    parts.append("\n")
            pages.append((n, "".join(parts)))
    return "\n".join(t for _, t in sorted(pages))


def doc_text(path):
    raw = path.read_bytes()
    if path.suffix == ".html":
        return html_text(raw)
    if path.suffix == ".pdf":
        t = pdf_text(raw)
        if not re.search(r"[\u4e00-\u9fff]", t):
            src = path.with_name(path.name.replace("-scan.pdf", ".pdf"))
            if src != path and src.exists():
                return pdf_text(src.read_bytes())
            return None
        return t
    return raw.decode("utf-8")


# ---------------------------------------------------------------- checks
def date_forms(d):
    y, m, dd = (int(x) for x in d.split("-"))
    digits = "〇一二三四五六七八九"

    def small(n):
        if n < 10:
            return digits[n]
        if n == 10:
            return "十"
        if n < 20:
            return "十" + digits[n - 10]
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")

    cy = "".join(digits[int(c)] for c in str(y))
    return [d, f"{y}年{m}月{dd}日", f"{y}年{m:02d}月{dd:02d}日", f"{cy}年{small(m)}月{small(dd)}日"]


def number_in(text, v):
    s = f"{v:g}" if isinstance(v, float) else str(v)
    return re.search(r"(?<![\d.])" + re.escape(s) + r"(?![\d])", text) is not None


def check(truth_path):
    errs = []
    t = json.loads(truth_path.read_text(encoding="utf-8"))
    for k in ("meta", "template_version", "sections_found", "values", "classes", "notes"):
        if k not in t:
            errs.append(f"missing key {k}")
    vals = t["values"]
    unknown = [p for p in vals if p not in KNOWN]
    if unknown:
        errs.append(f"unknown paths {unknown[:5]}")
    ver = t["template_version"]
    # table 三
    leaves = LEAVES19 if ver == "2019" else LEAVES21
    rows = ["new", "carried_over"] + leaves + ["total", "carried_forward"]
    cells = {(r, c): vals.get(f"applications.{r}.{c}") for r in rows for c in COLS}
    if all(isinstance(x, int) for x in cells.values()):
        for r in rows:
            if sum(cells[(r, c)] for c in COLS[:6]) != cells[(r, "total")]:
                errs.append(f"t3 row sum {r}")
        for c in COLS:
            if (
                cells[("new", c)] + cells[("carried_over", c)]
                != cells[("total", c)] + cells[("carried_forward", c)]
            ):
                errs.append(f"t3 一+二 != 七+四 in {c}")
            if sum(cells[(l, c)] for l in leaves) != cells[("total", c)]:
                errs.append(f"t3 leaf sum in {c}")
        if ver == "2019" and any(
            vals.get(f"applications.other.{x}.{c}") is not None
            for x in ("overdue_correction", "overdue_fee")
            for c in COLS
        ):
            errs.append("2019 truth with other.overdue_* values")
    elif (
        ver in ("2019", "2021")
        and all(isinstance(cells[("new", c)], int) for c in COLS)
        and all(isinstance(cells[("total", c)], int) for c in COLS)
    ):
        errs.append("t3 partly stated although rows 一 and 七 are complete")
    for g in T4G:
        g5 = [vals.get(f"review_litigation.{g}.{k}") for k in T4K]
        if all(isinstance(x, int) for x in g5) and sum(g5[:4]) != g5[4]:
            errs.append(f"t4 group {g}")
    if ver == "2021" and all(vals.get("active_disclosure." + k) is not None for k in T2_21):
        pass
    # document
    name = truth_path.name[: -len(".truth.json")]
    docs = [p for p in truth_path.parent.glob(name + ".*") if not p.name.endswith(".truth.json")]
    if len(docs) != 1:
        errs.append(f"document file not found uniquely: {docs}")
        return errs, 0
    text = doc_text(docs[0])
    if text is None:
        errs.append("no text could be read")
        return errs, 0
    flat = re.sub(r"\s+", "", text)
    n = 0
    for p, v in vals.items():
        if v is None or v == 0:
            continue
        if v == "n/a":
            if "/" not in text and "—" not in text:
                errs.append(f"{p}: n/a but no '/' or '—'")
            continue
        n += 1
        if not number_in(text, v):
            errs.append(f"{p}={v} not in text")
    meta = t["meta"]
    ag = meta.get("agency")
    if ag and ag not in text and ag not in flat and ag not in flat.replace("<br>", ""):
        errs.append(f"agency {ag} not in text")
    if meta.get("year") and str(meta["year"]) not in text:
        errs.append("year not in text")
    d = meta.get("publish_date")
    if d and not any(f in text for f in date_forms(d)):
        errs.append(f"publish_date {d} not in text")
    return errs, n


def main():
    bad = 0
    total_nums = 0
    files = sorted(HERE.glob("*.truth.json"))
    for tp in files:
        errs, n = check(tp)
        total_nums += n
        if errs:
            bad += 1
            print(f"FAIL {tp.name}: " + "; ".join(errs))
    print(
        f"{len(files)} truth files, {bad} failing, {total_nums} non-zero values found in their documents"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
