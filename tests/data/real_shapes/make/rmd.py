"""Markdown as PDF-to-markdown converters emit it."""
from core import COL_LABELS, T4_LABELS


def v(val, col, opts, table="t3"):
    if val == "n/a":
        return opts.get("na", "/")
    if val == 0:
        blank = opts.get("blank", "none")
        if blank == "allzero" or (blank == "legal5" and table == "t3" and col is not None and 1 <= col <= 5) \
                or (blank == "legal5" and table == "t4" and opts.get("t4blank")):
            return opts.get("blank_str", "-")
    if isinstance(val, float):
        return f"{val:g}"
    return str(val)


def br(text, opts, pieces):
    """insert <br> into known wrapped labels when opts['br']."""
    if not opts.get("br"):
        return text
    for a, b in pieces:
        if text == a:
            return b
    return text


BR_PIECES = [
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开<br>（区分处理的，只计这一情形，不计其他情形）"),
    ("商业企业", "商业<br>企业"), ("科研机构", "科研<br>机构"), ("社会公益组织", "社会公益<br>组织"),
    ("法律服务机构", "法律服务<br>机构"), ("一、本年新收政府信息公开申请数量", "一、本年新收政府<br>信息公开申请数量"),
    ("二、上年结转政府信息公开申请数量", "二、上年结转政府<br>信息公开申请数量"),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1.申请人无正当理由逾期不补正、<br>行政机关不再处理其政府信息公开申请"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、<br>行政机关不再处理其政府信息公开申请"),
    ("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或<br>重新出具已获取信息"),
    ("本年新制作数量", "本年新<br>制作数量"), ("本年新公开数量", "本年新<br>公开数量"),
    ("本年收费金额（单位：万元）", "本年收费金额<br>（单位：万元）"),
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
     "（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）"),
]


def row(cells, opts):
    cells = [br(c, opts, BR_PIECES) for c in cells]
    if opts.get("tight"):
        return "|" + "|".join(cells) + "|"
    return "| " + " | ".join(cells) + " |"


def sep(n, opts):
    return "|" + "|".join(["---"] * n) + "|"


def table2_md(rep, opts):
    L = []
    if rep.version == "2021":
        d = rep.t2
        f = lambda k: v(d[k], None, opts, "t2")
        L.append(row(["第二十条第（一）项", "", "", ""], opts)); L.append(sep(4, opts))
        L.append(row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], opts))
        L.append(row(["规章"] + [f("regulations." + k) for k in ("issued", "repealed", "in_force")], opts))
        L.append(row(["行政规范性文件"] + [f("normative_documents." + k) for k in ("issued", "repealed", "in_force")], opts))
        L.append(row(["第二十条第（五）项", "", "", ""], opts))
        L.append(row(["信息内容", "本年处理决定数量", "", ""], opts))
        L.append(row(["行政许可", f("licensing_decisions"), "", ""], opts))
        L.append(row(["第二十条第（六）项", "", "", ""], opts))
        L.append(row(["信息内容", "本年处理决定数量", "", ""], opts))
        L.append(row(["行政处罚", f("penalty_decisions"), "", ""], opts))
        L.append(row(["行政强制", f("coercion_decisions"), "", ""], opts))
        L.append(row(["第二十条第（八）项", "", "", ""], opts))
        L.append(row(["信息内容", "本年收费金额（单位：万元）", "", ""], opts))
        L.append(row(["行政事业性收费", f("admin_fees_10k_yuan"), "", ""], opts))
    else:
        d = rep.t2v19
        f = lambda k: v(d[k], None, opts, "t2")
        L.append(row(["第二十条第（一）项", "", "", ""], opts)); L.append(sep(4, opts))
        L.append(row(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], opts))
        for lab, k in (("规章", "regulations"), ("规范性文件", "normative_documents")):
            L.append(row([lab] + [f(f"{k}.{s}") for s in ("new_made", "new_published", "total_published")], opts))
        for blk, rows in (("（五）", (("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services"))),
                          ("（六）", (("行政处罚", "punishment"), ("行政强制", "coercion")))):
            L.append(row([f"第二十条第{blk}项", "", "", ""], opts))
            L.append(row(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], opts))
            for lab, k in rows:
                L.append(row([lab] + [f(f"{k}.{s}") for s in ("prev_count", "delta", "processed")], opts))
        L.append(row(["第二十条第（八）项", "", "", ""], opts))
        L.append(row(["信息内容", "上一年项目数量", "本年增/减", ""], opts))
        L.append(row(["行政事业性收费", f("admin_fees.prev_count"), f("admin_fees.delta"), ""], opts))
        L.append(row(["第二十条第（九）项", "", "", ""], opts))
        L.append(row(["信息内容", "采购项目数量", "采购总金额", ""], opts))
        L.append(row(["政府集中采购", f("central_procurement.project_count"), f("central_procurement.total_amount"), ""], opts))
    return "\n".join(L)


