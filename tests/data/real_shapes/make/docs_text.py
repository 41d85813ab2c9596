from core import Report, cn_date
from common import fill_numbers, std_blocks, write_doc, truth, ctx_for
import prose as P
import rtext
from docs_html import preamble_std

ALL6 = [1, 2, 3, 4, 5, 6]

NAV = """- ### 工作动态
- {a}召开2022年度政务公开工作推进会 [2022.01.10]
 - 全市体育场馆免费低收费开放工作通过省级评估 [2022.01.07]
 - 冬季全民健身系列活动启动 [2022.01.05]
 - {a}开展安全生产大检查 [2021.12.30]

信息公开

通知公告

- 关于公布2021年度体育社会组织年检结果的通知 [2022.01.12]
- 关于做好元旦春节期间体育场所安全工作的通知 [2021.12.28]

政策法规

- {a}关于… [2021.11.02]

- 公开指南
- 公开制度
- 公开年报
- 依申请公开


扫一扫在手机打开当前页
"""


def insert_after_h2(B, prefix, items):
    i = [k for k, (kind, x) in enumerate(B) if kind == "h2" and x.startswith(prefix)][0]
    for j, it in enumerate(items):
        B.insert(i + 2 + j, it)


def doc14():
    rep = Report(114); rep.year = 2021
    ag = "澄江市体育局"
    rep.items.update(proactive_items_published=318, training_sessions=1, training_attendees=5,
                     npc_suggestions_handled=3, cppcc_proposals_handled=7, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", apps=([14, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]), t4=([0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "我局", 2021, app_sentence=f"本年度共受理依申请公开事项{rep.t3['new'][6]}件，除{rep.t3['carried_forward'][6]}件结转下年度办理外，均已按期办结答复。全年未发生收费情况。",
                  ts_text="1次", ta_text="5人次")
    B = std_blocks(rep, ctx)
    insert_after_h2(B, "（四）", [("raw", NAV.format(a=ag))])
    doc = {"title_lines": ["", "", ag, "", "2021 年政府信息公开工作年度报告", ""],
           "preamble": [f"依据《中华人民共和国政府信息公开条例》（以下简称《条例》），现向社会公布 2021 年度{ag}政府信息公开工作年度报告。"],
           "blocks": B, "signature": [ag, "2022年1月21日"]}
    txt = rtext.doc_text(doc, rep, "g1", {"sep": "\t", "nolabel": ["not_disclosed.three_safety_one_stability", "not_disclosed.internal_affairs",
                                                                  "not_disclosed.administrative_query", "cannot_provide.unclear_after_correction", "not_processed.publications"]})
    t = truth(rep, ag, 2021, "2022-01-21", ALL6, rep.full_values(),
              "Poor web extraction, worse than the seed: table-三 header cells cut mid-word on their own lines (商业企/业, 科研机/构), the vertical label cut into pieces between rows (三、本 / 年 / 度办 / 理结 / 果), "
              "sub-group labels cut (（三）不 / 予 / 公开), long labels split around their number line ((二)部分公开…只 / numbers / 计这一情形…), five leaf rows with no label at all (numbers only); numbers keep template order. "
              "Site navigation and a QR caption pasted into section 一. Table 四: 复议 pending 1. Items: 主动公开318条, 培训1次/5人次, 人大代表建议3件, 政协提案7件, 未收取信息处理费 (and '全年未发生收费情况').")
    write_doc("chengjiang-sports-2021", "txt", txt, t, [3], "seed-like, labels cut, label-less rows",
              "header words cut, vertical group label in pieces, 5 unlabeled number rows, nav in section 一")


