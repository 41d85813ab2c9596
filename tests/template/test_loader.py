"""The template data is complete and consistent with itself."""

from __future__ import annotations

from nianbao.template import Template


def test_row_counts_of_both_formats(template: Template) -> None:
    apps = template.tables.applications
    assert len(apps.rows_for("2021")) == 25
    assert len(apps.rows_for("2019")) == 23
    assert len(template.named_list("applications.leaves", "2021")) == 21
    assert len(template.named_list("applications.leaves", "2019")) == 19
    assert len(apps.columns) == 7


def test_table_two_formats(template: Template) -> None:
    f21 = template.tables.active_disclosure.formats["2021"]
    f19 = template.tables.active_disclosure.formats["2019"]
    count = lambda rows: sum(len(r.columns) if r.columns else 1 for r in rows)  # noqa: E731
    assert count(f21.rows) == 10 and count(f19.rows) == 22
    assert not set(f19.detect) & set(f21.detect)
    # only 处理决定数量 has a true 2021 counterpart
    assert set(f19.maps_to_2021.values()) == {
        "licensing_decisions",
        "penalty_decisions",
        "coercion_decisions",
    }


def test_every_rule_resolves(template: Template) -> None:
    for rule in template.rules:
        for list_name in [*rule.for_each.values(), *rule.sum_over.values()]:
            assert template.named_list(list_name, "2021")


def test_record_paths_are_unique(template: Template) -> None:
    paths = template.table_field_paths()
    assert len(paths) == len(set(paths)) == 10 + 22 + 25 * 7 + 15
