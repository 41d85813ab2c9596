"""Printed words: the tables' fixed texts, numbers in words, and the section prose."""

from __future__ import annotations

import random
from typing import ClassVar

from .model import Run, Value, count_at
from .specs import Level, Spec

# ---- printed words the template data does not carry ----------------------------------------
# tables.yaml keeps what a parser matches rows and columns by; the block titles, the two
# single-value column headers of the 2021 table 二, the table 三 header note and the two
# umbrella headers are printed words only, spelled here once.
T2_BLOCK_TITLES = {
    "一": "第二十条第（一）项",
    "五": "第二十条第（五）项",
    "六": "第二十条第（六）项",
    "八": "第二十条第（八）项",
    "九": "第二十条第（九）项",
}
# per format: (block numeral, row keys, the header of a single-value column or None)
T2_BLOCKS: dict[str, list[tuple[str, list[str], str | None]]] = {
    "2021": [
        ("一", ["regulations", "normative_documents"], None),
        ("五", ["licensing_decisions"], "本年处理决定数量"),
        ("六", ["penalty_decisions", "coercion_decisions"], "本年处理决定数量"),
        ("八", ["admin_fees_10k_yuan"], "本年收费金额（单位：万元）"),
    ],
    "2019": [
        ("一", ["regulations", "normative_documents"], None),
        ("五", ["licensing", "other_admin_services"], None),
        ("六", ["punishment", "coercion"], None),
        ("八", ["admin_fees"], None),
        ("九", ["central_procurement"], None),
    ],
}
INFO_CONTENT = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGS = "法人或其他组织"
T4_LITIGATION = "行政诉讼"
REPORT_TITLE = "年政府信息公开工作年度报告"


# ---- numbers in words -------------------------------------------------------------------------
_DIGITS = "零一二三四五六七八九"


