"""Core data model for the real_shapes fixtures (kept outside the repo)."""
import random

COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

# (key, group, level-2 label, level-3 label)
ROWS21 = [
    ("new", None, "一、本年新收政府信息公开申请数量", None),
    ("carried_over", None, "二、上年结转政府信息公开申请数量", None),
    ("disclosed", "三", "（一）予以公开", None),
    ("partially_disclosed", "三", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("not_disclosed.state_secret", "三", "（三）不予公开", "1.属于国家秘密"),
    ("not_disclosed.prohibited_by_law", "三", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("not_disclosed.three_safety_one_stability", "三", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("not_disclosed.third_party_rights", "三", "（三）不予公开", "4.保护第三方合法权益"),
    ("not_disclosed.internal_affairs", "三", "（三）不予公开", "5.属于三类内部事务信息"),
    ("not_disclosed.process_info", "三", "（三）不予公开", "6.属于四类过程性信息"),
    ("not_disclosed.enforcement_case_files", "三", "（三）不予公开", "7.属于行政执法案卷"),
    ("not_disclosed.administrative_query", "三", "（三）不予公开", "8.属于行政查询事项"),
    ("cannot_provide.not_held", "三", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("cannot_provide.needs_creation", "三", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("cannot_provide.unclear_after_correction", "三", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition_complaint", "三", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "三", "（五）不予处理", "2.重复申请"),
    ("not_processed.publications", "三", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.mass_repeated", "三", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirm_or_reissue", "三", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.overdue_correction", "三", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.overdue_fee", "三", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "三", "（六）其他处理", "3.其他"),
    ("total", "三", "（七）总计", None),
    ("carried_forward", None, "四、结转下年度继续办理", None),
]
ROWS19 = [r for r in ROWS21 if r[0] not in ("other.overdue_correction", "other.overdue_fee")]
ROWS19 = [(("other.other", "三", "（六）其他处理", None) if r[0] == "other.other" else r) for r in ROWS19]

LEAVES21 = [r[0] for r in ROWS21 if r[1] == "三" and r[0] != "total"]
LEAVES19 = [r[0] for r in ROWS19 if r[1] == "三" and r[0] != "total"]
ALL_ROWKEYS = [r[0] for r in ROWS21]

T4_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
T4_KEYS = ["upheld", "corrected", "other", "pending", "total"]
T4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

T2_21 = ["regulations.issued", "regulations.repealed", "regulations.in_force",
         "normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force",
         "licensing_decisions", "penalty_decisions", "coercion_decisions", "admin_fees_10k_yuan"]
T2_19 = ["regulations.new_made", "regulations.new_published", "regulations.total_published",
         "normative_documents.new_made", "normative_documents.new_published", "normative_documents.total_published",
         "licensing.prev_count", "licensing.delta", "licensing.processed",
         "other_admin_services.prev_count", "other_admin_services.delta", "other_admin_services.processed",
         "punishment.prev_count", "punishment.delta", "punishment.processed",
         "coercion.prev_count", "coercion.delta", "coercion.processed",
         "admin_fees.prev_count", "admin_fees.delta",
         "central_procurement.project_count", "central_procurement.total_amount"]
ITEMS = ["training_sessions", "training_attendees", "npc_suggestions_handled", "cppcc_proposals_handled",
         "info_processing_fees_yuan", "proactive_items_published"]

WEIGHTS = {
    "disclosed": 30, "partially_disclosed": 7,
    "not_disclosed.state_secret": 0.2, "not_disclosed.prohibited_by_law": 0.5,
    "not_disclosed.three_safety_one_stability": 0.4, "not_disclosed.third_party_rights": 1.5,
    "not_disclosed.internal_affairs": 1.2, "not_disclosed.process_info": 2.5,
    "not_disclosed.enforcement_case_files": 1.2, "not_disclosed.administrative_query": 2.0,
    "cannot_provide.not_held": 24, "cannot_provide.needs_creation": 3, "cannot_provide.unclear_after_correction": 2,
    "not_processed.petition_complaint": 3, "not_processed.repeated": 3, "not_processed.publications": 0.5,
    "not_processed.mass_repeated": 0.6, "not_processed.confirm_or_reissue": 1.0,
    "other.overdue_correction": 2, "other.overdue_fee": 0.3, "other.other": 5,
}


def distribute(rng, n, leaves, version):
    w = dict(WEIGHTS)
    if version == "2019":
        w["other.other"] = 7.3
    ws = [w[k] for k in leaves]
    out = {k: 0 for k in leaves}
    for _ in range(n):
        out[rng.choices(leaves, ws)[0]] += 1
    return out


class Report:
    def __init__(self, seed, version="2021"):
        self.rng = random.Random(seed)
        self.version = version
        self.t2 = {}        # 2021 keys -> int/float/"n/a"
        self.t2v19 = {}     # v2019 keys
        self.t3 = {}        # rowkey -> list of 7
        self.t4 = [0] * 15
        self.items = {k: None for k in ITEMS}

    @property
    def rows(self):
        return ROWS21 if self.version == "2021" else ROWS19

    @property
    def leaves(self):
        return LEAVES21 if self.version == "2021" else LEAVES19

    def make_t3(self, new, co, cf, forced=None):
        """new/co/cf: lists of 6 applicant columns. forced: {leaf: [6]} fixed leaf counts."""
        rng = self.rng
        rows = {k: [0] * 7 for k in [r[0] for r in self.rows]}
        for c in range(6):
            processed = new[c] + co[c] - cf[c]
            assert processed >= 0
            fixed = {k: v[c] for k, v in (forced or {}).items()}
            rest = processed - sum(fixed.values())
            assert rest >= 0, (c, processed, fixed)
            d = distribute(rng, rest, self.leaves, self.version)
            for k in self.leaves:
                rows[k][c] = d[k] + fixed.get(k, 0)
            rows["new"][c] = new[c]
            rows["carried_over"][c] = co[c]
            rows["carried_forward"][c] = cf[c]
            rows["total"][c] = processed
        for k in rows:
            rows[k][6] = sum(rows[k][:6])
        self.t3 = rows
        return rows

    def make_t4(self, review, direct, after):
        """each a list of 4 (upheld, corrected, other, pending)."""
        t = []
        for g in (review, direct, after):
            t += list(g) + [sum(g)]
        self.t4 = t

    def t3cell(self, rowkey, c):
        return self.t3[rowkey][c]

    def t4dict(self):
        return {f"review_litigation.{g}.{k}": self.t4[i * 5 + j]
                for i, g in enumerate(T4_GROUPS) for j, k in enumerate(T4_KEYS)}

    def full_values(self, t2=True, t3=True, t4=True):
        v = {}
        if self.version == "2021":
            for k in T2_21:
                v["active_disclosure." + k] = self.t2[k] if t2 else None
        else:
            for k in T2_19:
                v["active_disclosure.v2019." + k] = self.t2v19[k] if t2 else None
            for k in T2_21:
                v["active_disclosure." + k] = None
            if t2:
                v["active_disclosure.licensing_decisions"] = self.t2v19["licensing.processed"]
                v["active_disclosure.penalty_decisions"] = self.t2v19["punishment.processed"]
                v["active_disclosure.coercion_decisions"] = self.t2v19["coercion.processed"]
        for rk in ALL_ROWKEYS:
            for c, col in enumerate(COLS):
                p = f"applications.{rk}.{col}"
                if rk in self.t3:
                    v[p] = self.t3[rk][c] if t3 else None
                else:
                    v[p] = None
        for p, val in self.t4dict().items():
            v[p] = val if t4 else None
        for k in ITEMS:
            v["items." + k] = self.items[k]
        return v


def cn_date(y, m, d):
    digits = "〇一二三四五六七八九"
    ys = "".join(digits[int(ch)] for ch in str(y))

    def small(n):
        if n < 10:
            return digits[n]
        if n == 10:
            return "十"
        if n < 20:
            return "十" + digits[n - 10]
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return f"{ys}年{small(m)}月{small(d)}日"
