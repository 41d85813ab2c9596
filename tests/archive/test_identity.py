"""Reports of one agency group together across the ways its name is printed."""

from __future__ import annotations

from nianbao import archive
from nianbao.archive.identity import Directory
from nianbao.db import Store


def _group(store: Store, names: list[str]) -> list[int | None]:
    with store.session() as session, session.begin():
        directory = Directory(session)
        return [directory.resolve(n) for n in names]


def test_the_forms_of_one_name_give_one_agency(store: Store) -> None:
    ids = _group(
        store,
        [
            "望舒市教育局",
            "云岭省望舒市教育局",  # with the parent region
            "望舒市教育周",  # 局 misread as 周
            "望舒市 教育局",  # spaced
        ],
    )
    assert len(set(ids)) == 1


def test_government_and_people_s_government_are_one_agency(store: Store) -> None:
    ids = _group(
        store,
        ["利辛县望疃镇人民政府", "利辛县望疃镇政府", "临川市人民政府办公室", "临川市政府办公室"],
    )
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_different_agencies_stay_apart(store: Store) -> None:
    ids = _group(
        store,
        ["东城区教育局", "西城区教育局", "望舒市教育局", "临川市教育局", "望舒市民政局"],
    )
    assert len(set(ids)) == 5


def test_a_short_form_joins_the_only_agency_it_can_name(store: Store) -> None:
    one = _group(store, ["望舒市教育局", "县教育局", "市教育局"])
    assert one[2] == one[0] and one[1] != one[0]
    # with two cities' 教育局 the short form cannot tell which: its own group
    two = _group(store, ["临川市教育局", "市教育局"])
    assert two[1] not in (one[0], two[0])


def test_keys_fold_equivalent_suffixes_and_split_the_region() -> None:
    k = archive.agency_key("山东省聊城市人民政府办公室")
    assert k is not None
    assert (k.region, k.core) == ("山东省", "聊城市政府办")
    market = archive.agency_key("聊城市市场监督管理局")
    assert market is not None and market.core == "聊城市市场监督管理局"
    housing = archive.agency_key("北麓市住房和城乡建设局")
    assert housing is not None and housing.region == "" and housing.core.startswith("北麓市")


def test_a_name_two_agencies_could_own_gets_its_own_group(store: Store) -> None:
    ids = _group(store, ["云岭省望舒市教育局", "青川省望舒市教育局", "望舒市教育局"])
    assert len(set(ids)) == 3
    again = _group(store, ["望舒市教育局"])  # the next report of that name finds it
    assert again[0] == ids[2]


def test_places_sharing_characters_stay_apart(store: Store) -> None:
    ids = _group(store, ["云安市人民政府办公室", "云岭省玉安市人民政府办公室", "国家税务总局佛山市税务局",
                         "佛山市税务局"])  # fmt: skip
    assert ids[0] != ids[1] and ids[2] == ids[3]


def test_a_misread_name_finds_the_agency_first_seen_with_its_region(store: Store) -> None:
    ids = _group(store, ["白山省阳安市交通运输局", "阳安市交通运输周", "阳安市交通运输局"])
    assert len(set(ids)) == 1