def cn_number(n: int, liang: bool = False) -> str:
    """Write n (0 <= n < 10^8) in Chinese numerals as reports do: 十九, 一百二十, 三千, 两次."""
    if n < 0 or n >= 10**8:
        raise ValueError(n)
    if n == 2 and liang:
        return "两"

    def below_10000(m: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // value % 10
            if d:
                out += ("零" if zero else "") + _DIGITS[d] + unit
                zero = False
            elif out:
                zero = True
        return out

    if n == 0:
        return "零"
    if n < 10000:
        text = below_10000(n)
        return text[1:] if 10 <= n < 20 else text
    high, low = divmod(n, 10000)
    text = below_10000(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low)
    return text


# ---- prose ---------------------------------------------------------------------------------
class Prose:
    """Section prose with named items and prose figures, in the phrasings real reports use."""

    LEVEL_WORD: ClassVar[dict[Level, str]] = {
        "ministry": "本部门",
        "province": "全省",
        "city": "全市",
        "city_bureau": "本局",
        "county": "全县",
        "street": "本街道",
        "town": "全镇",
    }
    PEOPLE_WORD: ClassVar[dict[Level, str]] = {
        "ministry": "部",
        "province": "省",
        "city": "市",
        "city_bureau": "市",
        "county": "县",
        "street": "区",
        "town": "县",
    }

    def __init__(self, spec: Spec, values: dict[str, Value], rng: random.Random) -> None:
        self.spec, self.v, self.rng = spec, values, rng
        self.items: dict[str, int] = {}
        self.items_raw: dict[str, str] = {}
        self.figures: dict[str, int] = {}

    def pick(self, options: list[str], k: int = 1) -> list[str]:
        return self.rng.sample(options, k)

    def num(self, n: int, tag: str, cn: bool = False, liang: bool = False) -> Run:
        return Run(cn_number(n, liang) if cn else str(n), tag=tag)

    def item(self, key: str, value: int, raw: str) -> None:
        self.items[key] = value
        self.items_raw[key] = raw

    # -- 一（一）主动公开 ------------------------------------------------------------------
    def proactive(self) -> list[Run]:
        s = self.spec
        n = max(20, round(s.scale * self.rng.uniform(4, 9)) + self.rng.randint(30, 400))
        tag = "items.proactive_items_published"
        if s.proactive == "P1":
            runs = [
                Run(f"{s.year}年，通过政府网站、政务新媒体等渠道主动公开政府信息"),
                Run(str(n), tag=tag),
                Run("条，其中政策文件和解读材料同步发布。"),
            ]
            self.item("proactive_items_published", n, f"主动公开政府信息{n}条")
        elif s.proactive == "P2":
            n = round(n, -2)
            runs = [
                Run("全年通过门户网站主动公开各类政务信息"),
                Run(str(n), tag=tag),
                Run("余条，"),
                Run("重点领域信息按规定及时更新。"),
            ]
            self.item("proactive_items_published", n, f"主动公开各类政务信息{n}余条 (approximate)")
        elif s.proactive == "P3":
            n = round(n, -3) or 1000
            runs = [
                Run("全年主动公开政府信息"),
                Run(cn_number(n), tag=tag),
                Run("余条，"),
                Run("涵盖机构职能、政策文件、财政预决算等内容。"),
            ]
            self.item(
                "proactive_items_published",
                n,
                f"主动公开政府信息{cn_number(n)}余条 (Chinese numerals, approximate)",
            )
        else:  # P4: the hongze phrasing, 主动发布 instead of 主动公开
            runs = [
                Run("主要通过政府门户网站主动公开政府文件、通知公告等各类政府信息。"),
                Run(f"{s.year}年，在政府网站平台主动发布各类政府信息"),
                Run(str(n), tag=tag),
                Run("条。"),
            ]
            self.item(
                "proactive_items_published",
                n,
                f"主动发布各类政府信息{n}条 (主动发布, not 主动公开)",
            )
        return runs

    # -- 一（二）依申请公开: prose figures ---------------------------------------------------
    def figures_runs(self) -> list[Run]:
        v, s = self.v, self.spec
        new = count_at(v, "applications.new.total")
        back = count_at(v, "applications.carried_over.total")
        done = count_at(v, "applications.total.total")
        fwd = count_at(v, "applications.carried_forward.total")
        tags = {
            k: f"prose:{k}"
            for k in (
                "applications.new.total",
                "applications.carried_over.total",
                "applications.total.total",
                "applications.carried_forward.total",
                "review_litigation.review.total",
            )
        }
        if s.figures == "A":
            runs = [
                Run("本年度新收政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，上年结转"),
                Run(str(back), tag=tags["applications.carried_over.total"]),
                Run("件，办结"),
                Run(str(done), tag=tags["applications.total.total"]),
                Run("件，结转下年度继续办理"),
                Run(str(fwd), tag=tags["applications.carried_forward.total"]),
                Run("件。"),
            ]
            self.figures.update(
                {
                    "applications.new.total": new,
                    "applications.carried_over.total": back,
                    "applications.carried_forward.total": fwd,
                }
            )
        elif s.figures == "B":
            runs = [
                Run(f"{s.year}年共受理政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，加上上年结转申请"),
                Run(str(back), tag=tags["applications.carried_over.total"]),
                Run("件，已全部按期答复"),
                Run(str(done), tag=tags["applications.total.total"]),
                Run("件，另有"),
                Run(str(fwd), tag=tags["applications.carried_forward.total"]),
                Run("件因在答复期内顺延至下年度办理。"),
            ]
            self.figures.update(
                {"applications.new.total": new, "applications.carried_over.total": back}
            )
        else:  # C: only the new applications
            runs = [
                Run(f"{s.year}年共收到政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，均在法定期限内予以答复。"),
            ]
            self.figures["applications.new.total"] = new
        review = count_at(v, "review_litigation.review.total")
        lit = count_at(v, "review_litigation.litigation_direct.total") + count_at(
            v, "review_litigation.litigation_after_review.total"
        )
        if review or lit:
            runs += [
                Run("因政府信息公开工作被申请行政复议"),
                Run(str(review), tag=tags["review_litigation.review.total"]),
                Run(f"件、被提起行政诉讼{lit}件。"),
            ]
            self.figures["review_litigation.review.total"] = review
        else:
            runs.append(Run("全年未发生因政府信息公开引起的行政复议、行政诉讼。"))
        return runs

    # -- 一（五）监督保障: training ------------------------------------------------------------
    def training(self) -> list[Run]:
        s, r = self.spec, self.rng
        tag_s, tag_a = "items.training_sessions", "items.training_attendees"
        big = s.scale > 200
        if s.training in ("T1", "T1cn"):
            cn = s.training == "T1cn"
            a, b = r.randint(1, 3), r.randint(1, 2)
            people = round(r.randint(8, 30) * (a + b) * (4 if big else 1), -1)
            fa = cn_number(a, liang=True) if cn else str(a)
            fb = cn_number(b, liang=True) if cn else str(b)
            runs = [
                Run("全年举办政务公开专题培训"),
                Run(fa, tag=tag_s),
                Run("次、业务培训"),
                Run(fb, tag=tag_s),
                Run("次，累计培训"),
                Run(cn_number(people) if cn else str(people), tag=tag_a),
                Run("余人次，" if big else "人次，"),
                Run("进一步提升了工作人员的业务能力。"),
            ]
            fp = cn_number(people) if cn else str(people)
            raw = f"专题培训{fa}次、业务培训{fb}次，累计培训{fp}{'余' if big else ''}人次"
            self.item("training_sessions", a + b, raw + f" -> sessions {a}+{b}")
            self.item("training_attendees", people, raw + (" (approximate)" if big else ""))
        elif s.training in ("T2", "T2cn"):
            cn = s.training == "T2cn"
            n = r.randint(2, 4)
            people = r.randint(6, 16) * 10 * (3 if big else 1)
            fn = cn_number(n) if cn else str(n)
            fp = cn_number(people) if cn else str(people)
            runs = [
                Run("组织开展政府信息公开业务培训"),
                Run(fn, tag=tag_s),
                Run("期，参训人员共计"),
                Run(fp, tag=tag_a),
                Run("人次。"),
            ]
            self.item("training_sessions", n, f"业务培训{fn}期")
            self.item("training_attendees", people, f"参训人员共计{fp}人次")
        elif s.training == "T3":
            n = r.randint(1, 3)
            people = r.randint(3, 9) * 10 * (5 if big else 1)
            runs = [
                Run("召开政务公开工作培训会"),
                Run(str(n), tag=tag_s),
                Run(f"场，培训{self.LEVEL_WORD[s.level].removeprefix('本')}各单位信息公开工作人员"),
                Run(str(people), tag=tag_a),
                Run("多人次。"),
            ]
            self.item("training_sessions", n, f"培训会{n}场")
            self.item("training_attendees", people, f"培训…{people}多人次 (approximate)")
        else:  # T4: one session of its own, staff sent to the district's training
            sent = r.randint(2, 6)
            runs = [
                Run("开展政务公开业务培训"),
                Run("1", tag=tag_s),
                Run("次，并派员参加区级业务培训"),
                Run(str(sent), tag=tag_a),
                Run("人次。"),
            ]
            self.item("training_sessions", 1, "开展政务公开业务培训1次")
            self.item(
                "training_attendees",
                sent,
                f"派员参加区级业务培训{sent}人次 (people sent to others' training)",
            )
        return runs

    # -- 六: proposals, fees --------------------------------------------------------------------
    def proposals(self) -> list[Run]:
        s, r = self.spec, self.rng
        if s.proposals is None:
            return []
        big = s.scale > 200
        npc = r.randint(20, 200) if big else r.randint(2, 20)
        cppcc = r.randint(20, 150) if big else r.randint(1, 15)
        tn, tc = "items.npc_suggestions_handled", "items.cppcc_proposals_handled"
        if s.proposals == "N1":
            runs = [
                Run("全年承办人大代表建议"),
                Run(str(npc), tag=tn),
                Run("件、政协提案"),
                Run(str(cppcc), tag=tc),
                Run("件，办结率100%，办理结果均已按要求向社会公开。"),
            ]
            raw = f"承办人大代表建议{npc}件、政协提案{cppcc}件"
        elif s.proposals == "N2":
            runs = [
                Run("共收到人大建议"),
                Run(str(npc), tag=tn),
                Run("件、政协提案"),
                Run(str(cppcc), tag=tc),
                Run("件，均在规定时间内办结。"),
            ]
            raw = f"共收到人大建议{npc}件、政协提案{cppcc}件"
        else:  # N3 / N3cn: with the level, 委员提案 and a satisfaction rate
            cn = s.proposals == "N3cn"
            lv = self.PEOPLE_WORD[s.level]
            lv = "全国" if s.level == "ministry" else lv
            fn = cn_number(npc) if cn else str(npc)
            fc = cn_number(cppcc) if cn else str(cppcc)
            runs = [
                Run(f"办理{lv}人大代表建议"),
                Run(fn, tag=tn),
                Run(f"件、{lv}政协委员提案"),
                Run(fc, tag=tc),
                Run(f"件，满意和基本满意率达{r.randint(96, 100)}%。"),
            ]
            raw = f"{lv}人大代表建议{fn}件、{lv}政协委员提案{fc}件"
        self.item("npc_suggestions_handled", npc, raw)
        self.item("cppcc_proposals_handled", cppcc, raw)
        return runs

    def fees(self) -> list[Run]:
        s, r = self.spec, self.rng
        tag = "items.info_processing_fees_yuan"
        if s.fees == "F0a":
            runs = [Run("本年度未收取信息处理费。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "本年度未收取信息处理费 -> 0")
        elif s.fees == "F0b":  # before the 2021 信息处理费 rules
            runs = [Run("本机关依申请公开政府信息未收取任何费用。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "依申请公开政府信息未收取任何费用 -> 0")
        elif s.fees == "F0c":
            runs = [Run(f"{s.year}年，本机关未产生政府信息公开信息处理费。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "未产生政府信息公开信息处理费 -> 0")
        elif s.fees == "F1":
            k = r.randint(1, 3)
            fee = k * 100 + r.choice((80, 180, 280))
            runs = [
                Run(
                    f"依据《政府信息公开信息处理费管理办法》，{s.year}年共有{k}件申请"
                    "按规定收取信息处理费，合计"
                ),
                Run(str(fee), tag=tag),
                Run("元。"),
            ]
            self.item(
                "info_processing_fees_yuan",
                fee,
                f"{k}件申请…合计{fee}元 (the 件 count is not the fee)",
            )
        else:  # F2
            fee = r.randint(2, 16) * 100 + r.choice((0, 40))
            runs = [
                Run(
                    f"{s.year}年，严格落实《政府信息公开信息处理费管理办法》，"
                    "全年收取政府信息公开信息处理费"
                ),
                Run(str(fee), tag=tag),
                Run("元。"),
            ]
            self.item("info_processing_fees_yuan", fee, f"收取政府信息公开信息处理费{fee}元")
        return runs


# Neutral sentences for the parts without figures, drawn per report to vary the text.
FILLER = {
    "general": [
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》各项规定。",
        "紧紧围绕中心工作，以公开促落实、以公开促规范、以公开促服务。",
        "不断完善政府信息公开制度，健全政府信息公开保障机制。",
        "推动政务公开工作规范化、标准化、便民化水平持续提升。",
    ],
    "manage": [
        "严格执行“先审查、后公开”和“一事一审”工作原则，落实信息发布审核制度。",
        "动态调整主动公开基本目录，做好政府信息公开属性源头认定工作。",
        "对已公开的政策文件开展清理，及时标注失效、废止情况。",
        "建立健全公开保密审查协调机制，防止泄密和侵犯个人隐私。",
    ],
    "platform": [
        "进一步优化政府网站政务公开专栏设置，提升栏目内容更新时效。",
        "加强政务新媒体日常监管，对更新不及时、互动不回应的账号及时整改。",
        "依托政务服务平台集中公开办事指南，方便群众查询办理。",
        "完善政府信息公开查阅点建设，为群众提供现场查阅服务。",
    ],
    "supervise": [
        "将政务公开工作纳入年度绩效考核，压实工作责任。",
        "定期开展政府网站和政务新媒体检查，及时通报存在问题。",
        "畅通社会评议渠道，认真听取群众意见建议。",
        "本年度未发生因政府信息公开工作被责任追究的情况。",
    ],
    "problems": [
        "一是政策解读的形式还不够丰富，解读的针对性和通俗性有待提高；",
        "二是依申请公开答复的规范化水平仍需提升，疑难申请会商机制尚不完善；",
        "三是政务公开队伍人员变动较快，业务能力有待加强。",
    ],
    "improve": [
        "下一步，将进一步加强政策解读，丰富图表、音视频等解读形式；",
        "健全依申请公开办理机制，规范答复文书格式；",
        "加强业务培训和工作指导，不断提升政务公开工作质效。",
    ],
    "points": [
        "认真落实年度政务公开工作要点，各项任务均按时完成。",
        "持续推进基层政务公开标准化规范化建设，更新完善公开事项清单。",
    ],
}