def doc15():
    rep = Report(115); rep.year = 2022
    ag = "岚川市溪桥区人民政府办公室"
    rep.items.update(proactive_items_published=1106, training_sessions=2, training_attendees=150, info_processing_fees_yuan=0)
    fill_numbers(rep, "county", t4=([1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "区政府办公室", 2022, app_sentence=P.app_sentence(rep, "区政府办公室"))
    doc = {"title_lines": [f"{ag}2022年政府信息公开工作年度报告"],
           "preamble": ["按照《中华人民共和国政府信息公开条例》要求，结合本单位工作实际，现就区政府办公室2022年度政府信息公开工作情况报告如下："],
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2023年1月30日"]}
    txt = rtext.halfwidth(rtext.doc_text(doc, rep, "g2", {}, sep_blank=False))
    t = truth(rep, ag, 2022, "2023-01-30", ALL6, rep.full_values(),
              "Table cells flattened one per line ending in ' |', a lone '|' starting each row, merged-cell padding (' |||'), half-width punctuation, like real-openings/002. "
              "The eight 不予公开 sub-labels come out as one block, followed by eight bare runs of seven numbers (template order). "
              "Items: 主动公开1106条, 培训2次/150人次, 未收取信息处理费.")
    write_doc("xiqiao-district-office-2022", "txt", txt, t, [3], "one cell per line with ' |', label block + bare number runs",
              "002-style pipe fragments; 不予公开 labels separated from their numbers")


def doc16():
    rep = Report(116, "2019"); rep.year = 2020
    ag = "石梁县人民政府"
    rep.items.update(proactive_items_published=2840, training_sessions=2, training_attendees=300,
                     npc_suggestions_handled=58, cppcc_proposals_handled=74)
    fill_numbers(rep, "county", t4=([2, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "县政府", 2020, app_sentence=P.app_sentence(rep, "县政府"), ta_text="300余人次")
    B = std_blocks(rep, ctx)
    news = ("标题:\t县政府召开政务公开工作推进会\t\t\n索引号:\tQH-2020-00731\t文号:\t\n发文日期:\t2020-09-16\t发布机构:\t县政府办公室\n\n"
            "县政府召开政务公开工作推进会\n\n时间： 2020-09-16\n\n9月16日，县政府召开全县政务公开工作推进会，各乡镇、县直各部门分管负责同志参加会议。会议通报了前三季度全县政务公开工作情况，部署了下一阶段重点任务。")
    insert_after_h2(B, "（五）", [("raw", news)])
    doc = {"title_lines": [f"{ag}", "2020年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2020, "2019"),
           "blocks": B, "signature": [ag, "2021年3月18日"]}
    txt = rtext.doc_text(doc, rep, "g3", {})
    rep.items["training_attendees"] = 300
    t = truth(rep, ag, 2020, "2021-03-18", ALL6, rep.full_values(),
              "2019 format (report on 2020), seed-like tab extraction: spaced vertical labels (三、本 年 度 办 理 结 果, （三） 不 予 公 开), a pasted news page (标题/索引号/发文日期 2020-09-16, not the publish date) after section 一(五), "
              "two 不予处理 rows whose label comes before an extra tab. Items: 主动公开2840条, 培训2次/300余人次 (approximate, value 300), 人大代表建议58件, 政协提案74件; fee not mentioned.")
    write_doc("shiliang-county-2020", "txt", txt, t, [3], "2019 format seed-like tabs, pasted news page",
              "spaced vertical labels; a news page's 发文日期 inside the text; 300余人次")


def doc17():
    rep = Report(117); rep.year = 2023
    ag = "望舒县桐溪乡人民政府"
    rep.items.update(proactive_items_published=73, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", apps=([4, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0] * 6), regs_na=True, t4=([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    rep.t2.update({"normative_documents.issued": 0, "normative_documents.repealed": 0, "normative_documents.in_force": 0,
                   "licensing_decisions": 0, "penalty_decisions": 2, "coercion_decisions": 0, "admin_fees_10k_yuan": 0})
    ctx = ctx_for(rep, ag, "我乡", 2023, app_sentence=P.app_sentence(rep, "我乡"), state_training=False)
    doc = {"title_lines": [f"{ag}2023年政府信息公开工作年度报告"], "preamble": [],
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2024年1月19日"]}
    txt = rtext.doc_text(doc, rep, "g4", {"nolabel": ["not_disclosed.process_info", "cannot_provide.needs_creation", "not_processed.repeated"]}, sep_blank=False)
    t = truth(rep, ag, 2023, "2024-01-19", ALL6, rep.full_values(),
              "Layout-less PDF text: labels and number runs on alternate lines, table-三 header cut (商业企/业 on different lines), the vertical label split into 三、/本年/度办/理结/果, three rows without labels. "
              "Table 四 header typeset vertically: one character per cell per line (结 结 其 尚 …), then the 15 numbers in one line. 规章 '/'. "
              "Items: 主动公开73条, 未收取信息处理费; 复议 1 upheld.")
    write_doc("tongxi-township-2023", "txt", txt, t, [3], "vertical table-四 header, label/number alternating",
              "single-char vertical header lines in 表四; unlabeled rows")


def doc18():
    rep = Report(118); rep.year = 2024
    ag = "岚川市教育局"
    rep.items.update(proactive_items_published=1580, training_sessions=3, training_attendees=210,
                     npc_suggestions_handled=27, cppcc_proposals_handled=41, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", t4=([2, 1, 0, 1], [1, 0, 0, 2], [0, 0, 0, 1]))
    ctx = ctx_for(rep, ag, "市教育局", 2024, app_sentence=P.app_sentence(rep, "市教育局"))
    doc = {"title_lines": [" " * 20 + f"{ag}", " " * 14 + "2024年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2024),
           "blocks": std_blocks(rep, ctx), "signature": [" " * 40 + ag, " " * 42 + "2025年1月17日"]}
    pb = "\n" + " " * 38 + "— 4 —\n\f" + " " * 10 + "岚川市教育局2024年政府信息公开工作年度报告\n"
    txt = rtext.doc_text(doc, rep, "g5", {"page_break_after": "not_disclosed.third_party_rights", "page_break_text": pb}, sep_blank=False)
    t = truth(rep, ag, 2024, "2025-01-17", ALL6, rep.full_values(),
              "pdftotext -layout style: columns aligned by spaces, the vertical 三、本年度办理结果 label one character per row at the left margin, sub-group labels split (（三）不 / 予公开), long labels wrapped onto a line after their numbers, "
              "a page break (footer '— 4 —', form feed, running header) inside table 三 after row 4.保护第三方合法权益. "
              "Items: 主动公开1580条, 培训3次/210人次, 人大代表建议27件, 政协提案41件, 未收取信息处理费.")
    write_doc("lanchuan-edu-2024", "txt", txt, t, [3], "pdftotext -layout, page break inside table 三",
              "space-aligned columns; vertical label one char per row; form feed + running header mid-table")


def doc25():
    rep = Report(125); rep.year = 2023
    ag = "澄江市人民政府办公室"
    rep.items.update(proactive_items_published=2418, training_sessions=2, training_attendees=160,
                     npc_suggestions_handled=19, cppcc_proposals_handled=33, info_processing_fees_yuan=0)
    fill_numbers(rep, "county", t4=([1, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "市政府办", 2023, app_sentence=P.app_sentence(rep, "市政府办"))
    doc = {"head": ["当前位置：首页 > 政府信息公开 > 法定主动公开内容 > 政府信息公开年报", "", "2023年政府信息公开工作年度报告", "",
                    "来源：市政府办　　发布时间：2024-01-22 15:06　　浏览次数：271", "【字体：大 中 小】　【打印】　【关闭】", ""],
           "title_lines": [],
           "preamble": [f"根据《中华人民共和国政府信息公开条例》要求，特编制{ag}2023年政府信息公开工作年度报告。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"],
           "blocks": std_blocks(rep, ctx), "signature": []}
    txt = rtext.doc_text(doc, rep, "tab", {}, sep_blank=False)
    t = truth(rep, ag, 2023, "2024-01-22", ALL6, rep.full_values(),
              "The title has no agency; the full name appears only in the preamble sentence (特编制澄江市人民政府办公室2023年…); the header's 来源 gives the short form 市政府办. "
              "Publish date only from the header 发布时间：2024-01-22 15:06; no signature. Clean tab-separated tables. "
              "Items: 主动公开2418条, 培训2次/160人次, 人大代表建议19件, 政协提案33件, 未收取信息处理费.")
    write_doc("chengjiang-office-2023", "txt", txt, t, [6, 5], "agency only in preamble, header date only",
              "特编制XX2023年…报告 sentence; 来源：市政府办")


def doc26():
    rep = Report(126); rep.year = 2022
    ag = "望舒县司法局"
    rep.items.update(proactive_items_published=148, training_sessions=1, training_attendees=20, info_processing_fees_yuan=0)
    fill_numbers(rep, "countydept", regs_na=True, t4=([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "我局", 2022, app_sentence=P.app_sentence(rep, "我局"))
    doc = {"title_lines": ["望舒县司法周2022年政府信息公开工作年度报告"],
           "preamble": [f"本报告根据《中华人民共和国政府信息公开条例》要求编制。如对本报告有任何疑问，请与{ag}办公室联系（电话：0736-6621087）。"],
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2023年1月18日"]}
    txt = rtext.doc_text(doc, rep, "pipe", {"na": "/"}, sep_blank=False)
    t = truth(rep, ag, 2022, "2023-01-18", ALL6, rep.full_values(),
              "The title misreads one character (望舒县司法周); the preamble and the signature both print 望舒县司法局, which is the truth. Tables as 'label | v | v |' lines; 规章 '/' (n/a). "
              "Items: 主动公开148条, 培训1次/20人次, 未收取信息处理费.")
    write_doc("wangshu-justice-2022", "txt", txt, t, [6], "one-character misread in the title",
              "司法周 vs 司法局 (2 of 3 mentions agree)")


def doc27():
    rep = Report(127, "2019"); rep.year = 2020
    ag = "明湖区人民政府"
    rep.items.update(proactive_items_published=3920, training_sessions=4, training_attendees=260,
                     npc_suggestions_handled=73, cppcc_proposals_handled=96, info_processing_fees_yuan=0)
    fill_numbers(rep, "city", t4=([3, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "明湖区政府", 2020, app_sentence=P.app_sentence(rep, "明湖区政府"))
    doc = {"head": ["明湖区人民政府2020年政府信息公开工作年度报告", "发布时间：2021-01-29 09:20　　来源：明湖区政府办公室　　阅读次数：1836", ""],
           "title_lines": ["明湖区人民政府2020年政府信息公开工作年度报告"],
           "preamble": ["根据《中华人民共和国政府信息公开条例》和国办公开办函〔2019〕60号要求，现公布明湖区政府2020年政府信息公开工作年度报告。"],
           "blocks": std_blocks(rep, ctx), "signature": ["明湖区政府", "2021年1月28日"]}
    txt = rtext.doc_text(doc, rep, "tab", {}, sep_blank=False)
    t = truth(rep, ag, 2020, "2021-01-28", ALL6, rep.full_values(),
              "2019 format (report on 2020). Title (and page header) say 明湖区人民政府; preamble, body and signature say 明湖区政府 — truth is the title's full name. "
              "Header 发布时间 2021-01-29 09:20 and signature 2021年1月28日: the signature date wins. "
              "Items: 主动公开3920条, 培训4次/260人次, 人大代表建议73件, 政协提案96件, 未收取信息处理费.")
    write_doc("minghu-gov-2020", "txt", txt, t, [6, 5], "2019 format; 政府 vs 人民政府; header+signature",
              "signature 明湖区政府; header date one day later")


def doc28():
    rep = Report(128); rep.year = 2024
    ag = "青禾县水利局"
    rep.items.update(proactive_items_published=204, training_sessions=1, training_attendees=26, info_processing_fees_yuan=0)
    fill_numbers(rep, "countydept", t4=([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "县水利局", 2024, app_sentence=P.app_sentence(rep, "县水利局"))
    doc = {"head": ["首页 > 信息公开 > 部门信息公开 > 县水利局 > 政府信息公开年报", "", f"{ag}2024年政府信息公开工作年度报告", "",
                    "信息来源：县水利局　　发布时间：2025-02-10 08:45　　浏览量：93", ""],
           "title_lines": [],
           "preamble": ["根据《中华人民共和国政府信息公开条例》规定，现向社会公布县水利局2024年政府信息公开工作年度报告。"],
           "blocks": std_blocks(rep, ctx), "signature": ["青禾县水利局", "2025年1月23日"]}
    txt = rtext.doc_text(doc, rep, "pipe", {}, sep_blank=False)
    t = truth(rep, ag, 2024, "2025-01-23", ALL6, rep.full_values(),
              "Web header 发布时间 2025-02-10 (the page was re-posted) is later than the signature date 2025年1月23日 (truth). Body uses the short form 县水利局. "
              "Items: 主动公开204条, 培训1次/26人次, 未收取信息处理费.")
    write_doc("qinghe-water-2024", "txt", txt, t, [5, 6], "header date later than signature; short form body",
              "re-posted page: header 2025-02-10, signature 2025年1月23日")


def doc34():
    rep = Report(134); rep.year = 2022
    ag = "澄江市临溪镇人民政府"
    rep.items.update(proactive_items_published=64, training_sessions=1, training_attendees=15, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", apps=([2, 0, 0, 0, 0, 0], [0] * 6, [0] * 6))
    rep.t2.update({"normative_documents.issued": 1, "normative_documents.repealed": 0, "normative_documents.in_force": 3,
                   "licensing_decisions": 0, "penalty_decisions": 6, "coercion_decisions": 0, "admin_fees_10k_yuan": 0})
    ctx = ctx_for(rep, ag, "我镇", 2022, app_sentence=P.app_sentence(rep, "我镇"))
    doc = {"title_lines": [f"{ag}2022年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2022),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2023年1月12日"]}
    txt = rtext.doc_text(doc, rep, "tab", {})
    t = truth(rep, ag, 2022, "2023-01-12", ALL6, rep.full_values(),
              "Complete ordinary town report, clean text with tab-separated tables, every zero printed. Items: 主动公开64条, 培训1次/15人次, 未收取信息处理费.")
    write_doc("lixi-town-2022", "txt", txt, t, [], "ordinary complete text", "clean reference text")


def doc36():
    rep = Report(136, "2019"); rep.year = 2020
    ag = "澄江市东湖街道办事处"
    rep.items.update(proactive_items_published=92, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", apps=([1, 0, 0, 0, 0, 0], [0] * 6, [0] * 6), regs_na=False)
    for k in list(rep.t2v19):
        rep.t2v19[k] = 0
    rep.t2v19.update({"punishment.prev_count": 3, "punishment.delta": 1, "punishment.processed": 5})
    ctx = ctx_for(rep, ag, "我街道", 2020, app_sentence=P.app_sentence(rep, "我街道"), state_training=False)
    doc = {"title_lines": [f"{ag}2020年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2020, "2019"),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2021年1月15日"]}
    txt = rtext.doc_text(doc, rep, "pipe", {})
    t = truth(rep, ag, 2020, "2021-01-15", ALL6, rep.full_values(),
              "Complete ordinary street-office report in the 2019 format (report on 2020); ' | '-separated tables, zeros printed. 行政处罚 上一年项目数量3 本年增/减1 处理决定数量5. "
              "Items: 主动公开92条, 未收取信息处理费.")
    write_doc("chengjiang-street-2020", "txt", txt, t, [], "ordinary complete 2019-format text", "2019 format, street level, clean")


def doc37():
    rep = Report(137); rep.year = 2023
    ag = "岚川市人力资源和社会保障局"
    rep.items.update(proactive_items_published=2047, training_sessions=2, training_attendees=88,
                     npc_suggestions_handled=22, cppcc_proposals_handled=35, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", t4=([2, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "市人社局", 2023, app_sentence=P.app_sentence(rep, "市人社局"))
    doc = {"title_lines": [ag, "2023年政府信息公开工作年度报告"], "preamble": preamble_std(ag, 2023),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2024年1月26日"]}
    txt = rtext.doc_text(doc, rep, "g1", {"sep": " ", "nolabel": ["not_disclosed.state_secret", "not_disclosed.prohibited_by_law",
                                                                 "not_disclosed.three_safety_one_stability", "not_processed.publications",
                                                                 "not_processed.mass_repeated", "other.overdue_fee", "total"]})
    t = truth(rep, ag, 2023, "2024-01-26", ALL6, rep.full_values(),
              "Garbled extraction with space-separated numbers: header words cut (商业企/业), vertical label pieces between rows, long labels split around their numbers, "
              "seven rows with no label at all, including （七）总计. Numbers keep template order. "
              "Items: 主动公开2047条, 培训2次/88人次, 人大代表建议22件, 政协提案35件, 未收取信息处理费.")
    write_doc("lanchuan-hrss-2023", "txt", txt, t, [3], "space-separated garble, 7 unlabeled rows incl. 总计",
              "numbers space separated; （七）总计 row unlabeled")


ALL = [doc14, doc15, doc16, doc17, doc18, doc25, doc26, doc27, doc28, doc34, doc36, doc37]
