from core import Report
from common import fill_numbers, write_doc, truth
import rtext
import prose as P


def cut_after(text, marker):
    i = text.index(marker)
    return text[:i + len(marker)]


def nullvals(rep):
    return rep.full_values(t2=False, t3=False, t4=False)


def doc29():
    rep = Report(129); rep.year = 2022
    ag = "岚川市溪桥区松涛街道办事处"
    fill_numbers(rep, "town", apps=([3, 0, 0, 0, 0, 0], [0] * 6, [0] * 6), regs_na=False)
    rep.t2.update({"normative_documents.issued": 2, "normative_documents.repealed": 0, "normative_documents.in_force": 2,
                   "licensing_decisions": 0, "penalty_decisions": 9, "coercion_decisions": 1, "admin_fees_10k_yuan": 0})
    txt = f"""{ag}2022年政府信息公开工作年度报告
依照《中华人民共和国政府信息公开条例》要求和区政务公开办的统一部署,松涛街道编制了2022年度政府信息公开工作年度报告,现予公布。报告所列数据的统计时段为2022年1月1日至2022年12月31日。
一、总体情况
(一)主动公开情况
2022年,我街道在区政府信息公开网站发布各类信息276条,其中财政预算、决算信息公开2条,人员招录信息公开1条,疫情防控信息公开19条,城市管理和安全生产信息公开35条,民生保障、社区服务等工作动态信息公开219条。
(二)依申请公开情况
本年度新收政府信息公开申请3件,上年结转申请0件。
(三)政府信息管理情况
严格执行信息发布“三审”制度,动态更新政府信息公开指南和公开目录,对过期信息及时归档,确保发布内容合法、准确、及时。
二、主动公开政府信息情况
{rtext.halfwidth(rtext.t2_pipe(rep, {}))}
三、收到和处理政府信息公开申请情况
"""
    txt = cut_after(txt, "本年收费金额(单")
    v = nullvals(rep)
    for k in ("regulations.issued", "regulations.repealed", "regulations.in_force", "normative_documents.issued",
              "normative_documents.repealed", "normative_documents.in_force", "licensing_decisions", "penalty_decisions", "coercion_decisions"):
        v["active_disclosure." + k] = rep.t2[k]
    v["applications.new.total"] = 3
    v["applications.carried_over.total"] = 0
    v["items.proactive_items_published"] = 276
    t = truth(rep, ag, 2022, None, [1, 2], v,
              "Opening only (about 2000 characters, as the page came back): the text stops inside table 二 at '本年收费金额(单', so admin_fees_10k_yuan is null; tables 三 and 四 are not in the text. "
              "Table 二 flattened to 'a | b |' rows with ' |||' padding for merged cells. From prose 一(二): 新收3件 (new.total), 上年结转0件 (carried_over.total). 发布各类信息276条 (items). No publish date.")
    write_doc("songtao-street-2022-opening", "txt", txt + "\n" if False else txt, t, [7], "opening cut inside table 二",
              "page ends at 本年收费金额(单; prose gives 新收/结转")


