"""Prose for the fixture reports: invented, varied, with stated figures recorded."""

PLATFORMS = ["政府门户网站", "政府信息公开专栏", "政务微信公众号", "政务微博", "政务服务网", "公开栏"]

S_HEADINGS = {
    1: ["一、总体情况"],
    2: ["二、主动公开政府信息情况"],
    3: ["三、收到和处理政府信息公开申请情况"],
    4: ["四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "四、政府信息公开行政复议及行政诉讼情况"],
    5: ["五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况"],
    6: ["六、其他需要报告的事项", "六、其他需要报告事项"],
}


def heading(n, rng, variant=None):
    opts = S_HEADINGS[n]
    return opts[variant] if variant is not None else opts[0] if rng.random() < 0.6 else rng.choice(opts)


def s1_blocks(rep, ctx):
    """ctx: dict with we (我局), full (agency), short, year, items to state, app_sentence (str or None)."""
    rng = rep.rng
    y = ctx["year"]
    we = ctx["we"]
    B = []
    intro = rng.choice([
        f"{y}年，{we}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，围绕中心工作，深化重点领域信息公开，规范依申请公开办理，政府信息公开工作取得新成效。",
        f"{y}年，{we}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，不断健全工作机制、拓展公开渠道，切实保障人民群众的知情权、参与权和监督权。",
        f"{y}年，在{ctx.get('parent', '上级机关')}的指导下，{we}严格落实政府信息公开各项要求，扎实推进决策、执行、管理、服务、结果公开，政务公开标准化规范化水平进一步提升。",
    ])
    B.append(("p", intro))
    # (一) 主动公开
    B.append(("h2", rng.choice(["（一）主动公开", "（一）主动公开情况", "（一）主动公开政府信息情况"])))
    n = rep.items.get("proactive_items_published")
    plats = "、".join(rng.sample(PLATFORMS[:4], 2))
    if n is not None and ctx.get("state_proactive", True):
        approx = ctx.get("proactive_approx", False)
        p = f"全年通过{plats}等渠道主动公开政府信息{n}{'余' if approx else ''}条，"
        p += rng.choice([
            f"其中政策文件{max(1, n // 12)}条、政策解读{max(1, n // 30)}条、工作动态{n // 2}条，其余为人事、财政预决算及公告公示类信息。",
            "内容涵盖机构职能、政策文件、规划计划、财政资金、重点领域信息等，做到应公开尽公开。",
            "及时发布年度工作要点、部门预决算、重大项目推进等信息，回应社会关切。",
        ])
    else:
        p = f"依托{plats}，及时公开机构职能、政策文件、财政预决算、人事信息等内容，持续加大重点领域信息公开力度。"
    B.append(("p", p))
    # (二) 依申请公开
    B.append(("h2", rng.choice(["（二）依申请公开", "（二）依申请公开情况", "（二）依申请公开办理情况"])))
    a = ctx.get("app_sentence")
    if a is None:
        a = f"{we}严格按照法定时限和程序办理政府信息公开申请，答复内容规范、依据充分，切实保障申请人合法权益。"
    B.append(("p", a))
    # (三) 政府信息管理
    B.append(("h2", rng.choice(["（三）政府信息管理", "（三）政府信息管理情况"])))
    B.append(("p", rng.choice([
        "严格落实信息发布保密审查和“三审三校”制度，拟公开信息经科室初审、办公室复审、分管领导审定后发布，确保公开内容准确、规范。定期开展规范性文件清理，及时更新现行有效文件目录。",
        "健全政府信息公开属性源头认定机制，公文在拟制时即明确公开属性；对已公开信息定期开展自查，及时调整过期、失效信息，切实防范错敏信息。",
        "规范政府信息全流程管理，建立主动公开基本目录并动态调整；加强政策文件管理，在政府信息公开专栏集中公开现行有效的行政规范性文件。",
    ])))
    # (四) 平台
    B.append(("h2", rng.choice(["（四）政府信息公开平台建设", "（四）政府信息公开平台建设情况"])))
    B.append(("p", rng.choice([
        "充分发挥政府网站第一平台作用，优化政府信息公开专栏栏目设置，加强政务新媒体日常监管，确保信息更新及时、链接有效。",
        "持续完善政府信息公开专栏，按照标准目录规范栏目，同步做好政务微信公众号运维，拓展政府信息公开渠道。",
    ])))
    # (五) 监督保障
    B.append(("h2", rng.choice(["（五）监督保障", "（五）监督保障情况"])))
    ts, ta = rep.items.get("training_sessions"), rep.items.get("training_attendees")
    p = rng.choice([
        "成立政务公开工作领导小组，明确专人负责日常工作，将政务公开纳入年度目标考核。",
        "主要负责同志定期听取政务公开工作汇报，研究解决重点问题，压实工作责任。",
    ])
    if ts is not None and ctx.get("state_training", True):
        ts_s = ctx.get("ts_text") or f"{ts}次"
        if ta is not None:
            ta_s = ctx.get("ta_text") or f"{ta}人次"
            p += f"全年组织开展政务公开业务培训{ts_s}，参训{ta_s}，"
        else:
            p += f"全年组织开展政务公开业务培训{ts_s}，"
        p += "进一步提升了工作人员的业务能力。"
    p += ctx.get("s1_tail", "本年度未发生因政务公开工作开展责任追究的情况。")
    B.append(("p", p))
    return B


def s5_blocks(rep, ctx):
    rng = rep.rng
    return [("p", rng.choice([
        f"{ctx['year']}年，{ctx['we']}政府信息公开工作虽取得一定成效，但仍存在一些不足：一是政策解读形式较为单一，图解、视频等解读方式运用不够；二是主动公开的及时性有待提高。",
        "存在的问题：一是部分信息公开不够及时、全面；二是工作人员业务水平有待进一步提升；三是对公开信息的梳理归类还不够细致。",
        "对照新时代政务公开要求，我们的工作还存在差距，主要是公开内容的深度和广度不够，依申请公开答复的规范化水平需进一步提高。",
    ])), ("p", rng.choice([
        f"下一步，{ctx['we']}将加强业务学习培训，丰富政策解读形式，健全信息发布审核机制，持续提升政府信息公开质量和实效。",
        "改进措施：一是加强组织领导，压实工作责任；二是加强业务培训，提升队伍能力；三是强化监督检查，确保各项公开要求落到实处。",
    ]))]


def s6_blocks(rep, ctx):
    rng = rep.rng
    B = []
    npc, cppcc, fee = (rep.items.get("npc_suggestions_handled"), rep.items.get("cppcc_proposals_handled"),
                       rep.items.get("info_processing_fees_yuan"))
    if ctx.get("s6_style") == "none":
        return [("p", "无。")]
    if npc is not None or cppcc is not None:
        parts = []
        if npc is not None:
            parts.append(f"人大代表建议{npc}件")
        if cppcc is not None:
            parts.append(f"政协提案{cppcc}件")
        B.append(("p", f"（一）人大代表建议和政协提案办理结果公开情况。{ctx['year']}年，{ctx['we']}共承办{'、'.join(parts)}，均在规定时限内办结并按要求公开办理结果。"))
    if fee is not None:
        if fee == 0:
            B.append(("p", rng.choice([f"（二）收取信息处理费情况。{ctx['year']}年，{ctx['we']}未收取信息处理费。",
                                        "（二）收取信息处理费情况。本年度未收取政府信息公开信息处理费。"])))
        else:
            B.append(("p", f"（二）收取信息处理费情况。依据《政府信息公开信息处理费管理办法》，{ctx['year']}年{ctx['we']}共收取信息处理费{fee}元。"))
    if not B:
        B.append(("p", "本年度无其他需要报告的事项。"))
    return B


def app_sentence(rep, we, style=0):
    t = rep.t3
    n, co, tot, cf = t["new"][6], t["carried_over"][6], t["total"][6], t["carried_forward"][6]
    if n == 0 and co == 0:
        return f"{rep.year}年，{we}未收到政府信息公开申请。" if style == 0 else "本年度未收到政府信息公开申请，无上年结转申请。"
    if style == 0:
        return f"{rep.year}年，{we}共收到政府信息公开申请{n}件，上年结转{co}件，已办结{tot}件，结转下年度继续办理{cf}件，所有申请均在法定期限内答复。"
    s = f"本年度新收政府信息公开申请{n}件，"
    s += (f"其中自然人申请{t['new'][0]}件、法人或其他组织申请{n - t['new'][0]}件；" if n - t['new'][0] else "均为自然人申请；")
    s += (f"连同上年结转的{co}件，共办理{tot}件，" if co else f"无上年结转申请，共办理{tot}件，")
    s += (f"另有{cf}件结转下年度办理。" if cf else "无结转下年度办理的申请。")
    return s
