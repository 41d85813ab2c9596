"""HTML renderers (CMS pages with Word-exported or CMS tables)."""
import html as H
from core import ROWS21, ROWS19, COL_LABELS, T4_LABELS


def fmt(val, col, opts, table="t3"):
    """col: 0..6 for t3 (6 = total); for t2/t4 pass col=None."""
    if val is None:
        return ""
    if val == "n/a":
        return opts.get("na", "/")
    blank = opts.get("blank", "none")
    if val == 0:
        b = False
        if blank == "allzero":
            b = True
        elif blank == "legal5" and table == "t3" and col is not None and 1 <= col <= 5:
            b = True
        elif blank == "legal5" and table == "t4":
            b = opts.get("t4blank", False)
        elif blank == "only_total" and table == "t3" and col != 6:
            b = True
        elif blank == "only_total" and table in ("t4", "t2"):
            b = True
        if table == "t2" and opts.get("t2blank"):
            b = True
        if b:
            return "&nbsp;" if opts.get("nbsp") else ""
    if isinstance(val, float):
        return f"{val:g}" if val != int(val) else f"{val:.2f}" if opts.get("fee2") else f"{int(val)}"
    return str(val)


def td(text, opts, rs=1, cs=1, width=None, escape=True):
    attrs = ""
    if rs > 1:
        attrs += f' rowspan="{rs}"'
    if cs > 1:
        attrs += f' colspan="{cs}"'
    if width and opts.get("word"):
        attrs += f' width="{width}" valign="center"'
    t = H.escape(text) if escape and text not in ("&nbsp;",) else text
    if opts.get("word"):
        style = opts.get("font", "仿宋_GB2312")
        inner = t if t else ""
        return (f'<td{attrs} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt">'
                f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt;font-family:{style}">{inner}</span><span lang="EN-US" style="font-size:10.5pt"><o:p></o:p></span></p></td>')
    return f"<td{attrs}>{t}</td>"


def tbl_open(opts):
    if opts.get("word"):
        return '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;border:none">'
    return '<table border="1" cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse">'


def table2_html(rep, opts):
    R = []
    d = rep.t2
    f = lambda k: fmt(d[k], None, opts, "t2")
    if rep.version == "2021":
        R.append([td("第二十条第（一）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("本年制发件数", opts), td("本年废止件数", opts), td("现行有效件数", opts)])
        R.append([td("规章", opts)] + [td(f("regulations." + k), opts, escape=False) for k in ("issued", "repealed", "in_force")])
        R.append([td("行政规范性文件", opts)] + [td(f("normative_documents." + k), opts, escape=False) for k in ("issued", "repealed", "in_force")])
        R.append([td("第二十条第（五）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("本年处理决定数量", opts, cs=3)])
        R.append([td("行政许可", opts), td(f("licensing_decisions"), opts, cs=3, escape=False)])
        R.append([td("第二十条第（六）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("本年处理决定数量", opts, cs=3)])
        R.append([td("行政处罚", opts), td(f("penalty_decisions"), opts, cs=3, escape=False)])
        R.append([td("行政强制", opts), td(f("coercion_decisions"), opts, cs=3, escape=False)])
        R.append([td("第二十条第（八）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("本年收费金额（单位：万元）", opts, cs=3)])
        R.append([td("行政事业性收费", opts), td(f("admin_fees_10k_yuan"), opts, cs=3, escape=False)])
    else:
        d = rep.t2v19
        f = lambda k: fmt(d[k], None, opts, "t2")
        R.append([td("第二十条第（一）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("本年新制作数量", opts), td("本年新公开数量", opts), td("对外公开总数量", opts)])
        for lab, k in (("规章", "regulations"), ("规范性文件", "normative_documents")):
            R.append([td(lab, opts)] + [td(f(f"{k}.{s}"), opts, escape=False) for s in ("new_made", "new_published", "total_published")])
        for blk, rows in (("（五）", (("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services"))),
                          ("（六）", (("行政处罚", "punishment"), ("行政强制", "coercion")))):
            R.append([td(f"第二十条第{blk}项", opts, cs=4)])
            R.append([td("信息内容", opts), td("上一年项目数量", opts), td("本年增/减", opts), td("处理决定数量", opts)])
            for lab, k in rows:
                R.append([td(lab, opts)] + [td(f(f"{k}.{s}"), opts, escape=False) for s in ("prev_count", "delta", "processed")])
        R.append([td("第二十条第（八）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("上一年项目数量", opts), td("本年增/减", opts, cs=2)])
        R.append([td("行政事业性收费", opts), td(f("admin_fees.prev_count"), opts, escape=False), td(f("admin_fees.delta"), opts, cs=2, escape=False)])
        R.append([td("第二十条第（九）项", opts, cs=4)])
        R.append([td("信息内容", opts), td("采购项目数量", opts), td("采购总金额", opts, cs=2)])
        R.append([td("政府集中采购", opts), td(f("central_procurement.project_count"), opts, escape=False), td(f("central_procurement.total_amount"), opts, cs=2, escape=False)])
    return tbl_open(opts) + "<tbody>" + "".join("<tr>" + "".join(r) + "</tr>" for r in R) + "</tbody></table>"


def table3_html(rep, opts):
    rows = rep.rows
    R = []
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    R.append([td(note, opts, rs=3, cs=3), td("申请人情况", opts, cs=7)])
    R.append([td("自然人", opts, rs=2), td("法人或其他组织", opts, cs=5), td("总计", opts, rs=2)])
    R.append([td(x, opts) for x in COL_LABELS[1:6]])
    n_group = sum(1 for r in rows if r[1] == "三")
    seen2 = set()
    for key, grp, l2, l3 in rows:
        cells = []
        if grp is None:
            cells.append(td(l2, opts, cs=3))
        else:
            if key == "disclosed":
                cells.append(td("三、本年度办理结果", opts, rs=n_group))
            if l3 is None:
                cells.append(td(l2, opts, cs=2))
            else:
                if l2 not in seen2:
                    seen2.add(l2)
                    span = sum(1 for r in rows if r[2] == l2)
                    cells.append(td(l2, opts, rs=span))
                cells.append(td(l3, opts))
        vals = rep.t3[key]
        cells += [td(fmt(vals[c], c, opts, "t3"), opts, escape=False) for c in range(7)]
        R.append(cells)
    return tbl_open(opts) + "<tbody>" + "".join("<tr>" + "".join(r) + "</tr>" for r in R) + "</tbody></table>"


def table4_html(rep, opts):
    R = []
    R.append([td("行政复议", opts, cs=5), td("行政诉讼", opts, cs=10)])
    R.append([td(x, opts, rs=2) for x in T4_LABELS] + [td("未经复议直接起诉", opts, cs=5), td("复议后起诉", opts, cs=5)])
    R.append([td(x, opts) for x in T4_LABELS * 2])
    R.append([td(fmt(v, None, opts, "t4"), opts, escape=False) for v in rep.t4])
    return tbl_open(opts) + "<tbody>" + "".join("<tr>" + "".join(r) + "</tr>" for r in R) + "</tbody></table>"


def p_html(text, opts, cls=None):
    if opts.get("word"):
        return f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">{H.escape(text)}</span></p>'
    return f'<p style="text-indent:2em;">{H.escape(text)}</p>'


def h_html(text, opts, level=1):
    if opts.get("word"):
        fam = "黑体" if level == 1 else "楷体_GB2312"
        return f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt"><b><span style="font-size:16.0pt;font-family:{fam}">{H.escape(text)}</span></b></p>'
    return f'<p style="text-indent:2em;"><strong>{H.escape(text)}</strong></p>'


def body_html(doc, rep, opts):
    out = []
    for kind, x in doc["blocks"]:
        if kind == "h1":
            out.append(h_html(x, opts, 1))
        elif kind == "h2":
            out.append(h_html(x, opts, 2))
        elif kind == "p":
            out.append(p_html(x, opts))
        elif kind == "t2":
            out.append(table2_html(rep, opts))
        elif kind == "t3":
            out.append(table3_html(rep, opts))
        elif kind == "t4":
            out.append(table4_html(rep, opts))
        elif kind == "img":
            out.append(f'<p style="text-align:center"><img src="{x}" border="0" style="width:600px" alt="" /></p>')
        elif kind == "rawhtml":
            out.append(x)
    return "\n".join(out)


def page(doc, rep, opts):
    charset = opts.get("charset", "utf-8")
    site = opts.get("site", "")
    crumb = opts.get("crumb", "首页 &gt; 政务公开 &gt; 政府信息公开年报")
    info = opts.get("info", "")
    title_h = H.escape(doc["title"]).replace("\n", "<br/>")
    pre = "\n".join(p_html(x, opts) for x in doc.get("preamble", []))
    sig = ""
    if doc.get("signature"):
        sig = "\n".join(f'<p style="text-align:right">{H.escape(s)}</p>' for s in doc["signature"])
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />' if opts.get("http_equiv", True)
            else f'<meta charset="{charset}">')
    nav = opts.get("nav", '<a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/bsfw/">办事服务</a> <a href="/hdjl/">互动交流</a> <a href="/zjxx/">走进{0}</a>'.format(opts.get("place") or opts.get("site", "").replace("人民政府", "")))
    page_title = H.escape(doc.get("page_title", doc["title"].replace("\n", "")))
    s = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{meta}
<title>{page_title}_{H.escape(site)}</title>
<meta name="SiteName" content="{H.escape(site)}" />
<link rel="stylesheet" type="text/css" href="/images/style.css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top"><div class="w1200"><span class="fl">欢迎访问{H.escape(site)}</span><span class="fr"><a href="javascript:;">无障碍</a> | <a href="javascript:;">长者模式</a> | <a href="javascript:;">繁体版</a></span></div></div>
<div class="nav">{nav}</div>
<div class="w1200 main">
<div class="position">当前位置：{crumb}</div>
<div class="article">
<h1 class="title">{title_h}</h1>
<div class="info">{info}</div>
<div class="content" id="zoom">
{pre}
{body_html(doc, rep, opts)}
{sig}
</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
</div>
<div class="footer"><p>{opts.get('footer', '')}</p></div>
</body>
</html>
"""
    return s
