from core import Report, cn_date
from common import fill_numbers, std_blocks, write_doc, truth, ctx_for
import prose as P
import rhtml
from trad import to_trad

ALL6 = [1, 2, 3, 4, 5, 6]


def preamble_std(agency, year, v="2021"):
    doc = "国办公开办函〔2021〕30号" if v == "2021" else "国办公开办函〔2019〕60号"
    return [f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{doc}）要求编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，请与{agency}联系。"]


def doc01():
    rep = Report(101); rep.year = 2022
    ag = "青禾县人民政府办公室"
    rep.items.update(proactive_items_published=1263, training_sessions=3, training_attendees=126,
                     npc_suggestions_handled=14, cppcc_proposals_handled=21, info_processing_fees_yuan=0)
    fill_numbers(rep, "county", t4=([2, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "县政府办", 2022, parent="市政府办公室", app_sentence=P.app_sentence(rep, "县政府办"))
    doc = {"title": f"{ag}2022年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2022),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2023年1月16日"]}
    opts = dict(word=True, blank="legal5", t4blank=True, charset="gbk", site="青禾县人民政府", place="青禾",
                info="来源：青禾县人民政府办公室&nbsp;&nbsp;&nbsp;&nbsp;发布时间：2023-01-18 10:32&nbsp;&nbsp;&nbsp;&nbsp;浏览次数：<span id=\"hits\">386</span>",
                crumb='<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a>',
                footer="主办单位：青禾县人民政府办公室　　网站标识码：3610250011　　备案号：X ICP备05001234号-1　　联系电话：0791-5322011")
    html = rhtml.page(doc, rep, opts)
    v = rep.full_values()
    t = truth(rep, ag, 2022, "2023-01-16", ALL6, v,
              "GBK-encoded Word-exported HTML (MsoNormal spans, <o:p>). In table 三 every zero in the five 法人或其他组织 columns is an empty <td> (=0); table 四 is all zero, printed as 15 empty cells. "
              "Page header 发布时间 2023-01-18; signature date 2023年1月16日 is the truth. Items from prose: 主动公开1263条, 培训3次/126人次, 人大代表建议14件, 政协提案21件, 未收取信息处理费 (=0).")
    write_doc("qinghe-county-office-2022", "html", html, t, [1, 5], "gbk word-html, legal columns blank, header+signature date",
              "GBK meta charset; empty <td> for zero 法人 cells and all of table 四; 发布时间 2023-01-18 vs signature 2023年1月16日", encoding="gbk")


def doc02():
    rep = Report(102); rep.year = 2023
    ag = "澄江市自然资源和规划局"
    rep.items.update(proactive_items_published=412, training_sessions=2, training_attendees=85, info_processing_fees_yuan=0)
    fill_numbers(rep, "citydept", t4=([3, 1, 0, 1], [1, 0, 1, 1], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "我局", 2023, app_sentence=P.app_sentence(rep, "我局", 1))
    doc = {"title": f"{ag}2023年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2023),
           "blocks": std_blocks(rep, ctx), "signature": [ag]}
    opts = dict(blank="legal5", nbsp=True, t4blank=False, charset="utf-8", http_equiv=False, site="澄江市人民政府",
                info="发布日期：2024-01-26&nbsp;&nbsp;&nbsp;&nbsp;来源：澄江市自然资源和规划局&nbsp;&nbsp;&nbsp;&nbsp;【字体：<a>大</a> <a>中</a> <a>小</a>】",
                footer="澄江市人民政府办公室主办　版权所有　政府网站标识码：5304810002")
    html = rhtml.page(doc, rep, opts)
    t = truth(rep, ag, 2023, "2024-01-26", ALL6, rep.full_values(),
              "UTF-8 CMS page; blank zero cells are &nbsp; in the five 法人或其他组织 columns of table 三 (=0). No date under the signature: publish_date is the page header 发布日期：2024-01-26. "
              "Items: 主动公开412条, 培训2次/85人次, 未收取信息处理费.")
    write_doc("chengjiang-resources-2023", "html", html, t, [1, 5], "utf-8 cms, &nbsp; blanks, header date only",
              "&nbsp; in zero 法人 cells; only 发布日期 header, signature without date")


def doc03():
    rep = Report(103); rep.year = 2024
    ag = "岚川市溪桥区松涛街道办事处"
    rep.items.update(proactive_items_published=86, training_sessions=1, training_attendees=24, info_processing_fees_yuan=0)
    fill_numbers(rep, "town", zero_apps=True, regs_na=True)
    rep.t2["normative_documents.issued"] = 0; rep.t2["normative_documents.repealed"] = 0; rep.t2["normative_documents.in_force"] = 0
    rep.t2["licensing_decisions"] = 0; rep.t2["penalty_decisions"] = 17; rep.t2["coercion_decisions"] = 0; rep.t2["admin_fees_10k_yuan"] = 0
    ctx = ctx_for(rep, ag, "我街道", 2024, parent="区政务公开办", app_sentence="2024年，我街道未收到政府信息公开申请，无上年结转申请。",
                  s1_tail="全年未发生政府信息公开行政复议、行政诉讼案件。")
    doc = {"title": "2024年政府信息公开工作年度报告", "page_title": "2024年政府信息公开工作年度报告",
           "preamble": ["根据《中华人民共和国政府信息公开条例》规定，现公布本街道2024年政府信息公开工作年度报告。报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"],
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2025年1月20日"]}
    opts = dict(blank="only_total", charset="utf-8", site="岚川市溪桥区人民政府", na="/",
                info="发布时间：2025-01-21 16:02&nbsp;&nbsp;&nbsp;&nbsp;信息来源：松涛街道&nbsp;&nbsp;&nbsp;&nbsp;浏览次数：57",
                footer="岚川市溪桥区人民政府办公室主办")
    html = rhtml.page(doc, rep, opts)
    v = rep.full_values()
    t = truth(rep, ag, 2024, "2025-01-20", ALL6, v,
              "Agency named only in the signature (title has no agency; body says 本街道/我街道; site name 溪桥区人民政府 is not the agency; header 信息来源：松涛街道 is a short form). "
              "No applications: every applicant cell of table 三 is an empty <td>, only the 总计 column prints 0. Table 二: 规章 row '/' (n/a); other zeros empty; 行政处罚 17. Table 四: 15 empty cells (=0). "
              "Header 发布时间 2025-01-21, signature 2025年1月20日 wins.")
    write_doc("songtao-street-2024", "html", html, t, [1, 5, 6], "only 总计 column filled, agency only in signature",
              "all applicant cells blank, 规章 '/', agency only in signature, header date one day later")


def doc04():
    rep = Report(104, "2019"); rep.year = 2020
    ag = "鹤汀市交通运输局"
    rep.items.update(proactive_items_published=538, training_sessions=2, training_attendees=64,
                     npc_suggestions_handled=9, cppcc_proposals_handled=12)
    fill_numbers(rep, "citydept", t4=([1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "市交通运输局", 2020, app_sentence=P.app_sentence(rep, "市交通运输局"))
    doc = {"title": f"{ag}2020年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2020, "2019"),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2021年1月20日"]}
    opts = dict(word=True, blank="allzero", t2blank=True, charset="gb2312", site="鹤汀市交通运输局",
                info="发布时间：2021-03-02 16:41　　来源：市交通运输局办公室　　点击数：1024",
                footer="鹤汀市交通运输局 版权所有　地址：鹤汀市建设路18号　邮编：412000")
    html = rhtml.page(doc, rep, opts)
    t = truth(rep, ag, 2020, "2021-01-20", ALL6, rep.full_values(),
              "2019 format (report on 2020): table 二 in five 2019 blocks; licensing/punishment/coercion 处理决定数量 also fill the 2021 keys; (六)其他处理 single row -> other.other. "
              "Every zero cell (tables 二, 三, 四) is an empty <td>. Declared charset gb2312. Header 发布时间 2021-03-02 is later than the signature date 2021年1月20日 (truth). "
              "Items: 主动公开538条, 培训2次/64人次, 人大代表建议9件, 政协提案12件; no statement on 信息处理费.")
    write_doc("heting-transport-2020", "html", html, t, [1, 5], "2019 format, gb2312, all zeros blank, later header date",
              "2019 tables with every zero cell empty; header date later than signature", encoding="gb2312")


def doc05():
    rep = Report(105); rep.year = 2021
    ag = "国家渔业资源监管局"
    rep.items.update(proactive_items_published=3260, training_sessions=4, training_attendees=310,
                     npc_suggestions_handled=86, cppcc_proposals_handled=112, info_processing_fees_yuan=1200)
    fill_numbers(rep, "ministry", t4=([12, 3, 4, 5], [6, 1, 2, 4], [3, 0, 1, 2]))
    ctx = ctx_for(rep, ag, "我局", 2021, parent="国务院办公厅政府信息与政务公开办公室", app_sentence=P.app_sentence(rep, "我局"))
    doc = {"title": f"{ag}2021年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2021),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2022年1月26日"]}
    opts = dict(blank="none", charset="utf-8", http_equiv=False, site=ag,
                info="发布时间：2022-01-27&nbsp;&nbsp;来源：办公室&nbsp;&nbsp;【<a>打印</a>】",
                footer=f"{ag} 版权所有　京ICP备0501xxxx号")
    html = rhtml.page(doc, rep, opts)
    t = truth(rep, ag, 2021, "2022-01-26", ALL6, rep.full_values(),
              "Complete ordinary ministry-level report, clean HTML tables with rowspan/colspan, every cell printed (zeros as 0). Signature date 2022年1月26日; header 2022-01-27. "
              "Items: 主动公开3260条, 培训4次/310人次, 人大代表建议86件, 政协提案112件, 信息处理费1200元.")
    write_doc("guojia-yuye-2021", "html", html, t, [1], "complete ministry report, zeros printed",
              "hundreds of applications, all columns used, table 四 non-zero in all three groups")


def doc06():
    rep = Report(106); rep.year = 2022
    ag_s = "云岭省卫生健康委员会"
    ag = "雲嶺省衛生健康委員會"
    rep.items.update(proactive_items_published=1742, training_sessions=3, training_attendees=260,
                     npc_suggestions_handled=45, cppcc_proposals_handled=63, info_processing_fees_yuan=0)
    fill_numbers(rep, "province", t4=([4, 1, 0, 2], [2, 0, 1, 1], [1, 0, 0, 1]))
    ctx = ctx_for(rep, ag_s, "省卫生健康委", 2022, app_sentence=P.app_sentence(rep, "省卫生健康委"))
    doc = {"title": f"{ag_s}2022年政府信息公开工作年度报告", "preamble": preamble_std(ag_s, 2022),
           "blocks": std_blocks(rep, ctx), "signature": [ag_s, "2023年1月29日"]}
    opts = dict(blank="legal5", charset="utf-8", http_equiv=False, site="雲嶺省衛生健康委員會",
                info="發布時間：2023-01-30 17:05&nbsp;&nbsp;&nbsp;來源：辦公室&nbsp;&nbsp;&nbsp;瀏覽次數：2215",
                footer="雲嶺省衛生健康委員會 主辦　網站標識碼：5300000031")
    html = to_trad(rhtml.page(doc, rep, opts))
    t = truth(rep, ag, 2022, "2023-01-29", ALL6, rep.full_values(),
              "Traditional-script mirror page (simplified text converted character by character; 信息 stays 信息). Agency as printed: 雲嶺省衛生健康委員會. "
              "Zero cells of the five 法人或其他組織 columns are empty. Signature date 2023年1月29日 wins over 發布時間 2023-01-30. "
              "Items: 主動公開1742條, 培訓3次/260人次, 人大代表建議45件, 政協提案63件, 未收取信息處理費.")
    write_doc("yunling-health-2022", "html", html, t, [1, 6], "traditional script page",
              "繁体 mirror: labels 本年新收政府信息公開申請數量 etc.; agency truth in traditional")


def doc07():
    rep = Report(107); rep.year = 2021
    ag = "明湖区人民政府"
    rep.items.update(proactive_items_published=4816, info_processing_fees_yuan=0)
    fill_numbers(rep, "city", apps=([221, 9, 0, 1, 4, 1], [10, 1, 0, 0, 0, 0], [16, 1, 0, 0, 1, 0]))
    t3 = rep.t3
    newt, cot, tot, cft = t3["new"][6], t3["carried_over"][6], t3["total"][6], t3["carried_forward"][6]
    disc = t3["disclosed"][6]
    rep.t2["normative_documents.issued"], rep.t2["normative_documents.repealed"], rep.t2["normative_documents.in_force"] = 4, 2, 58
    app = (f"2021年，全区共收到政府信息公开申请{newt}件，其中自然人申请{t3['new'][0]}件、法人或其他组织申请{newt - t3['new'][0]}件；"
           f"上年结转{cot}件。全年办结{tot}件，其中予以公开{disc}件；结转下年度继续办理{cft}件。")
    ctx = ctx_for(rep, ag, "区政府", 2021, app_sentence=app)
    B = std_blocks(rep, ctx, tables=(("img", "/u/cms/www/202201/20093125x1kq.png"), ("img", "/u/cms/www/202201/20093127m2da.png"),
                                     ("img", "/u/cms/www/202201/20093129c7pe.png")),
                   extra_s2="2021年，区政府制发行政规范性文件4件，废止2件，现行有效58件。具体情况见下表：",
                   t3_intro="具体情况见下表：")
    # section 四 sentence before the image
    i = [k for k, (kind, x) in enumerate(B) if kind == "h1" and x.startswith("四")][0]
    B.insert(i + 1, ("p", "2021年，全区因政府信息公开工作被申请行政复议5件，其中维持3件、纠正1件、尚未审结1件；被提起行政诉讼2件，均尚未审结。"))
    doc = {"title": f"{ag}2021年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2021), "blocks": B, "signature": []}
    opts = dict(blank="none", charset="utf-8", site="明湖区人民政府",
                info="时间：2022年01月20日&nbsp;&nbsp;&nbsp;来源：区政府办公室&nbsp;&nbsp;&nbsp;字号：<a>大</a> <a>中</a> <a>小</a>")
    html = rhtml.page(doc, rep, opts)
    v = rep.full_values(t2=False, t3=False, t4=False)
    v.update({"active_disclosure.normative_documents.issued": 4, "active_disclosure.normative_documents.repealed": 2,
              "active_disclosure.normative_documents.in_force": 58,
              "applications.new.total": newt, "applications.new.natural_person": t3["new"][0],
              "applications.carried_over.total": cot, "applications.total.total": tot, "applications.disclosed.total": disc,
              "applications.carried_forward.total": cft,
              "review_litigation.review.upheld": 3, "review_litigation.review.corrected": 1, "review_litigation.review.pending": 1,
              "review_litigation.review.total": 5})
    t = truth(rep, ag, 2021, "2022-01-20", ALL6, v,
              f"The three tables are images (<img>, no alt text): no table cell is readable. Values from prose: 制发行政规范性文件4件/废止2件/现行有效58件; "
              f"收到申请{newt}件 (new.total), 自然人申请{t3['new'][0]}件 (new.natural_person; 法人或其他组织{newt - t3['new'][0]}件 is a sum of five columns, not labelled), 上年结转{cot}件, 办结{tot}件 (total.total), 予以公开{disc}件, 结转下年度{cft}件; "
              "行政复议5件: 维持3, 纠正1, 尚未审结1 (review.other not stated, left null); 行政诉讼2件均尚未审结 does not say direct vs after review, so litigation cells are null. "
              "Publish date only as page header 时间：2022年01月20日 (no signature). 主动公开4816条 in prose; 未收取信息处理费. template_version unknown (no table visible).")
    t["template_version"] = "unknown"
    write_doc("minghu-district-2021-images", "html", html, t, [7, 5], "tables are <img>, figures in prose, 时间： header",
              "tables only as images; prose gives new/carried/processed/disclosed/forward and review split")


def doc35():
    rep = Report(135); rep.year = 2024
    ag = "云岭省财政厅"
    rep.items.update(proactive_items_published=2135, training_sessions=2, training_attendees=180,
                     npc_suggestions_handled=38, cppcc_proposals_handled=51, info_processing_fees_yuan=0)
    fill_numbers(rep, "province", t4=([2, 0, 1, 1], [1, 0, 0, 1], [0, 0, 0, 0]))
    ctx = ctx_for(rep, ag, "省财政厅", 2024, app_sentence=P.app_sentence(rep, "省财政厅"))
    doc = {"title": f"{ag}2024年政府信息公开工作年度报告", "preamble": preamble_std(ag, 2024),
           "blocks": std_blocks(rep, ctx), "signature": [ag, "2025年1月24日"]}
    opts = dict(blank="none", charset="utf-8", http_equiv=False, site=ag, info="发布时间：2025-01-24 10:00&nbsp;&nbsp;来源：办公室")
    html = rhtml.page(doc, rep, opts)
    t = truth(rep, ag, 2024, "2025-01-24", ALL6, rep.full_values(),
              "Complete ordinary provincial report; clean HTML tables, every zero printed. Items: 主动公开2135条, 培训2次/180人次, 人大代表建议38件, 政协提案51件, 未收取信息处理费.")
    write_doc("yunling-finance-2024", "html", html, t, [], "ordinary complete html", "clean reference page, zeros printed")


ALL = [doc01, doc02, doc03, doc04, doc05, doc06, doc07, doc35]
