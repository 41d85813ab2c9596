"""One agency's reports over consecutive years, as short text reports in the printed tables'
shape (tab-separated cells), with every in-report relation holding and the carry-over between
years consistent, unless a cell is printed wrong on purpose (a misread carried-over cell).

Used by the agency-view tests and the browser test: the real pipeline reads these files, so the
fields, their evidence lines and the checks are what a batch would store."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other")
RESULT_ROWS = (
    ("（一）予以公开", "disclosed"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed"),
)
ZERO_ROWS = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)
GROUP_OF_ROW = {
    0: "（三）不 予 公 开",
    8: "（四）无 法 提 供",
    11: "（五）不 予 处 理",
    16: "（六）其 他 处 理",
}


@dataclass
class Year:
    """One year's figures; per applicant column (natural person, commercial enterprise)."""

    year: int
    new: tuple[int, int]
    carried_over: tuple[int, int]
    carried_forward: tuple[int, int]
    partial: tuple[int, int] = (1, 0)
    review: tuple[int, int, int, int] = (1, 0, 0, 0)  # 行政复议: 维持 纠正 其他 尚未审结
    direct: tuple[int, int, int, int] = (0, 1, 0, 0)  # 未经复议直接起诉
    after_review: tuple[int, int, int, int] = (0, 0, 0, 0)  # 复议后起诉
    misprint: dict[str, int] = field(default_factory=dict)  # "carried_over.natural_person": 9

    def disclosed(self, i: int) -> int:
        return self.new[i] + self.carried_over[i] - self.carried_forward[i] - self.partial[i]


def series(first: int, years: int, *, start_carry: int = 3) -> list[Year]:
    """`years` consistent years from `first`: each year's carried-over = the last one's 结转."""
    out: list[Year] = []
    carry = (start_carry, 1)
    for k in range(years):
        forward = (2 + k % 3, k % 2)
        new = (40 + 7 * k, 10 + 3 * k)
        out.append(
            Year(
                first + k,
                new,
                carry,
                forward,
                review=(1 + k % 2, 1, 0, k % 2),
                direct=(k % 3, 1, 0, 0),
                after_review=(0, 0, k % 2, 1),
            )
        )
        carry = forward
    return out


def _cells(values: tuple[int, ...]) -> list[int]:
    return [*values, *([0] * (len(COLUMNS) - len(values)))]


def _row(label: str, values: list[int], prefix: str = "") -> str:
    return "\t".join([prefix + label, *(str(v) for v in values), str(sum(values))])


def report_text(agency: str, y: Year) -> str:
    def printed(key: str, values: tuple[int, int]) -> list[int]:
        cells = _cells(values)
        for i, col in enumerate(COLUMNS):
            if f"{key}.{col}" in y.misprint:
                cells[i] = y.misprint[f"{key}.{col}"]
        return cells

    def row(label: str, key: str, values: tuple[int, int], prefix: str = "") -> str:
        cells = printed(key, values)
        true_total = sum(_cells(values))
        return "\t".join([prefix + label, *(str(v) for v in cells), str(true_total)])

    disclosed = (y.disclosed(0), y.disclosed(1))
    results_total = tuple(disclosed[i] + y.partial[i] for i in range(2))
    t3 = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t\t\t\t\t\t总计",
        "\t自然人\t法人或其他组织\t\t\t\t\t",
        "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        row("一、本年新收政府信息公开申请数量", "new", y.new),
        row("二、上年结转政府信息公开申请数量", "carried_over", y.carried_over),
        row(RESULT_ROWS[0][0], "disclosed", disclosed, "三、本 年 度 办 理 结 果\t"),
        row(RESULT_ROWS[1][0], "partially_disclosed", y.partial, "\t"),
    ]
    for i, label in enumerate(ZERO_ROWS):
        group = GROUP_OF_ROW.get(i, "")
        t3.append(_row(label, [0] * len(COLUMNS), f"\t{group}\t" if group else "\t\t"))
    t3.append(row("（七）总计", "total", (results_total[0], results_total[1]), "\t"))
    t3.append(row("四、结转下年度继续办理", "carried_forward", y.carried_forward))

    t4 = [y.review, y.direct, y.after_review]
    t4_cells = [str(v) for group in t4 for v in (*group, sum(group))]
    return "\n".join(
        [
            f"{agency}{y.year}年政府信息公开工作年度报告",
            "",
            f"根据《中华人民共和国政府信息公开条例》规定，特向社会公布{y.year}年度{agency}"
            "政府信息公开工作年度报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息"
            "公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要"
            "报告的事项六部分组成。",
            "",
            "一、总体情况",
            "",
            f"{y.year}年，本局认真落实《条例》要求，做好主动公开和依申请公开工作。",
            "",
            "二、主动公开政府信息情况",
            "",
            "第二十条第（一）项\t\t\t",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t0\t0\t0",
            f"行政规范性文件\t1\t0\t{4 + y.year % 100}",  # 现行有效 grows by 本年制发 - 废止
            "第二十条第（五）项\t\t\t",
            "信息内容\t本年处理决定数量\t\t",
            "行政许可\t120\t\t",
            "",
            "三、收到和处理政府信息公开申请情况",
            "",
            *t3,
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            "",
            "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            "\t".join(t4_cells),
            "",
            "五、存在的主要问题及改进情况",
            "",
            "信息公开的及时性有待提高。下一步将完善工作流程。",
            "",
            "六、其他需要报告的事项",
            "",
            "本年度未收取信息处理费。",
            "",
            agency,
            f"{y.year + 1}年1月20日",
            "",
        ]
    )


