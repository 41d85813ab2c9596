from core import Report, cn_date
from common import fill_numbers, std_blocks, write_doc, truth, ctx_for
import prose as P
import rmd
from docs_html import preamble_std

ALL6 = [1, 2, 3, 4, 5, 6]


def doc08():
    rep = Report(108); rep.year = 2023
    ag = "岚川市人民政府"
    rep.items.update(proactive_items_published=6215, training_sessions=5, training_attendees=420,
                     npc_suggestions_handled=162, cppcc_proposals_handled=237, info_processing_fees_yuan=600)
    fill_numbers(rep, "city", t4=([8, 2, 3, 2], [3, 0, 1, 2], [2, 0, 0, 1]))
    ctx = ctx_for(rep, ag, "市政府", 2023, parent="省政务公开办", app_sentence=P.app_sentence(rep, "市政府"))
    pre = [f"本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求，由岚川市政府办公室编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告电子版可在岚川市政府门户网站下载。"]
    doc = {"blocks": std_blocks(rep, ctx)}
    opts = dict(blank="legal5", blank_str="-", h1="## ", h2="### ",
                t_titles=["## 表二：主动公开政府信息情况", "## 表三：收到和处理政府信息公开申请情况", "## 表四：政府信息公开行政复议、行政诉讼情况"])
    body = rmd.doc_md(doc, rep, opts)
    md = f"# {ag}2023年政府信息公开工作年度报告\n\n" + "\n\n".join(pre) + "\n\n" + body + "\n岚川市人民政府\n\n2024年3月28日\n"
    t = truth(rep, ag, 2023, "2024-03-28", ALL6, rep.full_values(),
              "PDF-to-markdown output: one pipe table per statistical table, merged cells left empty, zero cells of the five 法人或其他组织 columns printed '-' (=0). "
              "Title says 岚川市人民政府; body uses 岚川市政府/市政府 (truth: the title's full name). Table titles as '## 表三：…'. "
              "Items: 主动公开6215条, 培训5次/420人次, 人大代表建议162件, 政协提案237件, 信息处理费600元.")
    write_doc("lanchuan-city-gov-2023", "md", md, t, [2, 6], "single pipe tables, '-' blanks, 政府 vs 人民政府",
              "markdown with ## 表三：… titles; '-' for blank; body says 市政府")