def t3_label_cells(rep, repeat):
    """three stub cells per data row, merged cells empty (or repeated)."""
    out = []
    rows = rep.rows
    seen = set()
    first_group = True
    for key, grp, l2, l3 in rows:
        if grp is None:
            out.append((key, [l2, "", ""]))
            continue
        c1 = "三、本年度办理结果" if (first_group or repeat) else ""
        first_group = False
        if l3 is None:
            out.append((key, [c1, l2, ""]))
        else:
            c2 = l2 if (l2 not in seen or repeat) else ""
            seen.add(l2)
            out.append((key, [c1, c2, l3]))
    return out


def table3_md(rep, opts):
    L = []
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    L.append(row([note, "", "", "申请人情况", "", "", "", "", "", ""], opts))
    L.append(sep(10, opts))
    L.append(row(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"], opts))
    L.append(row(["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""], opts))
    for key, stub in t3_label_cells(rep, opts.get("repeat_spans", False)):
        L.append(row(stub + [v(x, c, opts) for c, x in enumerate(rep.t3[key])], opts))
    return "\n".join(L)


def table3_md_rowtables(rep, opts):
    """every row its own pipe table with a made-up header; groups as headings."""
    hdr = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |"
    sp = "|---|---|---|---|---|---|---|---|"
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    out = [hdr, sp, "| " + " | ".join([note] + COL_LABELS) + " |", ""]
    seen = set()
    for key, grp, l2, l3 in rep.rows:
        if key == "disclosed":
            out += ["### 三、本年度办理结果", ""]
        lab = l2
        if l3 is not None:
            if l2 not in seen:
                seen.add(l2)
                out += [f"#### {l2}", ""]
            lab = l3
        if key == "total":
            pass
        out += [hdr, sp, "| " + " | ".join([lab] + [v(x, c, opts) for c, x in enumerate(rep.t3[key])]) + " |", ""]
    return "\n".join(out).rstrip()


def table4_md(rep, opts):
    L = [row(["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9, opts), sep(15, opts),
         row(T4_LABELS + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""], opts),
         row([""] * 5 + T4_LABELS + T4_LABELS, opts),
         row([v(x, None, opts, "t4") for x in rep.t4], opts)]
    return "\n".join(L)


def doc_md(doc, rep, opts):
    out = []
    H1 = opts.get("h1", "## ")
    H2 = opts.get("h2", "")
    for kind, x in doc["blocks"]:
        if kind == "h1":
            out.append(H1.replace("{}", x) if "{}" in H1 else H1 + x)
        elif kind == "h2":
            out.append(H2 + x if H2 else x)
        elif kind == "p":
            out.append(x)
        elif kind == "t2":
            if opts.get("t_titles"):
                out.append(opts["t_titles"][0])
                out.append("")
            out.append(table2_md(rep, opts))
        elif kind == "t3":
            if opts.get("t_titles"):
                out.append(opts["t_titles"][1])
                out.append("")
            out.append(table3_md_rowtables(rep, opts) if opts.get("rowtables") else table3_md(rep, opts))
        elif kind == "t4":
            if opts.get("t_titles"):
                out.append(opts["t_titles"][2])
                out.append("")
            out.append(table4_md(rep, opts))
        elif kind == "raw":
            out.append(x)
        out.append("")
    return "\n".join(out)