def write_series(folder: Path, agency: str, years: list[Year], stem: str = "report") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for y in years:
        path = folder / f"{stem}-{y.year}.txt"
        path.write_text(report_text(agency, y), encoding="utf-8")
        out.append(path)
    return out


# ---- a database of one agency's series ----------------------------------------------------------
AGENCY = "青禾市交通运输局"


def broken_series(first: int = 2021, years: int = 3) -> list[Year]:
    """`years` consistent years whose last one prints its natural-person 上年结转 wrong (8 for
    the previous year's 结转 of 2 + k%3): a misread carried-over cell."""
    out = series(first, years)
    last = out[-1]
    last.misprint["carried_over.natural_person"] = last.carried_over[0] + 5
    return out


def store_series(pipeline: Any, store: Any, folder: Path, years: list[Year]) -> list[int]:
    """Run the pipeline on the series' text reports and store them; their document ids."""
    from nianbao.hashing import sha256_file

    ids = []
    for path in write_series(folder, AGENCY, years):
        record = pipeline.run(path)
        digest = pipeline.settings.digest()
        ids.append(store.save_record(record, sha256_file(path), digest, label=str(path)))
    return ids


def hand_made_archive(store: Any, ids: list[int], *, culprit_path: str | None = None) -> int:
    """Archive rows written by hand from the table contract (archive16_schema.md): one agency
    for `ids`, and a carry_over check per applicant column for each consecutive pair, its
    outcome computed from the stored values. The view's tests use this so they do not depend on
    how the archive engine groups or localises; the browser test runs the real engine."""
    from datetime import UTC, datetime

    from nianbao.db.models import Agency, ArchiveCheck, Document, FieldRow
    from sqlalchemy import select

    now = datetime.now(UTC)
    with store.session() as session, session.begin():
        agency = Agency(key=AGENCY, name=AGENCY, region="青禾市", by_reviewer=False, created_at=now)
        session.add(agency)
        session.flush()
        docs = [session.get(Document, i) for i in ids]
        for d in docs:
            d.agency_id = agency.id
        values = {
            (r.document_id, r.path): r.value
            for r in session.scalars(select(FieldRow).where(FieldRow.document_id.in_(ids)))
        }
        for a, b in itertools.pairwise(docs):
            for col in (*COLUMNS, "total"):
                pa = f"applications.carried_forward.{col}"
                pb = f"applications.carried_over.{col}"
                va, vb = values.get((a.id, pa)), values.get((b.id, pb))
                ok = va == vb
                session.add(
                    ArchiveCheck(
                        rule="carry_over",
                        binding=col,
                        agency_id=agency.id,
                        year_a=a.year,
                        year_b=b.year,
                        document_a_id=a.id,
                        document_b_id=b.id,
                        fields_a=[pa],
                        fields_b=[pb],
                        value_a=va,
                        value_b=vb,
                        expected=f"a.{pa} == b.{pb}",
                        difference=None if va is None or vb is None else vb - va,
                        outcome="pass" if ok else "fail",
                        severity="hard",
                        culprit_document_id=None if ok else b.id,
                        culprit_field=None if ok else (culprit_path or pb),
                        detail=f"{a.year} 结转 {va} vs {b.year} 上年结转 {vb}",
                        created_at=now,
                    )
                )
        return agency.id