def doc30():
    rep = Report(130); rep.year = 2023
    ag = "岚川市公安局"
    txt = f"""本报告依据《中华人民共和国政府信息公开条例》及国办公开办函〔2021〕30号文件要求编制,由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成,数据统计时间为2023年1月1日至2023年12月31日。对本报告如有疑问,请与{ag}联系(地址:岚川市文昌路88号;邮编:415000;电话:0736—7221100)。
一、总体情况
(一)主动公开
2023年,我局依托岚川公安微信、政务微博和市政府门户网站主动发布各类警务信息700余条,其中警情通报46条,交通管理类信息132条,户籍和出入境办事指南28条,工作动态310条。全年在各级新闻媒体刊发稿件900余篇,举办“警营开放日”活动6次。
(二)依申请公开
2023年,我局全年共受理政府信息公开申请52件,办结47件,结转5件,均在《政府信息公开条例》规定时限内答复。申请内容主要涉及交通事故认定、治安案件办理、户籍档案查询等。全年因政府信息公开工作被申请行政复议1件,截至本报告发布时尚未审结,未发生行政诉讼案件。
(三)政府信息管理
严格落实政府信息公开保密审查制度,坚持“先审查、后公开”和“一事一审”原则,对拟公开的信息由承办部门初审、法制部门复审、分管局领导审定,确保不泄露国家秘密、工作秘密和个人隐私。对涉及群众切身利益的警务信息,在公开前征求相关部门意见,做到公开内容准确、用语规范、时效及时。2023年,我局对历年来制发的规范性文件进行了全面清理,对不再适用的文件及时宣布失效,并在市政府门户网站予以公布,同时按要求更新了主动公开目录,调整了公开指南中的受理渠道和联系方式,方便群众查阅和申请。
(四)政府信息公开平台建设
依托市政府门户网站“政府信息公开”专栏,规范设置机构职能、法规文件、规划计划、执法信息等栏目,确保栏目内容及时更新。持续办好“岚川公安”微信公众号,开设“警方提醒”“办事指南”等特色栏目,全年推送各类信息1200余条,关注人数突破20万人。同时加强政务新媒体安全管理,落实账号管理、内容发布、信息审核等制度,"""
    txt = txt[:1990]
    v = nullvals(rep)
    v.update({"applications.new.total": 52, "applications.total.total": 47, "applications.carried_forward.total": 5,
              "review_litigation.review.pending": 1, "review_litigation.review.total": 1,
              "review_litigation.litigation_direct.upheld": 0, "review_litigation.litigation_direct.corrected": 0,
              "review_litigation.litigation_direct.other": 0, "review_litigation.litigation_direct.pending": 0,
              "review_litigation.litigation_direct.total": 0,
              "review_litigation.litigation_after_review.upheld": 0, "review_litigation.litigation_after_review.corrected": 0,
              "review_litigation.litigation_after_review.other": 0, "review_litigation.litigation_after_review.pending": 0,
              "review_litigation.litigation_after_review.total": 0,
              "items.proactive_items_published": 700})
    t = truth(rep, ag, 2023, None, [1], v,
              "Opening only: no title, the page returns the preamble and section 一 and stops mid-sentence in 一(四); no table is in the text. Agency only in the contact sentence (请与岚川市公安局(地址…)联系). "
              "Prose: 受理政府信息公开申请52件 (new.total), 办结47件 (total.total), 结转5件 (carried_forward.total); carried_over not stated (null). "
              "被申请行政复议1件…尚未审结 -> review.pending 1, review.total 1 (other review cells not stated, null); 未发生行政诉讼案件 -> all ten litigation cells 0. "
              "主动发布各类警务信息700余条 -> proactive_items_published 700 (approximate; the 1200余条 WeChat pushes in 一(四) are a platform figure, not counted). template_version unknown.")
    t["template_version"] = "unknown"
    write_doc("lanchuan-police-2023-opening", "txt", txt, t, [7, 6], "opening, no title, prose figures only",
              "受理52件/办结47件/结转5件; 复议1件尚未审结; 未发生行政诉讼")


