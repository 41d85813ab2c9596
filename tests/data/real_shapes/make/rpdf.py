"""Text-layer PDFs typeset with reportlab: ruled tables that break across pages."""
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from core import COL_LABELS, T4_LABELS

pdfmetrics.registerFont(TTFont("Ming", "/usr/share/fonts/truetype/arphic/uming.ttc", subfontIndex=0))
pdfmetrics.registerFont(TTFont("Kai", "/usr/share/fonts/truetype/arphic/ukai.ttc", subfontIndex=0))
pdfmetrics.registerFont(TTFont("Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))

W, H = 595.27, 841.89


def sw(s, font, size):
    return pdfmetrics.stringWidth(s, font, size)


def wrap(text, font, size, width, first_indent=0.0):
    lines, cur, avail = [], "", width - first_indent
    for ch in text:
        if ch == "\n":
            lines.append(cur); cur = ""; avail = width; continue
        if sw(cur + ch, font, size) > avail and cur:
            # keep closing punctuation on the line
            if ch in "，。、；：）”》" and sw(cur + ch, font, size) <= avail + size:
                cur += ch
                continue
            lines.append(cur)
            cur, avail = ch, width
        else:
            cur += ch
    if cur or not lines:
        lines.append(cur)
    return lines


class Cell:
    def __init__(self, text, cs=1, rs=1, align="center", font="Ming"):
        self.text, self.cs, self.rs, self.align, self.font = text, cs, rs, align, font


class Layout:
    def __init__(self, top=72, bottom=70, left=62, right=62):
        self.top, self.bottom, self.left, self.right = top, bottom, left, right
        self.cw = W - left - right
        self.pages = [[]]
        self.y = H - top
        self.marks = {}

    @property
    def pi(self):
        return len(self.pages) - 1

    def new_page(self):
        self.pages.append([])
        self.y = H - self.top

    def op(self, *a):
        self.pages[-1].append(a)

    def space(self, h):
        self.y -= h

    def para(self, text, font="Ming", size=12, leading=21, indent=2, align="left"):
        lines = wrap(text, font, size, self.cw, indent * size)
        for i, ln in enumerate(lines):
            if self.y - leading < self.bottom:
                self.new_page()
            self.y -= leading
            x = self.left + (indent * size if i == 0 else 0)
            if align == "center":
                x = self.left + (self.cw - sw(ln, font, size)) / 2
            elif align == "right":
                x = self.left + self.cw - sw(ln, font, size) - size * 2
            self.op("text", x, self.y + (leading - size) / 2, ln, font, size)
        return len(lines)

    def table(self, rows, widths, size=9, min_h=17, mark=None, keep_rows=None):
        """rows: list of list of Cell (HTML-like spans). Draw rules for every cell."""
        n = len(rows)
        ncol = len(widths)
        occ = [[None] * ncol for _ in range(n)]
        placed = []  # (cell, r, c)
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while occ[r][c] is not None:
                    c += 1
                placed.append((cell, r, c))
                for dr in range(cell.rs):
                    for dc in range(cell.cs):
                        occ[r + dr][c + dc] = cell
                c += cell.cs
        xs = [self.left]
        for w_ in widths:
            xs.append(xs[-1] + w_)
        lead = size * 1.3
        hts = [min_h] * n
        wrapped = {}
        for cell, r, c in placed:
            w_ = xs[c + cell.cs] - xs[c] - 4
            lines = wrap(cell.text, cell.font, size, w_) if cell.text else []
            wrapped[id(cell)] = lines
            need = len(lines) * lead + 6
            if cell.rs == 1:
                hts[r] = max(hts[r], need)
        for cell, r, c in placed:
            if cell.rs > 1:
                need = len(wrapped[id(cell)]) * lead + 6
                have = sum(hts[r:r + cell.rs])
                if need > have:
                    hts[r + cell.rs - 1] += need - have
        # place rows
        pos = []
        for r in range(n):
            if self.y - hts[r] < self.bottom:
                self.new_page()
            pos.append((self.pi, self.y))
            self.y -= hts[r]
        if mark:
            self.marks[mark] = [p for p, _ in pos]
        # draw cells per page segment
        for cell, r, c in placed:
            segs = {}
            for rr in range(r, r + cell.rs):
                p, yt = pos[rr]
                if p not in segs:
                    segs[p] = [yt, yt - hts[rr]]
                else:
                    segs[p][1] = yt - hts[rr]
            x0, x1 = xs[c], xs[c + cell.cs]
            lines = wrapped[id(cell)]
            need = len(lines) * lead
            best = max(segs, key=lambda p: (segs[p][0] - segs[p][1]) >= need + 4 and 1 or 0) if len(segs) > 1 else list(segs)[0]
            for p, (yt, yb) in segs.items():
                self.pages[p].append(("rect", x0, yb, x1 - x0, yt - yb))
                if p != best:
                    continue
                ty = (yt + yb) / 2 + need / 2 - size
                for ln in lines:
                    if cell.align == "center":
                        tx = x0 + (x1 - x0 - sw(ln, cell.font, size)) / 2
                    else:
                        tx = x0 + 3
                    self.pages[p].append(("text", tx, ty + 1.5, ln, cell.font, size))
                    ty -= lead
        return pos


def t2_rows_pdf(rep, fmtv):
    C = Cell
    if rep.version == "2021":
        d = rep.t2
        f = lambda k: fmtv(d[k], None, "t2")
        return [[C("第二十条第（一）项", cs=4)],
                [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
                [C("规章")] + [C(f("regulations." + k)) for k in ("issued", "repealed", "in_force")],
                [C("行政规范性文件")] + [C(f("normative_documents." + k)) for k in ("issued", "repealed", "in_force")],
                [C("第二十条第（五）项", cs=4)], [C("信息内容"), C("本年处理决定数量", cs=3)],
                [C("行政许可"), C(f("licensing_decisions"), cs=3)],
                [C("第二十条第（六）项", cs=4)], [C("信息内容"), C("本年处理决定数量", cs=3)],
                [C("行政处罚"), C(f("penalty_decisions"), cs=3)], [C("行政强制"), C(f("coercion_decisions"), cs=3)],
                [C("第二十条第（八）项", cs=4)], [C("信息内容"), C("本年收费金额（单位：万元）", cs=3)],
                [C("行政事业性收费"), C(f("admin_fees_10k_yuan"), cs=3)]]
    d = rep.t2v19
    f = lambda k: fmtv(d[k], None, "t2")
    R = [[C("第二十条第（一）项", cs=4)], [C("信息内容"), C("本年新制作数量"), C("本年新公开数量"), C("对外公开总数量")]]
    for lab, k in (("规章", "regulations"), ("规范性文件", "normative_documents")):
        R.append([C(lab)] + [C(f(f"{k}.{s}")) for s in ("new_made", "new_published", "total_published")])
    for blk, rows in (("（五）", (("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services"))),
                      ("（六）", (("行政处罚", "punishment"), ("行政强制", "coercion")))):
        R.append([C(f"第二十条第{blk}项", cs=4)])
        R.append([C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")])
        for lab, k in rows:
            R.append([C(lab)] + [C(f(f"{k}.{s}")) for s in ("prev_count", "delta", "processed")])
    R += [[C("第二十条第（八）项", cs=4)], [C("信息内容"), C("上一年项目数量"), C("本年增/减", cs=2)],
          [C("行政事业性收费"), C(f("admin_fees.prev_count")), C(f("admin_fees.delta"), cs=2)],
          [C("第二十条第（九）项", cs=4)], [C("信息内容"), C("采购项目数量"), C("采购总金额", cs=2)],
          [C("政府集中采购"), C(f("central_procurement.project_count")), C(f("central_procurement.total_amount"), cs=2)]]
    return R


def t3_rows_pdf(rep, fmtv):
    C = Cell
    rows = rep.rows
    R = [[C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rs=3, cs=3), C("申请人情况", cs=7)],
         [C("自然人", rs=2), C("法人或其他组织", cs=5), C("总计", rs=2)],
         [C(x) for x in COL_LABELS[1:6]]]
    ng = sum(1 for r in rows if r[1] == "三")
    seen = set()
    for key, grp, l2, l3 in rows:
        cells = []
        if grp is None:
            cells.append(C(l2, cs=3, align="left"))
        else:
            if key == "disclosed":
                cells.append(C("三、本年度办理结果", rs=ng))
            if l3 is None:
                cells.append(C(l2, cs=2, align="left"))
            else:
                if l2 not in seen:
                    seen.add(l2)
                    cells.append(C(l2, rs=sum(1 for r in rows if r[2] == l2)))
                cells.append(C(l3, align="left"))
        cells += [C(fmtv(x, c, "t3")) for c, x in enumerate(rep.t3[key])]
        R.append(cells)
    return R


def t4_rows_pdf(rep, fmtv):
    C = Cell
    return [[C("行政复议", cs=5), C("行政诉讼", cs=10)],
            [C(x, rs=2) for x in T4_LABELS] + [C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
            [C(x) for x in T4_LABELS * 2],
            [C(fmtv(x, None, "t4")) for x in rep.t4]]


T3_WIDTHS = lambda cw: [26, 58, 140] + [(cw - 224) / 7] * 7
T2_WIDTHS = lambda cw: [cw * 0.34] + [cw * 0.22] * 3
T4_WIDTHS = lambda cw: [cw / 15] * 15


def build(doc, rep, opts, filler_n, gap):
    """Lay out the document. filler_n: how many filler sentences to add at the end of section 一;
    gap: extra space before table 三."""
    L = Layout()
    fmtv = opts["fmtv"]
    L.space(10)
    for t in doc["title_lines"]:
        L.para(t, "Hei", 18, 30, 0, "center")
    L.space(12)
    for p in doc.get("preamble", []):
        L.para(p)
    filler = opts.get("filler", [])
    for kind, x in doc["blocks"]:
        if kind == "h1":
            if x.startswith("三、"):
                L.space(gap)
            L.para(x, "Hei", 13, 24, 2)
        elif kind == "h2":
            L.para(x, "Kai", 12.5, 22, 2)
        elif kind == "p":
            if x == "@FILLER":
                if filler_n:
                    L.para("".join(filler[:filler_n]))
                continue
            L.para(x)
        elif kind == "t2":
            L.space(4)
            L.table(t2_rows_pdf(rep, fmtv), T2_WIDTHS(L.cw), size=10, min_h=20, mark="t2")
            L.space(8)
        elif kind == "t3":
            L.space(4)
            L.table(t3_rows_pdf(rep, fmtv), T3_WIDTHS(L.cw), size=8.5, min_h=16, mark="t3")
            L.space(8)
        elif kind == "t4":
            L.space(4)
            L.table(t4_rows_pdf(rep, fmtv), T4_WIDTHS(L.cw), size=8.5, min_h=18, mark="t4")
            L.space(8)
    L.space(14)
    for s in doc.get("signature", []):
        L.para(s, "Ming", 12, 22, 0, "right")
    return L


def search_layout(doc, rep, opts, k_rows):
    """Find filler/gap such that table 三's header + exactly k_rows data rows sit at a page foot."""
    for fn in range(0, len(opts.get("filler", [])) + 1):
        for gap in range(0, 40, 2):
            L = build(doc, rep, opts, fn, gap)
            pages = L.marks["t3"]
            first = pages[0]
            on_first = sum(1 for p in pages if p == first)
            if on_first == 3 + k_rows:
                return L, fn, gap
    raise RuntimeError("no layout found")


def render(L, path, opts):
    c = rl_canvas.Canvas(path, pagesize=(W, H))
    c.setTitle(opts.get("pdf_title", ""))
    c.setAuthor(opts.get("pdf_author", ""))
    c.setCreator("Microsoft® Word 2016")
    n = len(L.pages)
    for i, ops in enumerate(L.pages):
        c.setLineWidth(0.6)
        for o in ops:
            if o[0] == "rect":
                c.rect(o[1], o[2], o[3], o[4], stroke=1, fill=0)
            elif o[0] == "text":
                c.setFont(o[4], o[5])
                c.drawString(o[1], o[2], o[3])
        rh = opts.get("running_header")
        if rh and (i > 0 or opts.get("header_on_first")):
            c.setFont("Ming", 9)
            c.drawCentredString(W / 2, H - 40, rh)
            c.setLineWidth(0.5)
            c.line(62, H - 45, W - 62, H - 45)
        ft = opts.get("footer", "— {p} —")
        c.setFont("Ming", 10)
        c.drawCentredString(W / 2, 38, ft.format(p=i + 1, n=n))
        c.showPage()
    c.save()
    return n


def scan(pdf_in, pdf_out, seed, dpi=200, quality=70, blur=0.6, noise=6.0):
    import io
    import random
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(pdf_in)
    imgs = []
    for i in range(len(pdf)):
        page = pdf[i]
        im = page.render(scale=dpi / 72).to_pil().convert("L")
        im = im.rotate(rng.uniform(-0.35, 0.35), resample=Image.BICUBIC, fillcolor=255, expand=False)
        im = im.filter(ImageFilter.GaussianBlur(blur))
        # mild grain
        import array
        px = im.load()
        wd, ht = im.size
        noise_img = Image.effect_noise((wd, ht), noise)
        im = Image.blend(im, noise_img, 0.08)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality)
        buf.seek(0)
        imgs.append(Image.open(buf).convert("L"))
    imgs[0].save(pdf_out, "PDF", save_all=True, append_images=imgs[1:], resolution=dpi)
    return len(imgs)