def doc09():
    rep = Report(109); rep.year = 2022
    ag = "鹤汀市发展和改革委员会"
    rep.items.update(proactive_items_published=733, training_sessions=2, training_attendees=96,
                     npc_suggestions_handled=31, cppcc_proposals_handled=44, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", t4=([1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "市发改委", 2022, parent="市政府办公室", app_sentence=P.app_sentence(rep, "市发改委"))
    pre = ["根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，市发改委编制了2022年政府信息公开工作年度报告。本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"]
    doc = {"blocks": std_blocks(rep, ctx)}
    opts = dict(blank="allzero", blank_str="-", h1="**{}**", h2="", rowtables=True)
    body = rmd.doc_md(doc, rep, opts)
    md = (f"# {ag}\n\n# 2022年政府信息公开工作年度报告\n\n" + "\n\n".join(pre) + "\n\n" + body +
          f"\n{ag}\n\n2023年1月13日\n")
    t = truth(rep, ag, 2022, "2023-01-13", ALL6, rep.full_values(),
              "Converter that emits every row of table 三 as its own pipe table with a made-up header (| 类别 | 数据1 … 数据6 | 总计 |; 数据1 = 自然人 … 数据6 = 其他), "
              "row groups as '### 三、本年度办理结果' and '#### （三）不予公开' headings. Every zero printed '-'. Body uses only the short form 市发改委; title (split over two # lines) and signature give the full name. "
              "Items: 主动公开733条, 培训2次/96人次, 人大代表建议31件, 政协提案44件, 未收取信息处理费.")
    write_doc("heting-ndrc-2022", "md", md, t, [2, 6], "row-per-table markdown, short form in body",
              "each table-三 row its own table with 数据1..数据6 header; ### group headings; 市发改委 in body")


def doc10():
    rep = Report(110); rep.year = 2024
    ag = "望舒县农业农村局"
    rep.items.update(proactive_items_published=265, training_sessions=1, training_attendees=32, info_processing_fees_yuan=0)
    fill_numbers(rep, "countydept", regs_na=True, t4=([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "我局", 2024, app_sentence=P.app_sentence(rep, "我局", 1))
    doc = {"blocks": std_blocks(rep, ctx)}
    opts = dict(blank="none", br=True, h1="**{}**", h2="", na="/",
                t_titles=["**表一：主动公开政府信息情况**", "**表二：收到和处理政府信息公开申请情况**", "**表三：政府信息公开行政复议、行政诉讼情况**"])
    body = rmd.doc_md(doc, rep, opts)
    md = ("# 2024年政府信息公开工作年度报告\n\n单位：望舒县农业农村局　　　　日期：2025-01-22\n\n"
          "根据《中华人民共和国政府信息公开条例》规定，现将我局2024年度政府信息公开工作情况报告如下。\n\n" + body)
    t = truth(rep, ag, 2024, "2025-01-22", ALL6, rep.full_values(),
              "Markdown converter output saved as .txt: <br> inside cells (商业<br>企业, （二）部分公开<br>（区分处理的…）), bold section headings, the tables titled 表一/表二/表三 (not the section numbers). "
              "Agency only in a '单位：' label line under a title without agency; date only in the same header line (日期：2025-01-22), no signature. 规章 row '/' (n/a). "
              "Items: 主动公开265条, 培训1次/32人次, 未收取信息处理费.")
    write_doc("wangshu-agri-2024", "txt", md, t, [2, 5, 6], "markdown .txt with <br>, 单位： label",
              "<br> in cells; '单位：' label; 日期 header only; 规章 '/'")


def doc11():
    rep = Report(111, "2019"); rep.year = 2019
    ag = "云岭省人民政府办公厅"
    rep.items.update(proactive_items_published=5120, training_sessions=3, training_attendees=450)
    fill_numbers(rep, "province", t4=([5, 0, 1, 2], [3, 0, 0, 1], [1, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "省政府办公厅", 2019, parent="国务院办公厅", app_sentence=P.app_sentence(rep, "省政府办公厅"), s6_style="none")
    doc = {"blocks": std_blocks(rep, ctx, hvar={4: 1, 5: 1})}
    opts = dict(blank="allzero", blank_str="-", h1="## ", h2="### ", repeat_spans=True)
    body = rmd.doc_md(doc, rep, opts)
    md = (f"# {ag}2019年政府信息公开工作年度报告\n\n" + "\n\n".join(preamble_std(ag, 2019, "2019")) + "\n\n" + body +
          f"\n{ag}\n\n2020年3月20日\n")
    t = truth(rep, ag, 2019, "2020-03-20", ALL6, rep.full_values(),
              "2019 format (report on 2019) as markdown: table 二 in five 2019 blocks, (六)其他处理 one row -> other.other; every zero printed '-'. "
              "The converter repeats merged stub text (三、本年度办理结果, （三）不予公开 …) on every row it spans. Section 六 is '无。'. "
              "Items: 主动公开5120条, 培训3次/450人次; fee not mentioned (null).")
    write_doc("yunling-province-office-2019", "md", md, t, [2], "2019 format markdown, repeated span text",
              "2019 tables; '-' for every zero; merged labels repeated per row")


def doc12():
    rep = Report(112); rep.year = 2025
    ag = "青禾县枫渡镇人民政府"
    rep.items.update(proactive_items_published=57, training_sessions=1, training_attendees=18, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", regs_na=False, apps=([3, 0, 0, 0, 0, 0], [0] * 6, [0] * 6))
    rep.t2.update({"normative_documents.issued": 0, "normative_documents.repealed": 0, "normative_documents.in_force": 1,
                   "licensing_decisions": 0, "penalty_decisions": 4, "coercion_decisions": 0, "admin_fees_10k_yuan": 0})
    ctx = ctx_for(rep, ag, "我镇", 2025, parent="县政务公开办", app_sentence=P.app_sentence(rep, "我镇"))
    doc = {"blocks": std_blocks(rep, ctx)}
    opts = dict(blank="legal5", blank_str="-", h1="## ", h2="", rowtables=True)
    body = rmd.doc_md(doc, rep, opts)
    md = (f"发布时间：2026-01-15 09:20　　来源：枫渡镇\n\n# {ag}2025年政府信息公开工作年度报告\n\n"
          "根据《中华人民共和国政府信息公开条例》，现公布我镇2025年政府信息公开工作年度报告。\n\n" + body +
          f"\n{ag}\n\n2026年1月14日\n")
    t = truth(rep, ag, 2025, "2026-01-14", ALL6, rep.full_values(),
              "Town report on 2025, row-per-table converter (| 类别 | 数据1 … |); zero cells of the five 法人 columns printed '-'. Page header 发布时间 2026-01-15 09:20 kept at the top by the converter; "
              "signature date 2026年1月14日 is the truth. 3 applications, all 自然人. Items: 主动公开57条, 培训1次/18人次, 未收取信息处理费.")
    write_doc("fengdu-town-2025", "md", md, t, [2, 5], "row-per-table markdown, town 2025, header+signature date",
              "tiny numbers; header date one day after signature")


def doc13():
    rep = Report(113, "2019"); rep.year = 2020
    ag = "石梁县市场监督管理局"
    rep.items.update(proactive_items_published=391, npc_suggestions_handled=6, cppcc_proposals_handled=9)
    fill_numbers(rep, "countydept", t4=([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "县市场监管局", 2020, app_sentence=P.app_sentence(rep, "县市场监管局"))
    doc = {"blocks": std_blocks(rep, ctx)}
    opts = dict(blank="legal5", blank_str="", br=True, tight=True, h1="# ", h2="## ")
    body = rmd.doc_md(doc, rep, opts)
    md = (f"# {ag}<br>2020年政府信息公开工作年度报告\n\n" + "\n\n".join(preamble_std(ag, 2020, "2019")) + "\n\n" + body +
          f"\n{ag}\n\n{cn_date(2021, 1, 25)}\n")
    t = truth(rep, ag, 2020, "2021-01-25", ALL6, rep.full_values(),
              "2019 format (report on 2020); markdown converter output named .txt with tight pipes (|a|b|), <br> inside header and label cells, the title itself joined with <br>. "
              "Zero cells of the five 法人 columns are empty between pipes (=0). Signature date in Chinese numerals 二〇二一年一月二十五日. "
              "Items: 主动公开391条, 人大代表建议6件, 政协提案9件.")
    write_doc("shiliang-market-2020", "txt", md, t, [2], "2019 format, tight pipes with <br>, 二〇二一年 date",
              "empty cells between pipes; Chinese-numeral signature date")


ALL = [doc08, doc09, doc10, doc11, doc12, doc13]
