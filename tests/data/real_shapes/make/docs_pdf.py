import os
from core import Report
from common import fill_numbers, std_blocks, write_doc, truth, ctx_for, OUT, MANIFEST, README_ROWS
import prose as P
import rpdf
from docs_html import preamble_std
import json

ALL6 = [1, 2, 3, 4, 5, 6]

FILLER = ["全年累计更新政务公开专栏信息，及时调整过时栏目，清理空白栏目和长期未更新栏目。",
          "建立健全政府信息公开工作考核机制，将考核结果纳入年度绩效考核。",
          "加强政务公开队伍建设，各科室明确一名信息员负责本科室信息的报送和审核。",
          "严格执行信息发布前保密审查，做到“先审查、后公开”和“一事一审”。",
          "对社会公众关注度高的政策文件，同步制作图解、问答等多种形式的解读材料。",
          "定期对网站链接、栏目内容进行巡检，发现问题及时整改。",
          "落实重大行政决策预公开制度，广泛听取社会公众意见建议。",
          "认真做好政府开放日活动，邀请群众代表走进机关、了解工作。",
          "结合“我为群众办实事”实践活动，主动回应群众关切的热点问题。",
          "进一步规范依申请公开受理、登记、审核、答复、归档等环节。",
          "把政务公开工作与业务工作同部署、同检查、同考核。",
          "加强对基层政务公开工作的指导，推进基层政务公开标准化规范化。",
          "对照主动公开基本目录逐项核对，查漏补缺。",
          "完善政策咨询服务，通过热线电话、网上留言等渠道解答群众疑问。"] * 3


def fmtv_factory(blank):
    def f(val, col, table):
        if val == "n/a":
            return "/"
        if val == 0:
            if blank == "legal5" and table == "t3" and col is not None and 1 <= col <= 5:
                return ""
        if isinstance(val, float):
            return f"{val:g}"
        return str(val)
    return f


def make_pdf(name, rep, doc, k_rows, opts, t, classes, variant, special, scan_seed=None, scan_special=""):
    opts = dict(opts)
    opts["filler"] = FILLER
    L, fn, gap = rpdf.search_layout(doc, rep, opts, k_rows)
    path = os.path.join(OUT, name + ".pdf")
    n = rpdf.render(L, path, opts)
    t3pages = L.marks["t3"]
    t = dict(t)
    t["notes"] += (f" Layout: {n} pages; table 三 starts on page {t3pages[0] + 1} with its 3 header rows and {k_rows} data row(s) at the page foot, "
                   f"continuing on page {t3pages[-1] + 1} without repeated header.")
    write_doc(name, "pdf", None, t, classes, variant, special)
    if scan_seed is not None:
        sp = os.path.join(OUT, name + "-scan.pdf")
        rpdf.scan(path, sp, scan_seed)
        t2 = dict(t)
        t2["notes"] = ("Image-only scan of " + name + ".pdf: every page rendered at 200 dpi, slight rotation (<0.4°), Gaussian blur 0.6 px, light grain, JPEG quality 70, saved as an image-only PDF (no text layer). "
                       + t["notes"])
        write_doc(name + "-scan", "pdf", None, t2, classes, variant + " (image-only scan)", scan_special)
    return L


