"""Plain-text shapes: clean extractions and garbled ones."""
import unicodedata
from core import COL_LABELS, T4_LABELS, ROWS21

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def sv(val, col=None, opts=None, table="t3"):
    opts = opts or {}
    if val == "n/a":
        return opts.get("na", "/")
    if val == 0:
        blank = opts.get("blank", "none")
        if blank == "allzero" or (blank == "legal5" and table == "t3" and col is not None and 1 <= col <= 5):
            return opts.get("blank_str", "")
    if isinstance(val, float):
        return f"{val:g}"
    return str(val)


def t2_rows(rep, opts):
    """list of rows (list of cells) of table 二 as printed."""
    R = []
    if rep.version == "2021":
        d = rep.t2
        f = lambda k: sv(d[k], None, opts, "t2")
        R += [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              ["规章"] + [f("regulations." + k) for k in ("issued", "repealed", "in_force")],
              ["行政规范性文件"] + [f("normative_documents." + k) for k in ("issued", "repealed", "in_force")],
              ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", f("licensing_decisions")],
              ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", f("penalty_decisions")],
              ["行政强制", f("coercion_decisions")], ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"],
              ["行政事业性收费", f("admin_fees_10k_yuan")]]
    else:
        d = rep.t2v19
        f = lambda k: sv(d[k], None, opts, "t2")
        R += [["第二十条第（一）项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]]
        for lab, k in (("规章", "regulations"), ("规范性文件", "normative_documents")):
            R.append([lab] + [f(f"{k}.{s}") for s in ("new_made", "new_published", "total_published")])
        for blk, rows in (("（五）", (("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services"))),
                          ("（六）", (("行政处罚", "punishment"), ("行政强制", "coercion")))):
            R.append([f"第二十条第{blk}项"])
            R.append(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"])
            for lab, k in rows:
                R.append([lab] + [f(f"{k}.{s}") for s in ("prev_count", "delta", "processed")])
        R += [["第二十条第（八）项"], ["信息内容", "上一年项目数量", "本年增/减"],
              ["行政事业性收费", f("admin_fees.prev_count"), f("admin_fees.delta")],
              ["第二十条第（九）项"], ["信息内容", "采购项目数量", "采购总金额"],
              ["政府集中采购", f("central_procurement.project_count"), f("central_procurement.total_amount")]]
    return R


# ---------- clean ----------
def t2_tab(rep, opts):
    return "\n".join("\t".join(r + [""] * (4 - len(r))) for r in t2_rows(rep, opts))


def t3_tab(rep, opts):
    L = [NOTE + "\t申请人情况" + "\t" * 6, "\t自然人\t法人或其他组织\t\t\t\t\t总计", "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    seen, first = set(), True
    for key, grp, l2, l3 in rep.rows:
        vals = [sv(x, c, opts) for c, x in enumerate(rep.t3[key])]
        if grp is None:
            L.append("\t".join([l2] + vals))
            continue
        c1 = "三、本年度办理结果" if first else ""
        first = False
        if l3 is None:
            L.append("\t".join([c1, l2] + vals) if c1 else "\t" + "\t".join([l2] + vals))
        else:
            c2 = l2 if l2 not in seen else ""
            seen.add(l2)
            L.append("\t".join([c1, c2, l3] + vals))
    return "\n".join(L)


def t4_tab(rep, opts):
    return "\n".join(["行政复议\t\t\t\t\t行政诉讼", "\t".join(T4_LABELS) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉",
                      "\t" * 5 + "\t".join(T4_LABELS * 2), "\t".join(sv(x, None, opts, "t4") for x in rep.t4)])


def t2_pipe(rep, opts):
    return "\n".join(" | ".join(r) + " |" + (" |||" if len(r) == 1 else "") for r in t2_rows(rep, opts))


def t3_pipe(rep, opts):
    L = [NOTE + " | 申请人情况 |", "自然人 | 法人或其他组织 | 总计 |", "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |"]
    seen, first = set(), True
    for key, grp, l2, l3 in rep.rows:
        vals = [sv(x, c, opts) for c, x in enumerate(rep.t3[key])]
        cells = []
        if grp is None:
            cells = [l2]
        else:
            if first:
                cells.append("三、本年度办理结果")
                first = False
            if l3 is None:
                cells.append(l2)
            else:
                if l2 not in seen:
                    cells.append(l2)
                    seen.add(l2)
                cells.append(l3)
        L.append(" | ".join(cells + vals) + " |")
    return "\n".join(L)


def t4_pipe(rep, opts):
    return "\n".join(["行政复议 | 行政诉讼 |", " | ".join(T4_LABELS) + " | 未经复议直接起诉 | 复议后起诉 |",
                      " | ".join(T4_LABELS * 2) + " |", " | ".join(sv(x, None, opts, "t4") for x in rep.t4) + " |"])


# ---------- G1: seed-like, worse ----------
VERT = {"disclosed": ["三、本"], "not_disclosed.internal_affairs": ["年"], "cannot_provide.not_held": ["度办"],
        "not_processed.petition_complaint": ["理结"], "not_processed.mass_repeated": ["果"]}
SUBV = {"not_disclosed.state_secret": "（三）不", "not_disclosed.prohibited_by_law": "予公", "not_disclosed.three_safety_one_stability": "开",
        "cannot_provide.not_held": "（四）无", "cannot_provide.needs_creation": "法提供",
        "not_processed.petition_complaint": "（五）不", "not_processed.repeated": "予处", "not_processed.publications": "理",
        "other.overdue_correction": "（六）其他", "other.overdue_fee": "处理"}


def t3_g1(rep, opts):
    sep = opts.get("sep", "\t")
    L = ["（本列数据的勾稽关系为：第一项加第二项之和，", "等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织",
         "总计", "商业企", "业", "科研机", "构", "社会公益", "组织", "法律服务", "机构", "其他"]
    nolabel = set(opts.get("nolabel", []))
    split = {"partially_disclosed": ("（二）部分公开（区分处理的，只", "计这一情形，不计其他情形）"),
             "not_disclosed.prohibited_by_law": ("2.其他法律行政法规禁止", "公开"),
             "cannot_provide.not_held": ("1.本机关不掌握相关政府", "信息"),
             "not_processed.confirm_or_reissue": ("5.要求行政机关确认或重新", "出具已获取信息"),
             "other.overdue_correction": ("1.申请人无正当理由逾期不补正、行政机关不再", "处理其政府信息公开申请"),
             "other.overdue_fee": ("2.申请人逾期未按收费通知要求缴纳费用、", "行政机关不再处理其政府信息公开申请")}
    for key, grp, l2, l3 in rep.rows:
        nums = sep.join(sv(x, c, opts) for c, x in enumerate(rep.t3[key]))
        for piece in VERT.get(key, []):
            L.append(piece)
        if key in SUBV and rep.version == "2021" or (key in SUBV and not key.startswith("other.")):
            L.append(SUBV[key])
        if rep.version == "2019" and key == "other.other":
            L.append("（六）其他处理" + sep + nums)
            continue
        lab = l3 if l3 is not None else l2
        if key in nolabel:
            L.append(nums)
        elif key in split:
            a, b = split[key]
            L.append(a)
            L.append(nums)
            L.append(b)
        else:
            L.append(lab + sep + nums)
    return "\n".join(L)


def t2_g1(rep, opts):
    """table 二 with header cells broken and values one per line in places."""
    L = []
    for r in t2_rows(rep, opts):
        if len(r) == 1:
            L.append(r[0])
        elif r[0] == "信息内容":
            L.append("信息内容")
            for h in r[1:]:
                if len(h) > 6:
                    L.append(h[:len(h) // 2])
                    L.append(h[len(h) // 2:])
                else:
                    L.append(h)
        else:
            L.append(r[0] + "\t" + "\t".join(r[1:]))
    return "\n".join(L)


def t4_g1(rep, opts):
    sep = opts.get("sep", "\t")
    L = ["行政复议", "行政诉讼", "结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计", "未经复议直接起诉", "复议后起诉",
         "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    vals = [sv(x, None, opts, "t4") for x in rep.t4]
    L.append(sep.join(vals[:5]))
    L.append(sep.join(vals[5:]))
    return "\n".join(L)


# ---------- G2: pipe fragments, one cell per line ----------
def frag_row(cells, pad=0):
    out = ["|"]
    for i, c in enumerate(cells):
        last = i == len(cells) - 1
        out.append(f"{c} |" + (" " + "|" * pad if last and pad else ""))
    return out


def t2_g2(rep, opts):
    L = []
    for r in t2_rows(rep, opts):
        pad = 4 - len(r)
        L += frag_row(r, pad if pad > 0 else 0)
    return "\n".join(L)


def t3_g2(rep, opts):
    L = ["|", NOTE + " |", "申请人情况 | |||||||||||||||", "|", "自然人 |", "法人或其他组织 |", "总计 | ||||||||||||||",
         "|", "商业 企业 |", "科研 机构 |", "社会公益组织 |", "法律服务机构 |", "其他 | ||||||||||||"]
    rows = rep.rows
    keys = [r[0] for r in rows]
    # the eight 不予公开 rows: labels come out as one block, then eight bare number runs
    nd = [r for r in rows if r[0].startswith("not_disclosed.")]
    first = True
    for key, grp, l2, l3 in rows:
        vals = [sv(x, c, opts) for c, x in enumerate(rep.t3[key])]
        if key.startswith("not_disclosed."):
            if key == "not_disclosed.state_secret":
                L += ["|", "（三）不予公开 |"] + [f"{r[3]} |" for r in nd]
            L += frag_row(vals, 0)
            continue
        cells = []
        if grp is None:
            cells = [l2]
        else:
            if first:
                cells.append("三、本年度办理结果")
                first = False
            if l3 is None:
                cells.append(l2)
            else:
                if key.endswith(("not_held", "petition_complaint", "overdue_correction")) or (rep.version == "2019" and key == "other.other"):
                    cells.append(l2)
                cells.append(l3)
        L += frag_row(cells + vals, 8 if grp is None else 0)
    return "\n".join(L)


def t4_g2(rep, opts):
    L = ["|", "行政复议 |", "行政诉讼 | ||||||||||||||", "|"] + [f"{x} |" for x in T4_LABELS] + \
        ["未经复议直接起诉 |", "复议后起诉 | ||||||||", "|"] + [f"{x} |" for x in T4_LABELS * 2] + ["|"] + \
        [f"{sv(x, None, opts, 't4')} |" for x in rep.t4]
    return "\n".join(L)


# ---------- G3: seed 2019 style, spaced vertical labels ----------
def t3_g3(rep, opts):
    L = ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t总计",
         "\t自然人\t法人或其他组织\t\t\t\t\t", "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    seen, first = set(), True
    for key, grp, l2, l3 in rep.rows:
        vals = "\t".join(sv(x, c, opts) for c, x in enumerate(rep.t3[key]))
        if grp is None:
            L.append(f"{l2}\t{vals}")
            if key == "new":
                L.append("")
            continue
        pre = ""
        if first:
            pre = "三、本 年 度 办 理 结 果\t"
            first = False
        else:
            pre = "\t"
        if l3 is None:
            lab = l2.replace("（", "(").replace("）", ") ", 1)
            if key == "partially_disclosed":
                lab = "(二) 部分公开 (区分处理的, 只 计这一情形, 不计其他情形)"
            L.append(f"{pre}{lab}\t{vals}")
        else:
            if l2 not in seen:
                seen.add(l2)
                sp = l2.replace("（", "(").replace("）", ") ")
                head = sp[:4] + " ".join(sp[4:])
                L.append(f"{pre}{head}\t{l3}\t{vals}")
            else:
                lab3 = l3
                if len(l3) > 12:
                    lab3 = l3[:11] + " " + l3[11:]
                if key in ("not_processed.publications", "not_processed.mass_repeated"):
                    L.append(f"{lab3}\t\t{vals}\t")
                else:
                    L.append(f"\t\t{lab3}\t{vals}")
    return "\n".join(L)


# ---------- G4: vertical header characters in table 四 ----------
def t4_g4(rep, opts):
    vals = " ".join(sv(x, None, opts, "t4") for x in rep.t4)
    return "\n".join(["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
                      "结 结 其 尚 总 结 结 其 尚 总 结 结 其 尚 总",
                      "果 果 他 未 计 果 果 他 未 计 果 果 他 未 计",
                      "维 纠 结 审 维 纠 结 审 维 纠 结 审",
                      "持 正 果 结 持 正 果 结 持 正 果 结", vals])


def t3_g4(rep, opts):
    """labels and numbers on separate lines, numbers space separated; header cut mid-word."""
    L = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项", "之和）", "申请人情况",
         "自然人 法人或其他组织 总计", "商业企 科研机 社会公 法律服 其他", "业 构 益组织 务机构"]
    first = True
    cut = {"disclosed": ["三、", "（一）予以公开"], "partially_disclosed": ["本年", "（二）部分公开（区分处理", "的，只计这一情形，不计其", "他情形）"]}
    seen = set()
    vpieces = {"not_disclosed.state_secret": "度办", "not_disclosed.third_party_rights": "理结", "not_disclosed.enforcement_case_files": "果"}
    for key, grp, l2, l3 in rep.rows:
        nums = " ".join(sv(x, c, opts) for c, x in enumerate(rep.t3[key]))
        if key in cut:
            L += cut[key]
            L.append(nums)
            continue
        if key in vpieces:
            L.append(vpieces[key])
        if l3 is not None and l2 not in seen:
            seen.add(l2)
            L.append(l2)
        lab = l3 if l3 is not None else l2
        if key in opts.get("nolabel", []):
            L.append(nums)
        else:
            L.append(lab)
            L.append(nums)
    return "\n".join(L)


# ---------- G5: pdftotext -layout ----------
def dw(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s, w):
    return s + " " * max(1, w - dw(s))


def t3_g5(rep, opts):
    """fixed-width columns; vertical group label one char per row; long labels wrapped."""
    page_break = opts.get("page_break_after")  # row key after which a page break falls
    pb_text = opts.get("page_break_text", "")
    L = [" " * 14 + "（本列数据的勾稽关系为：第一项加第二项之和，" + " " * 20 + "申请人情况",
         " " * 14 + "等于第三项加第四项之和）" + " " * 14 + "自然人" + " " * 6 + "法人或其他组织" + " " * 20 + "总计",
         " " * 56 + "商业   科研   社会公   法律服   其他",
         " " * 56 + "企业   机构   益组织   务机构"]
    vert = list("三、本年度办理结果")
    gi = 0
    seen = set()
    for key, grp, l2, l3 in rep.rows:
        nums = "".join(f"{sv(x, c, opts):>7}" for c, x in enumerate(rep.t3[key]))
        if grp is None:
            lab, c1, c2 = l2, "", ""
        else:
            c1 = vert[gi] if gi < len(vert) else ""
            gi += 1
            if l3 is None:
                c2, lab = "", l2
            else:
                c2 = l2[:3] if l2 not in seen else ("".join(l2[3:]) if l2 + "#2" not in seen else "")
                if l2 in seen:
                    seen.add(l2 + "#2")
                seen.add(l2)
                lab = l3
        first, rest = lab, ""
        maxw = 34 if grp is not None else 44
        if dw(lab) > maxw:
            cut = 0
            while dw(lab[:cut + 1]) <= maxw:
                cut += 1
            first, rest = lab[:cut], lab[cut:]
        if grp is None:
            line = pad(first, 50) + nums
        else:
            line = pad(c1, 4) + pad(c2, 10) + pad(first, 36) + nums
        L.append(line)
        if rest:
            L.append(" " * (14 if grp is not None else 0) + rest)
        if page_break and key == page_break:
            L.append("")
            L.append(pb_text)
    return "\n".join(L)


def t2_g5(rep, opts):
    L = []
    for r in t2_rows(rep, opts):
        if len(r) == 1:
            L.append(" " * 24 + r[0])
        else:
            L.append(pad(r[0], 24) + "".join(pad(c, 18) if not c.strip().replace('.', '').replace('/', '').isdigit() else f"{c:>10}        " for c in r[1:]))
    return "\n".join(x.rstrip() for x in L)


def t4_g5(rep, opts):
    return "\n".join([" " * 10 + "行政复议" + " " * 30 + "行政诉讼",
                      " " * 40 + "未经复议直接起诉" + " " * 16 + "复议后起诉",
                      "  结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计",
                      "  维持  纠正  结果  审结        维持  纠正  结果  审结        维持  纠正  结果  审结",
                      "".join(f"{sv(x, None, opts, 't4'):>6}" for x in rep.t4)])


FORMATS = {
    "tab": (t2_tab, t3_tab, t4_tab), "pipe": (t2_pipe, t3_pipe, t4_pipe),
    "g1": (t2_g1, t3_g1, t4_g1), "g2": (t2_g2, t3_g2, t4_g2), "g3": (t2_tab, t3_g3, t4_tab),
    "g4": (t2_tab, t3_g4, t4_g4), "g5": (t2_g5, t3_g5, t4_g5),
}


def doc_text(doc, rep, fmt, opts, sep_blank=True):
    t2f, t3f, t4f = FORMATS[fmt]
    out = []
    for line in doc.get("head", []):
        out.append(line)
    for line in doc.get("title_lines", [doc.get("title", "")]):
        out.append(line)
    out += doc.get("preamble", [])
    for kind, x in doc["blocks"]:
        if kind in ("h1", "h2", "p", "raw"):
            out.append(x)
        elif kind == "t2":
            out.append(t2f(rep, opts))
        elif kind == "t3":
            out.append(t3f(rep, opts))
        elif kind == "t4":
            out.append(t4f(rep, opts))
        elif kind == "img":
            out.append(x)
    out += doc.get("signature", [])
    out += doc.get("tail", [])
    j = "\n\n" if sep_blank else "\n"
    return j.join(out) + "\n"


def halfwidth(s):
    return (s.replace("（", "(").replace("）", ")").replace("，", ",").replace("：", ":")
            .replace("；", ";"))
