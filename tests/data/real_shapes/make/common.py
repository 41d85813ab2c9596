from pathlib import Path
import json, os, random
from core import Report, ITEMS, T2_21, T2_19
import prose as P

OUT = str(Path(__file__).resolve().parent.parent)  # tests/data/real_shapes
MANIFEST = {}
README_ROWS = []


def fill_numbers(rep, level, zero_apps=False, t4=None, regs_na=False, apps=None):
    r = rep.rng
    lv = {
        "ministry": dict(np=(260, 620), com=(20, 70), res=(0, 6), soc=(0, 5), leg=(6, 35), oth=(0, 12)),
        "province": dict(np=(60, 180), com=(3, 20), res=(0, 2), soc=(0, 2), leg=(1, 9), oth=(0, 4)),
        "city": dict(np=(40, 160), com=(2, 15), res=(0, 1), soc=(0, 2), leg=(0, 6), oth=(0, 3)),
        "citydept": dict(np=(12, 60), com=(0, 6), res=(0, 1), soc=(0, 1), leg=(0, 3), oth=(0, 2)),
        "county": dict(np=(5, 30), com=(0, 3), res=(0, 0), soc=(0, 0), leg=(0, 2), oth=(0, 1)),
        "countydept": dict(np=(2, 14), com=(0, 2), res=(0, 0), soc=(0, 0), leg=(0, 1), oth=(0, 0)),
        "town": dict(np=(0, 5), com=(0, 0), res=(0, 0), soc=(0, 0), leg=(0, 0), oth=(0, 0)),
    }[level]
    if apps is not None:
        new, co, cf = apps
    elif zero_apps:
        new, co, cf = [0] * 6, [0] * 6, [0] * 6
    else:
        new = [r.randint(*lv[k]) for k in ("np", "com", "res", "soc", "leg", "oth")]
        co = [int(round(x * r.uniform(0.0, 0.09))) for x in new]
        cf = [min(x + y, int(round(x * r.uniform(0.0, 0.1)))) for x, y in zip(new, co)]
    rep.make_t3(new, co, cf)
    # table 二
    big = {"ministry": 4, "province": 3, "city": 3, "citydept": 2, "county": 2, "countydept": 1, "town": 0}[level]
    if rep.version == "2021":
        t = {}
        if regs_na:
            t["regulations.issued"] = t["regulations.repealed"] = t["regulations.in_force"] = "n/a"
        elif big >= 3:
            a = r.randint(0, 5); b = r.randint(0, 3)
            t["regulations.issued"], t["regulations.repealed"], t["regulations.in_force"] = a, b, r.randint(30, 160)
        else:
            t["regulations.issued"] = t["regulations.repealed"] = t["regulations.in_force"] = 0
        ni = [0, 2, 6, 15, 25][big] and r.randint(0, [0, 2, 6, 15, 25][big])
        t["normative_documents.issued"] = ni
        t["normative_documents.repealed"] = r.randint(0, max(0, [0, 1, 4, 8, 12][big]))
        t["normative_documents.in_force"] = r.randint(ni, ni + [2, 10, 35, 120, 260][big])
        t["licensing_decisions"] = r.randint(0, [0, 40, 1800, 12000, 60000][big])
        t["penalty_decisions"] = r.randint(0, [0, 12, 160, 900, 300][big])
        t["coercion_decisions"] = r.randint(0, [0, 3, 30, 120, 40][big])
        t["admin_fees_10k_yuan"] = 0 if big < 2 or r.random() < 0.5 else round(r.uniform(1, 900), 2)
        rep.t2 = t
    else:
        t = {}
        if regs_na:
            for s in ("new_made", "new_published", "total_published"):
                t["regulations." + s] = "n/a"
        elif big >= 3:
            a = r.randint(0, 4)
            t["regulations.new_made"], t["regulations.new_published"], t["regulations.total_published"] = a, a, r.randint(20, 120)
        else:
            t["regulations.new_made"] = t["regulations.new_published"] = t["regulations.total_published"] = 0
        a = r.randint(0, [0, 2, 6, 15, 25][big])
        t["normative_documents.new_made"], t["normative_documents.new_published"] = a, max(0, a - r.randint(0, 1))
        t["normative_documents.total_published"] = a + r.randint(0, [2, 10, 35, 120, 260][big])
        for k, mx in (("licensing", [0, 40, 1800, 12000, 60000][big]), ("other_admin_services", [0, 5, 60, 300, 200][big]),
                      ("punishment", [0, 12, 160, 900, 300][big]), ("coercion", [0, 3, 30, 120, 40][big])):
            prev = r.randint(0, [0, 8, 60, 200, 300][big])
            t[k + ".prev_count"] = prev
            t[k + ".delta"] = r.randint(-min(prev, 5), 6) if prev else 0
            t[k + ".processed"] = r.randint(0, mx)
        t["admin_fees.prev_count"] = r.randint(0, [0, 2, 6, 12, 20][big])
        t["admin_fees.delta"] = r.randint(-1, 1) if t["admin_fees.prev_count"] else 0
        pc = r.randint(0, [1, 3, 12, 40, 80][big])
        t["central_procurement.project_count"] = pc
        t["central_procurement.total_amount"] = 0 if pc == 0 else r.randint(pc * 20000, pc * 300000) // 100 * 100
        rep.t2v19 = t
    if t4 is None:
        rep.make_t4([0] * 4, [0] * 4, [0] * 4)
    else:
        rep.make_t4(*t4)


def std_blocks(rep, ctx, tables=("t2", "t3", "t4"), hvar=None, t3_intro=None, extra_s2=None):
    hv = hvar or {}
    B = [("h1", P.heading(1, rep.rng, hv.get(1)))]
    B += P.s1_blocks(rep, ctx)
    if ctx.get("filler_marker"):
        B.append(("p", "@FILLER"))
    B.append(("h1", P.heading(2, rep.rng, hv.get(2))))
    if extra_s2:
        B.append(("p", extra_s2))
    B.append(tables[0] if isinstance(tables[0], tuple) else ("t2", None))
    B.append(("h1", P.heading(3, rep.rng, hv.get(3))))
    if t3_intro:
        B.append(("p", t3_intro))
    B.append(tables[1] if isinstance(tables[1], tuple) else ("t3", None))
    B.append(("h1", P.heading(4, rep.rng, hv.get(4))))
    B.append(tables[2] if isinstance(tables[2], tuple) else ("t4", None))
    B.append(("h1", P.heading(5, rep.rng, hv.get(5))))
    B += P.s5_blocks(rep, ctx)
    B.append(("h1", P.heading(6, rep.rng, hv.get(6))))
    B += P.s6_blocks(rep, ctx)
    return B


def write_doc(name, ext, content, truth, classes, variant, special, encoding="utf-8"):
    path = os.path.join(OUT, f"{name}.{ext}")
    if isinstance(content, str):
        with open(path, "wb") as f:
            f.write(content.encode(encoding))
    truth = dict(truth)
    truth["classes"] = classes
    with open(os.path.join(OUT, f"{name}.truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    MANIFEST[name] = {"classes": classes, "variant": variant, "file": f"{name}.{ext}"}
    README_ROWS.append((f"{name}.{ext}", classes, variant, special))


def truth(rep, agency, year, pub, sections, values, notes):
    return {"meta": {"agency": agency, "year": year, "publish_date": pub},
            "template_version": rep.version, "sections_found": sections, "values": values, "notes": notes}


def ctx_for(rep, agency, we, year, **kw):
    c = dict(full=agency, we=we, year=year)
    c.update(kw)
    return c
