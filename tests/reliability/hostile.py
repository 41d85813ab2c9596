"""A corpus of hostile and broken inputs, written into a directory at test time (issue #8).

`generate(root)` writes every input under `root` and returns one `Hostile` per input: its path,
its category, and what a correct record looks like (status failed or partial, and the error
codes that name the problem). Nothing here is committed as a binary; everything is built from
the seed report (tests/data/seed_liaocheng_2021.txt), seeded randomness and hand-written bytes.

`controls(root)` writes good documents (the seed as text and as a text-layer PDF) that a batch
mixes in with the hostile ones: their records must come out complete.

Expected codes were written from what each input IS (an encrypted PDF is `encrypted_pdf`),
never copied from what the pipeline happened to return. Where several readings are honest
(a PDF corrupted in the middle may lose its content stream or its whole structure), the
set lists each of them.
"""

from __future__ import annotations

import io
import os
import random
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed_liaocheng_2021.txt"

FAILED = frozenset({"failed"})
BAD = frozenset({"failed", "partial"})
# One document read alone refuses an archive (unsupported_format); `nianbao batch` opens it and
# gives its unsafe members (.., absolute names, links), oversized ones or an empty archive records.
ARCHIVE_CODES = {"unsupported_format", "unsafe_member", "too_large", "no_report_in_archive"}


@dataclass(frozen=True)
class Hostile:
    path: Path
    category: str
    statuses: frozenset[str]  # the record's status must be one of these
    codes: frozenset[str]  # at least one error of the record has one of these codes
    note: str = ""


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# ---- PDFs ------------------------------------------------------------------------------------
def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    name = "STSong-Light"  # a standard CJK CID font: not embedded, nothing to download
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def text_pdf(text: str, *, encrypt: object = None, font: str | None = None) -> bytes:
    """`text` typeset as a born-digital PDF (A4, one line per source line, wrapped)."""
    from reportlab.pdfgen import canvas

    font = font or _cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    y, per_line = 800.0, 40
    for raw in text.splitlines():
        if "\t" in raw:  # table rows: each cell at its own place, as a typeset table has them
            chunks = [raw]
        else:
            chunks = [raw[i : i + per_line] for i in range(0, len(raw), per_line)] or [""]
        for chunk in chunks:
            if y < 50:
                c.showPage()
                y = 800.0
            c.setFont(font, 11)
            x = 40.0
            for cell in chunk.split("\t"):
                c.drawString(x, y, cell)
                x += c.stringWidth(cell, font, 11) + 24
            y -= 15
    c.showPage()
    c.save()
    return buf.getvalue()


def blank_pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(pages):
        c.showPage()
    c.save()
    return buf.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand: object 1 is the catalog; a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def deflate_repeated(unit: bytes, times: int) -> bytes:
    """zlib stream of `unit` repeated `times` times, built in O(len(unit)) time.

    After a full flush the compressor starts afresh, so every further copy of the unit
    compresses to the same bytes; the Adler-32 trailer is computed over the whole."""
    comp = zlib.compressobj(9)
    head = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(unit, adler)
    final = b"\x03\x00"  # an empty final fixed-Huffman block
    return head + block * (times - 1) + final + struct.pack(">I", adler)


def _page_pdf(contents: bytes, resources: bytes = b"", media: bytes = b"0 0 595 842") -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents 4 0 R %s>>"
            % (media, resources),
            contents,
            *([] if not resources else [_image_bomb()]),
        ]
    )


def _image_bomb() -> bytes:
    row = b"\x00" * (1 << 20)
    return _stream(
        deflate_repeated(row, 1024),
        b"/Type /XObject /Subtype /Image /Width 16384 /Height 21846 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /FlateDecode ",
    )