def doc19():
    rep = Report(119); rep.year = 2021
    ag = "鹤汀市住房和城乡建设局"
    rep.items.update(proactive_items_published=926, training_sessions=2, training_attendees=70,
                     npc_suggestions_handled=24, cppcc_proposals_handled=30, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", t4=([2, 0, 0, 1], [1, 0, 1, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "市住房城乡建设局", 2021, app_sentence=P.app_sentence(rep, "市住房城乡建设局"), filler_marker=True)
    doc = {"title_lines": ["鹤汀市住房和城乡", "建设局2021年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2021),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2022年1月25日"]}
    opts = dict(fmtv=fmtv_factory("none"), running_header=f"{ag}2021年政府信息公开工作年度报告", footer="— {p} —",
                pdf_title="", pdf_author="hzj")
    t = truth(rep, ag, 2021, "2022-01-25", ALL6, rep.full_values(),
              "Text-layer PDF typeset like a Word export, ruled grid (every cell boxed), running header from page 2 and '— n —' footer. "
              "The title breaks inside the agency name: '鹤汀市住房和城乡' / '建设局2021年…' (truth joins them). "
              "Items: 主动公开926条, 培训2次/70人次, 人大代表建议24件, 政协提案30件, 未收取信息处理费.")
    make_pdf("heting-housing-2021", rep, doc, 1, opts, t, [4, 6], "text pdf, table 三 header+1 row at page foot, title broken in agency name",
             "header + 一、本年新收 row at the foot of a page; title line break inside 住房和城乡/建设局",
             scan_seed=219, scan_special="scan of heting-housing-2021.pdf")


def doc20():
    rep = Report(120, "2019"); rep.year = 2019
    ag = "云岭省统计局"
    rep.items.update(proactive_items_published=1480, training_sessions=2, training_attendees=120)
    fill_numbers(rep, "province", t4=([1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "省统计局", 2019, app_sentence=P.app_sentence(rep, "省统计局"), filler_marker=True, s6_style="none")
    doc = {"title_lines": [f"{ag}", "2019年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2019, "2019"),
           "blocks": std_blocks(rep, ctx, hvar={4: 1}), "signature": [ag, "2020年1月22日"]}
    opts = dict(fmtv=fmtv_factory("none"), running_header="", footer="第 {p} 页 共 {n} 页")
    t = truth(rep, ag, 2019, "2020-01-22", ALL6, rep.full_values(),
              "2019 format (report on 2019) text-layer PDF: table 二 in five 2019 blocks (本年新制作数量…; 上一年项目数量/本年增/减/处理决定数量; 政府集中采购), (六)其他处理 single row -> other.other. "
              "Footer '第 n 页 共 N 页', no running header. Section 六 '无。'. Items: 主动公开1480条, 培训2次/120人次.")
    make_pdf("yunling-statistics-2019", rep, doc, 2, opts, t, [4], "2019 format text pdf, header+2 rows at page foot",
             "2019 tables; 一 and 二 rows at the page foot; 第 n 页 共 N 页 footer")


def doc21():
    rep = Report(121); rep.year = 2023
    ag = "青禾县人民政府"
    rep.items.update(proactive_items_published=5320, training_sessions=3, training_attendees=240,
                     npc_suggestions_handled=41, cppcc_proposals_handled=67, info_processing_fees_yuan=0)
    fill_numbers(rep, "county", t4=([3, 1, 0, 1], [1, 0, 0, 1], [1, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "县政府", 2023, app_sentence=P.app_sentence(rep, "县政府", 1), filler_marker=True)
    doc = {"title_lines": [f"{ag}2023年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2023),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2024年3月22日"]}
    opts = dict(fmtv=fmtv_factory("legal5"), running_header=f"{ag}2023年政府信息公开工作年度报告", footer="- {p} -")
    t = truth(rep, ag, 2023, "2024-03-22", ALL6, rep.full_values(),
              "Text-layer PDF; in table 三 every zero of the five 法人或其他组织 columns is an empty boxed cell (=0). Table 三 header + one row at a page foot. "
              "Items: 主动公开5320条, 培训3次/240人次, 人大代表建议41件, 政协提案67件, 未收取信息处理费.")
    make_pdf("qinghe-county-gov-2023", rep, doc, 1, opts, t, [4, 1], "text pdf, blank legal cells, header+1 row at foot",
             "empty cells in 法人 columns; break after row 一",
             scan_seed=221, scan_special="scan of qinghe-county-gov-2023.pdf")


def doc22():
    rep = Report(122); rep.year = 2025
    ag = "澄江市临溪镇人民政府"
    rep.items.update(proactive_items_published=71, training_sessions=1, training_attendees=22, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", apps=([5, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]), regs_na=True)
    rep.t2.update({"normative_documents.issued": 0, "normative_documents.repealed": 1, "normative_documents.in_force": 2,
                   "licensing_decisions": 3, "penalty_decisions": 11, "coercion_decisions": 0, "admin_fees_10k_yuan": 0})
    ctx = ctx_for(rep, ag, "我镇", 2025, app_sentence=P.app_sentence(rep, "我镇"), filler_marker=True)
    doc = {"title_lines": [f"{ag}", "2025年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2025),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2026年1月16日"]}
    opts = dict(fmtv=fmtv_factory("none"), running_header="", footer="{p}")
    t = truth(rep, ag, 2025, "2026-01-16", ALL6, rep.full_values(),
              "Town report on 2025 as a text-layer PDF, bare page numbers as footers, 规章 row '/' (n/a), table 四 all zeros printed. "
              "Items: 主动公开71条, 培训1次/22人次, 未收取信息处理费.")
    make_pdf("lixi-town-2025", rep, doc, 2, opts, t, [4], "town 2025 text pdf, header+2 rows at foot", "规章 '/'; break after row 二")


ALL = [doc19, doc20, doc21, doc22]