def doc31():
    rep = Report(131); rep.year = 2021
    ag = "云岭省水利厅"
    txt = f"""{ag}2021年政府信息公开工作年度报告

根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求，编制本报告。本报告所列数据统计期限为2021年1月1日至2021年12月31日。

一、总体情况

2021年，省水利厅认真贯彻落实《条例》和省政府关于政务公开工作的部署，围绕水旱灾害防御、水资源管理、河湖长制等重点工作，全面推进决策、执行、管理、服务、结果公开。

（一）主动公开。全年通过厅门户网站主动公开政府信息2684条，其中政策文件37条、政策解读22条、水情旱情信息540条，发布新闻稿件386篇。

（二）依申请公开。本年度新收申请112件、上年结转9件、予以公开60件，其余申请均依法作出答复。申请内容主要集中在水利工程建设、河道采砂许可、水资源费征收等方面。

（三）政府信息管理。严格执行信息发布审核制度，全年开展规范性文件清理1次，及时公布清理结果。

（四）政府信息公开平台建设。完成厅门户网站集约化迁移，优化“政府信息公开”专栏栏目设置。

（五）监督保障。将政务公开纳入厅机关年度绩效考核，全年举办政务公开专题培训2次，参训130人次。

二、主动公开政府信息情况

[图片]

三、收到和处理政府信息公开申请情况

[图片]

四、政府信息公开行政复议、行政诉讼情况

2021年，收到行政复议申请1件，经复议维持原行政行为；未发生行政诉讼。

[图片]

五、存在的主要问题及改进情况

一是政策解读的针对性和可读性有待提升；二是依申请公开答复的规范化水平仍需提高。2022年，我厅将进一步加强业务培训，提升答复质量。

六、其他需要报告的事项

（一）人大代表建议和政协提案办理情况。2021年，我厅共承办省人大代表建议52件、省政协提案68件，全部按时办结。

（二）收取信息处理费情况。2021年，我厅未收取信息处理费。

{ag}
2022年1月27日
"""
    v = nullvals(rep)
    v.update({"applications.new.total": 112, "applications.carried_over.total": 9, "applications.disclosed.total": 60,
              "review_litigation.review.upheld": 1, "review_litigation.review.total": 1})
    for g in ("litigation_direct", "litigation_after_review"):
        for k in ("upheld", "corrected", "other", "pending", "total"):
            v[f"review_litigation.{g}.{k}"] = 0
    v.update({"items.proactive_items_published": 2684, "items.training_sessions": 2, "items.training_attendees": 130,
              "items.npc_suggestions_handled": 52, "items.cppcc_proposals_handled": 68, "items.info_processing_fees_yuan": 0})
    t = truth(rep, ag, 2021, "2022-01-27", [1, 2, 3, 4, 5, 6], v,
              "Full report whose three tables were images not extracted ([图片]). Prose: 新收申请112件 (new.total), 上年结转9件 (carried_over.total), 予以公开60件 (disclosed.total); "
              "行政复议1件 维持 -> review.upheld 1, review.total 1 (other review cells not stated, null); 未发生行政诉讼 -> all ten litigation cells 0. "
              "Items: 主动公开2684条, 培训2次/130人次, 人大代表建议52件, 政协提案68件, 未收取信息处理费. template_version unknown (no table).")
    t["template_version"] = "unknown"
    write_doc("yunling-water-2021-images", "txt", txt, t, [7], "tables missing ([图片]), figures in prose",
              "three [图片] placeholders; prose 112/9/60; 复议维持1件; 未发生行政诉讼")


def doc32():
    rep = Report(132, "2019"); rep.year = 2020
    ag = "青禾县教育局"
    txt = f"""{ag}2020年政府信息公开工作年度报告
发布者:县教育局   发布日期:2021-01-28 10:12:40   浏览次数:3306

 本报告依据《中华人民共和国政府信息公开条例》(以下简称《条例》)编制,所列数据的统计时间为2020年1月1日至2020年12月31日。对本报告如有疑问,可联系{ag}办公室(电话:0791-5328810)。

一、总体情况

2020年,{ag}按照县政府关于政务公开工作的部署,紧扣教育改革发展中心任务,把政府信息公开作为促进依法行政、提升服务质量的重要抓手,健全工作制度,规范公开流程,主动接受社会监督。

(一)主动公开情况

全年通过县政府门户网站教育局专栏、“青禾教育”微信公众号主动公开政府信息355条,其中招生考试信息42条,教育收费信息8条,财政预决算信息3条,学生资助信息26条,工作动态276条。

(二)依申请公开情况

2020年,我局未收到政府信息公开申请,年度无因政府信息公开引起的行政复议、行政诉讼的情况发生。

(三)政府信息管理情况

我局建立了信息公开审核机制,明确信息公开责任科室和责任人,对拟公开的信息严格执行“三审”制度,由科室负责人初审、办公室复审、分管领导终审后发布。全年对涉及教育收费、招生入学等重点领域的信息进行了重点审核,未发生因公开不当引发的负面舆情。同时,按照县政府办公室的统一部署,对本局历年制发的规范性文件进行了清理,对已失效、废止的文件进行了标注,并在专栏中集中公开现行有效的规范性文件目录,方便群众查询使用。

(四)政府信息公开平台建设情况

进一步完善县政府门户网站教育局专栏栏目设置,新增“学生资助”“招生入学”等专题栏目,做到栏目设置科学合理、内容更新及时准确。加强“青禾教育”微信公众号的运维管理,全年推送各类信息600余条,及时发布招生政策、考试安排、假期安全提示等群众关心的内容,公众号关注人数较上年增长明显。各学校也依托校园网站和家长群,及时公开学校管理、收费标准、招生计划等信息,形成了县、校两级联动的公开格局"""
    txt = txt[:1995]
    v = nullvals(rep)
    v["applications.new.total"] = 0
    for g in ("review", "litigation_direct", "litigation_after_review"):
        for k in ("upheld", "corrected", "other", "pending", "total"):
            v[f"review_litigation.{g}.{k}"] = 0
    v["items.proactive_items_published"] = 355
    t = truth(rep, ag, 2020, "2021-01-28", [1], v,
              "Opening only, cut inside 一(四); publish date only from the page header 发布日期:2021-01-28 10:12:40. Report on 2020 (the 2019 format would apply, but no table is visible: template_version unknown). "
              "Prose: 未收到政府信息公开申请 -> new.total 0 (carried_over not stated, null); 无…行政复议、行政诉讼的情况发生 -> all 15 table-四 cells 0. 主动公开355条.")
    t["template_version"] = "unknown"
    write_doc("qinghe-edu-2020-opening", "txt", txt, t, [7, 5], "opening with 发布日期 header, zero applications in prose",
              "cut in section 一; 未收到申请; 无复议诉讼")