# ---- images ----------------------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(width: int, height: int, rows: int | None = None, depth: int = 1) -> bytes:
    """A grayscale PNG of `width` x `height`, all zero; only `rows` rows of data if given."""
    row = b"\x00" * (1 + (width * depth + 7) // 8)
    n = height if rows is None else rows
    comp = zlib.compressobj(1)
    per = max(1, (1 << 20) // len(row))
    parts, done = [], 0
    while done < n:
        k = min(per, n - done)
        parts.append(comp.compress(row * k))
        done += k
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def white_png(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="PNG")
    return buf.getvalue()


def small_jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).rectangle((40, 40, 360, 260), outline="black", width=3)
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    return buf.getvalue()


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims `width` x `height`."""
    data = bytearray(small_jpeg())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def tiff_header(width: int, height: int) -> bytes:
    """A little-endian TIFF with one strip of 16 bytes claiming `width` x `height`, 8-bit."""
    entries = [
        (256, 4, 1, width),  # ImageWidth (LONG)
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8 + 2 + 12 * 8 + 4),  # StripOffsets: right after the IFD
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, 16),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<I", value) if kind == 4 else struct.pack("<HH", value, 0)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00\x00\x00\x00" + b"\x00" * 16


# ---- texts that are not reports --------------------------------------------------------------
ENGLISH = (
    "Annual Report on Corporate Sustainability\n\n"
    "1. Overview\nThis year the company reduced its emissions and expanded its recycling "
    "programme to every regional office.\n\n2. Governance\nThe board met eleven times. "
    "Committee membership is listed in the appendix.\n\n3. Outlook\nWe expect steady growth.\n"
)
NOVEL = (
    "第三章 雨夜\n\n"
    "雨从傍晚开始下，一直没有停。林远站在窗前，看着街灯在水洼里碎成一片一片的光。\n"
    "他想起小时候外婆家门口那棵老槐树，夏天的夜里，树下总坐着几个摇扇子的老人，讲着他听不懂的故事。\n"
    "“你还记得那条河吗？”妹妹在电话里问他。他说记得，其实他已经想不起河的名字了。\n"
    "楼下有人撑着伞走过，脚步声很轻，像是怕惊醒什么。林远把窗关上，屋子里一下子安静下来。\n"
    "桌上的茶早就凉了。他坐下来，翻开那本旧笔记本，第一页上写着一行字：等雨停了，就回家。\n"
)
GOV_WORK_REPORT = (
    "2023年政府工作报告\n\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    "一、过去一年工作回顾\n全市地区生产总值增长5.2%，城镇新增就业3.1万人。\n"
    "二、今年工作安排\n坚持稳中求进工作总基调，推动经济运行持续好转。\n"
    "三、全面加强政府自身建设\n坚持依法行政，自觉接受人大监督。\n"
)
RECIPE_HTML = (
    "<!DOCTYPE html><html><head><title>红烧肉</title></head><body><h1>红烧肉的做法</h1>"
    "<p>五花肉切块，冷水下锅焯水。</p><table><tr><td>五花肉</td><td>500</td></tr>"
    "<tr><td>冰糖</td><td>30</td></tr></table><p>小火慢炖一小时即可。</p></body></html>"
)


def random_table(rng: random.Random, rows: int, cols: int, sep: str) -> str:
    lines = [sep.join(f"列{c + 1}" for c in range(cols))]
    for _ in range(rows):
        lines.append(sep.join(str(rng.randint(0, 99999)) for _ in range(cols)))
    return "\n".join(lines) + "\n"


def random_cjk(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


# ---- archives --------------------------------------------------------------------------------
def zip_bytes(members: list[tuple[str, bytes]], symlinks: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name), data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0x20  # S_IFLNK: unpackers make a symlink
            zf.writestr(info, target)
    return buf.getvalue()


def tar_bytes(
    members: list[tuple[str, bytes]], symlinks: dict[str, str] | None = None, gz: bool = False
) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if gz else "w") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in (symlinks or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tf.addfile(info)
    return buf.getvalue()


# Where an unpacker that trusted member names would write; tests check nothing appears there.
TRAVERSAL_NAME = "nianbao-hostile-escape.txt"


def traversal_targets(root: Path) -> list[Path]:
    """Paths outside `root` that the archives' member names point at."""
    return [
        (root / ".." / TRAVERSAL_NAME).resolve(),
        (root / ".." / ".." / TRAVERSAL_NAME).resolve(),
        Path("/tmp") / TRAVERSAL_NAME,
    ]


# ---- the corpus --------------------------------------------------------------------------------
def generate(root: Path) -> list[Hostile]:
    """Write every hostile input under `root` (created) and return them with expectations."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(8)
    seed = seed_text()
    seed_utf8 = seed.encode("utf-8")
    report_pdf = text_pdf(seed)
    cases: list[Hostile] = []

    def add(
        name: str,
        data: bytes | Callable[[Path], None],
        category: str,
        codes: set[str],
        statuses: frozenset[str] = FAILED,
        note: str = "",
    ) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            data(path)
        cases.append(Hostile(path, category, statuses, frozenset(codes), note))

    # empty files, whatever they claim to be
    for suffix in ("", ".txt", ".md", ".html", ".pdf", ".png", ".jpg", ".tiff"):
        add(f"empty/zero{suffix or '-nosuffix'}", b"", "empty", {"empty_file"})
    add("empty/spaces.txt", b" \n\t\r\n  \n", "empty", {"empty_file"})
    add("empty/bom-only.txt", b"\xef\xbb\xbf", "empty", {"empty_file"})
    add("empty/utf16-bom-only.txt", b"\xff\xfe", "empty", {"empty_file"})
    add(
        "empty/html-no-text.html",
        b"<html><body><div> </div></body></html>",
        "empty",
        {"empty_file"},
    )

    # truncated downloads of a real-looking report PDF
    for frac in (0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97, 0.995):
        add(
            f"truncated/report-{frac:.3f}.pdf",
            report_pdf[: int(len(report_pdf) * frac)],
            "truncated_pdf",
            {"truncated_pdf"},
        )
    # cut inside the final %%EOF: the structure is intact, the download is not
    add("truncated/report-eof.pdf", report_pdf[:-3], "truncated_pdf", {"truncated_pdf"}, BAD)
    add("truncated/header-only.pdf", b"%PDF-1.7\n", "truncated_pdf", {"truncated_pdf"})

    # corrupt PDFs
    for i in range(4):
        garbage = bytes(rng.getrandbits(8) for _ in range(4000 + 3000 * i))
        add(
            f"corrupt/garbage-{i}.pdf",
            b"%PDF-1.4\n" + garbage + b"\n%%EOF\n",
            "corrupt_pdf",
            {"corrupt_pdf"},
        )
    for i in range(4):  # a run of bytes overwritten in the middle of the file
        data = bytearray(report_pdf)
        start = rng.randrange(len(data) // 5, len(data) * 3 // 5)
        data[start : start + 2000] = bytes(rng.getrandbits(8) for _ in range(2000))
        add(
            f"corrupt/overwritten-{i}.pdf",
            bytes(data),
            "corrupt_pdf",
            {"corrupt_pdf", "page_failed", "no_text", "not_a_report", "truncated_pdf"},
            BAD,
            "content or structure damaged; pdfium may rebuild the rest",
        )
    add(
        "corrupt/html-saved-as.pdf",
        RECIPE_HTML.encode(),
        "corrupt_pdf",
        {"corrupt_pdf"},
        note="an error page saved under a .pdf name",
    )
    add(
        "corrupt/no-pages.pdf",
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "corrupt_pdf",
        {"no_text", "corrupt_pdf"},
    )

    # encrypted PDFs (a user password is needed to read them)
    from reportlab.lib import pdfencrypt

    for strength in (40, 128):
        enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=strength)
        add(
            f"encrypted/report-rc4-{strength}.pdf",
            text_pdf(seed, encrypt=enc),
            "encrypted",
            {"encrypted_pdf"},
        )

    # huge images and decompression bombs
    add("huge/20000x20000.png", png(20000, 20000), "huge_image", {"image_too_large"})
    add(
        "huge/bomb-100000x100000.png",
        png(100000, 100000, rows=64),
        "huge_image",
        {"image_too_large"},
        note="PNG bomb: header claims 10^10 pixels",
    )
    add(
        "huge/bomb-65000x65000.jpg", jpeg_with_size(65000, 65000), "huge_image", {"image_too_large"}
    )
    add("huge/bomb-60000x60000.tiff", tiff_header(60000, 60000), "huge_image", {"image_too_large"})
    add(
        "huge/huge-page.pdf",
        _page_pdf(_stream(b"0 0 3000 3000 re f"), media=b"0 0 14400 14400"),
        "huge_image",
        {"page_too_large"},
        note="200 x 200 inch page: 1.6e9 pixels at 200 dpi",
    )
    bomb = deflate_repeated(b" " * (1 << 20), 1024)  # 1 GiB of spaces in a 1 MiB stream
    add(
        "bombs/content-stream-1GiB.pdf",
        _page_pdf(_stream(bomb, b"/Filter /FlateDecode ")),
        "pdf_bomb",
        {"decompression_bomb"},
    )
    add(
        "bombs/image-xobject-1GiB.pdf",
        _page_pdf(
            _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
            b"/Resources << /XObject << /Im0 5 0 R >> >> ",
        ),
        "pdf_bomb",
        {"decompression_bomb"},
    )

    # blank pages
    add("blank/500-blank-pages.pdf", blank_pdf(500), "blank", {"too_many_pages", "no_text"})
    add("blank/one-blank-page.pdf", blank_pdf(1), "blank", {"no_text"})
    add("blank/white-page.png", white_png(1240, 1754), "blank", {"no_text"})

    # documents that are not reports
    add("not_report/english.txt", ENGLISH.encode(), "not_a_report", {"not_a_report"})
    add(
        "not_report/english.html",
        f"<html><body><pre>{ENGLISH}</pre></body></html>".encode(),
        "not_a_report",
        {"not_a_report"},
    )
    add(
        "not_report/english.pdf",
        text_pdf(ENGLISH * 3, font="Helvetica"),
        "not_a_report",
        {"not_a_report"},
        note="Latin text layer: read by OCR",
    )
    add("not_report/novel-chapter.txt", NOVEL.encode(), "not_a_report", {"not_a_report"})
    add("not_report/novel-chapter.pdf", text_pdf(NOVEL * 4), "not_a_report", {"not_a_report"})
    add(
        "not_report/government-work-report.txt",
        GOV_WORK_REPORT.encode(),
        "not_a_report",
        {"not_a_report"},
        note="a government report, but not an information-disclosure one",
    )
    add("not_report/recipe.html", RECIPE_HTML.encode(), "not_a_report", {"not_a_report"})
    for i, sep in enumerate(("\t", ",", "  ", " | ")):
        add(
            f"not_report/random-numbers-{i}.txt",
            random_table(rng, 40, 6, sep).encode(),
            "not_a_report",
            {"not_a_report"},
        )
    rows = "".join(
        "<tr>" + "".join(f"<td>{rng.randint(0, 9999)}</td>" for _ in range(5)) + "</tr>"
        for _ in range(30)
    )
    add(
        "not_report/random-numbers.html",
        f"<html><body><table>{rows}</table></body></html>".encode(),
        "not_a_report",
        {"not_a_report"},
    )
    add(
        "not_report/random-hanzi.txt",
        random_cjk(rng, 5000).encode(),
        "not_a_report",
        {"not_a_report", "garbled_text"},
    )
    add(
        "not_report/python-source.txt",
        Path(__file__).read_bytes(),
        "not_a_report",
        {"not_a_report"},
    )
    add(
        "not_report/json.txt",
        b'{"records": [1, 2, 3], "note": "\\u5e74\\u62a5"}\n',
        "not_a_report",
        {"not_a_report"},
    )

    # wrong and mixed encodings
    half = len(seed) // 2
    add(
        "encoding/utf8-then-gbk.txt",
        seed[:half].encode() + seed[half:].encode("gbk", "replace"),
        "encoding",
        {"decode_errors"},
        BAD,
        note="half UTF-8, half GBK",
    )
    noisy = bytearray(seed_utf8)
    for _ in range(len(noisy) // 8):
        noisy[rng.randrange(len(noisy))] = rng.choice(range(0x80, 0x100))
    add(
        "encoding/utf8-bytes-smashed.txt",
        bytes(noisy),
        "encoding",
        {"undecodable", "decode_errors"},
        BAD,  # a few smashed bytes: partial with decode_errors; many: undecodable
    )
    add(
        "encoding/mojibake-latin1.txt",
        seed.encode().decode("latin-1").encode(),
        "encoding",
        {"mojibake_repaired"},
        BAD,
        note="UTF-8 read as Latin-1 and saved again: repaired, with a warning",
    )
    add(
        "encoding/big5.txt",
        seed.encode("big5", "ignore"),
        "encoding",
        {"unusual_encoding", "garbled_text", "undecodable", "decode_errors"},
        BAD,
    )
    add(
        "encoding/shift-jis.txt",
        NOVEL.encode("shift_jis", "ignore") * 5,
        "encoding",
        {"not_a_report", "garbled_text", "undecodable", "decode_errors"},
        BAD,
    )
    add(
        "encoding/ebcdic.txt",
        ENGLISH.encode("cp500"),
        "encoding",
        {"not_a_report", "undecodable", "binary_file"},
        BAD,
    )
    add("encoding/utf32.txt", seed.encode("utf-32"), "encoding", {"binary_file", "undecodable"})
    add(
        "encoding/utf16-odd-length.txt",
        seed.encode("utf-16")[:-1] + b"\x00\x00\xd8",
        "encoding",
        {"decode_errors"},
        BAD,
    )
    add(
        "encoding/nul-separated.txt",
        b"\x00".join(seed_utf8.splitlines()),
        "encoding",
        {"binary_file"},
    )

    # images with bad headers or bodies
    good_png = white_png(200, 100)
    good_jpg = small_jpeg()
    for fmt, good in (("png", good_png), ("jpg", good_jpg)):
        add(f"bad_image/truncated.{fmt}", good[: len(good) // 2], "bad_image", {"corrupt_image"})
        add(
            f"bad_image/magic-then-garbage-{fmt}.{fmt}",
            good[:8] + bytes(rng.getrandbits(8) for _ in range(3000)),
            "bad_image",
            {"corrupt_image"},
        )
    broken_crc = bytearray(good_png)
    broken_crc[29] ^= 0xFF  # inside IHDR's CRC
    add("bad_image/bad-crc.png", bytes(broken_crc), "bad_image", {"corrupt_image"})
    add(
        "bad_image/tiff-magic-garbage.tiff",
        b"II*\x00" + bytes(rng.getrandbits(8) for _ in range(2000)),
        "bad_image",
        {"corrupt_image"},
    )
    add("bad_image/bmp-header-only.bmp", b"BM" + b"\x00" * 60, "bad_image", {"corrupt_image"})
    add(
        "bad_image/webp-garbage.webp",
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 40,
        "bad_image",
        {"corrupt_image"},
    )
    add(
        "bad_image/text-named.png",
        seed_utf8,
        "bad_image",
        {"corrupt_image"},
        note="a text report under an image name",
    )
    for i in range(4):
        add(
            f"bad_image/random-{i}.jpg",
            bytes(rng.getrandbits(8) for _ in range(5000)),
            "bad_image",
            {"corrupt_image"},
        )
    add("bad_image/zero-size.png", png(0, 0), "bad_image", {"corrupt_image"})

    # random binary and other formats
    for i in range(4):
        add(
            f"binary/random-{i}.txt",
            bytes(rng.getrandbits(8) for _ in range(20000)),
            "binary",
            {"binary_file", "undecodable"},
        )
    add("binary/elf-header", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "binary", {"binary_file"})
    add(
        "binary/docx-like.docx",
        zip_bytes([("word/document.xml", b"<w:document/>")]),
        "binary",
        {"unsupported_format"},
    )
    add(
        "binary/ole.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "binary",
        {"unsupported_format"},
    )
    add("binary/report.txt.gz", _gzip(seed_utf8), "binary", {"unsupported_format"})

    # archives: path traversal, absolute names, symlinks, nesting, an inflating member
    escape = [
        (f"../{TRAVERSAL_NAME}", seed_utf8),
        (f"../../{TRAVERSAL_NAME}", seed_utf8),
        (f"/tmp/{TRAVERSAL_NAME}", seed_utf8),
        ("ok/report.txt", seed_utf8),
    ]
    add("archives/traversal.zip", zip_bytes(escape), "archive", ARCHIVE_CODES)
    add(
        "archives/symlinks.zip",
        zip_bytes(
            [("report.txt", seed_utf8)],
            {"passwd.txt": "/etc/passwd", f"up/{TRAVERSAL_NAME}": f"../../{TRAVERSAL_NAME}"},
        ),
        "archive",
        ARCHIVE_CODES,
    )
    inner = zip_bytes([("report.txt", seed_utf8), ("empty.txt", b"")])
    nested = zip_bytes([("level2.zip", zip_bytes([("level3.zip", inner)]))])
    add("archives/nested.zip", nested, "archive", ARCHIVE_CODES)
    add("archives/member-bomb.zip", _zip_bomb(), "archive", ARCHIVE_CODES)
    add(
        "archives/traversal.tar",
        tar_bytes(escape, {"link.txt": "/etc/passwd"}),
        "archive",
        ARCHIVE_CODES,
    )
    add("archives/traversal.tar.gz", tar_bytes(escape, gz=True), "archive", ARCHIVE_CODES)

    # things that are not regular files
    add(
        "special/dangling-link.txt",
        lambda p: p.symlink_to(root / "does-not-exist.txt"),
        "special",
        {"not_found"},
    )
    add(
        "special/loop-a.txt",
        lambda p: p.symlink_to(p.with_name("loop-b.txt")),
        "special",
        {"not_found", "not_a_file"},
    )
    (root / "special" / "loop-b.txt").symlink_to(root / "special" / "loop-a.txt")
    add(
        "special/link-to-dir.pdf", lambda p: p.symlink_to(root / "empty"), "special", {"not_a_file"}
    )
    add(
        "special/link-to-dev-zero.txt",
        lambda p: p.symlink_to("/dev/zero"),
        "special",
        {"not_a_file", "symlink_outside_input"},  # batch walks a folder: the link leaves it
    )
    add("special/fifo.txt", lambda p: os.mkfifo(p), "special", {"not_a_file"})
    add("special/a-directory.html", lambda p: p.mkdir(), "special", {"not_a_file"})

    # hostile markup and shapes of text
    add(
        "markup/deep-nesting.html",
        (
            b"<html><body>"
            + b"<div>" * 100000
            + "深".encode()
            + b"</div>" * 100000
            + b"</body></html>"
        ),
        "markup",
        {"html_too_deep", "html_too_large"},  # more elements than max_html_elements, too
    )
    spans = "".join(
        "<tr>" + '<td rowspan="100000" colspan="100000">1</td>' * 20 + "</tr>" for _ in range(50)
    )
    add(
        "markup/span-bomb.html",
        f"<html><body><table>{spans}</table></body></html>".encode(),
        "markup",
        {"not_a_report", "table_too_large"},
    )
    add(
        "markup/entity-bomb.html",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><html><body>&lol2;</body></html>',
        "markup",
        {"not_a_report"},
    )
    add(
        "text/one-long-line.txt",
        random_cjk(rng, 2_000_000).encode(),
        "long_text",
        {"not_a_report", "garbled_text"},
    )
    add("text/many-short-lines.txt", ("一\n" * 300_000).encode(), "long_text", {"too_large"})

    # over the #15 limits (limits: in configs/default.yaml): refused or skipped, never slow
    lines = seed.splitlines()
    half = len(lines) // 2
    add(
        "bounds/one-line-over-the-limit.txt",
        "\n".join([*lines[:half], "政府信息公开" * 40_000, *lines[half:]]).encode(),
        "bounds",
        {"line_too_long"},
        BAD,
        "one 240,000-character line: skipped, the rest read",
    )
    add(
        "bounds/too-many-elements.html",
        ("<html><body>" + "<span>x</span>" * 70_000 + "</body></html>").encode(),
        "bounds",
        {"html_too_large"},
    )
    add(
        "bounds/huge-page-box.pdf",
        blank_pdf_with_box(14_400, 14_400),
        "bounds",
        {"page_too_large"},
        note="a 553-byte blank PDF whose page is 200 x 200 inches: refused before any rendering",
    )
    return cases


def blank_pdf_with_box(width_pt: float, height_pt: float) -> bytes:
    """A PDF of one blank page of the given size (pdfium writes it)."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(width_pt, height_pt)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def controls(root: Path) -> list[Path]:
    """Good documents to mix into a batch: their records must come out complete (status ok)."""
    root.mkdir(parents=True, exist_ok=True)
    seed = seed_text()
    paths = [root / "seed.txt", root / "seed-gbk.txt", root / "seed.pdf"]
    paths[0].write_text(seed, encoding="utf-8")
    paths[1].write_bytes(seed.replace("“", '"').replace("”", '"').encode("gbk"))
    paths[2].write_bytes(text_pdf(seed))
    return paths


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


def _zip_bomb() -> bytes:
    """A zip whose one member inflates to 1 GiB (stored with a hand-made deflate stream)."""
    raw = deflate_repeated(b"\x00" * (1 << 20), 1024)[2:-4]  # raw deflate: no zlib wrapper
    size, crc = 1 << 30, 0
    chunk = b"\x00" * (1 << 20)
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    name = b"zeros.txt"
    local = (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), size, len(name), 0)
        + name
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(raw),
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(raw), 0)
    return local + raw + central + end