def doc33():
    rep = Report(133); rep.year = 2024
    ag = "岚川市溪桥区财政局"
    fill_numbers(rep, "countydept", apps=([6, 0, 0, 0, 0, 0], [0] * 6, [0] * 6))
    rep.make_t3([6, 0, 0, 0, 0, 0], [0] * 6, [0] * 6, forced={"disclosed": [2, 0, 0, 0, 0, 0], "partially_disclosed": [1, 0, 0, 0, 0, 0],
                                                               "cannot_provide.not_held": [3, 0, 0, 0, 0, 0]})
    rep.t2.update({"regulations.issued": 0, "regulations.repealed": 0, "regulations.in_force": 0,
                   "normative_documents.issued": 1, "normative_documents.repealed": 3, "normative_documents.in_force": 7,
                   "licensing_decisions": 0, "penalty_decisions": 2, "coercion_decisions": 0, "admin_fees_10k_yuan": 0})
    t3part = "\n".join(rtext.t3_g2(rep, {}).split("\n"))
    head = f"""依据《中华人民共和国政府信息公开条例》相关规定,{ag}编制了2024年度政府信息公开工作年度报告,现予公布:
一、总体情况
2024年,区财政局紧扣预算公开、惠民惠农补贴资金发放、政府采购等社会关注事项,持续加大财政信息主动公开力度,依法规范办理依申请公开事项。
二、主动公开政府信息情况
{rtext.halfwidth(rtext.t2_g2(rep, {}))}
三、收到和处理政府信息公开申请情况
全年区财政局收到政府信息公开申请6件,申请人均为自然人。经办理,予以公开2件、部分公开1件,因本机关不掌握相关政府信息无法提供3件,年底无结转下年度办理的申请。
{rtext.halfwidth(t3part)}
"""
    txt = cut_after(head, "三、本年度办")
    v = nullvals(rep)
    for k, val in rep.t2.items():
        v["active_disclosure." + k] = val
    from core import COLS
    for rk in ("new", "carried_over"):
        for c, col in enumerate(COLS):
            v[f"applications.{rk}.{col}"] = rep.t3[rk][c]
    v.update({"applications.disclosed.total": 2, "applications.partially_disclosed.total": 1,
              "applications.cannot_provide.not_held.total": 3, "applications.carried_forward.total": 0})
    t = truth(rep, ag, 2024, None, [1, 2, 3], v,
              "Opening only, cut inside table 三 at '三、本年度办' (like real-openings/002): tables flattened one cell per line with ' |'. Table 二 complete; table 三 rows 一 and 二 complete (14 cells). "
              "Section 三 prose: 予以公开2件, 部分公开1件, 因本机关不掌握相关政府信息无法提供3件, 年底无结转下年度办理的申请 -> the 总计 cells of those rows (申请人均为自然人 would also imply the 自然人 cells; not labelled). No title; agency from the preamble. No date.")
    write_doc("xiqiao-finance-2024-opening", "txt", txt, t, [7, 3], "opening cut inside table 三, pipe fragments",
              "cut at 三、本年度办; prose outcome figures")


ALL = [doc29, doc30, doc31, doc32, doc33]
