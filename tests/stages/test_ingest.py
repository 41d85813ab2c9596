"""ingest: encodings, HTML vs text, and bad input as records (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.runner import Pipeline

from tests.conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_are_detected_and_give_the_same_values(
    pipeline: Pipeline, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(SEED_TEXT.replace("“", '"').replace("”", '"').encode(encoding))
    record = pipeline.run(path)
    assert record.status.value == "ok", record.errors
    assert record.meta.agency.value == "聊城市市场监督管理局"
    assert record.applications.cannot_provide.not_held.total.value == 14


def test_gb18030_only_characters_decode(pipeline: Pipeline, tmp_path: Path) -> None:
    # 㐀 (U+3400) is outside GBK but inside GB18030: a GBK decoder would fail on it.
    path = tmp_path / "gb18030.txt"
    path.write_bytes(
        SEED_TEXT.replace("聊城市市场监督管理局", "聊城市㐀市场监督管理局").encode("gb18030")
    )
    record = pipeline.run(path)
    assert record.source.encoding == "gb18030"
    assert record.meta.agency.value == "聊城市㐀市场监督管理局"


def test_mojibake_is_repaired_with_a_warning(pipeline: Pipeline, tmp_path: Path) -> None:
    # UTF-8 opened as Latin-1 and saved again as UTF-8: "聊" became "è\x81\x8a"
    path = tmp_path / "mojibake.txt"
    path.write_bytes(SEED_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"))
    record = pipeline.run(path)
    assert record.status.value == "partial"
    assert [e.code for e in record.errors] == ["mojibake_repaired"]
    assert str(path) in record.errors[0].message
    assert record.meta.agency.value == "聊城市市场监督管理局"
    assert record.applications.cannot_provide.not_held.total.value == 14


def test_big5_is_not_taken_for_gb18030(pipeline: Pipeline, tmp_path: Path) -> None:
    # Big5 bytes also decode as GB18030, into rare characters; the common-character share tells
    path = tmp_path / "big5.txt"
    path.write_bytes(SEED_TEXT.encode("big5", errors="ignore"))
    record = pipeline.run(path)
    assert record.source.encoding == "big5"
    assert record.status.value == "partial"
    assert "unusual_encoding" in [e.code for e in record.errors]


def test_text_of_rare_characters_in_every_encoding_is_garbled(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    rare = "".join(chr(0x4E00 + (i * 7919) % 0x5000) for i in range(3000))  # no word in it
    path = tmp_path / "rare.txt"
    path.write_bytes(rare.encode("gb18030"))
    record = pipeline.run(path)
    assert record.status.value == "failed"
    assert [e.code for e in record.errors] == ["garbled_text"]


def test_html_is_detected_by_content_without_suffix(pipeline: Pipeline, tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in SEED_TEXT.splitlines() if line.strip())
    path = tmp_path / "page"
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    record = pipeline.run(path)
    assert record.source.input_kind == "html"
    assert record.meta.year.value == 2021


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "empty_file"),
        ("blank.txt", b"  \n\n\t \n", "empty_file"),
        ("binary.txt", bytes(range(256)) * 40, "binary_file"),
        # a PDF that stops before its %%EOF is a truncated download (issue #8)
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "truncated_pdf"),
        ("mangled.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "corrupt_pdf"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "corrupt_image"),
        ("letter.docx", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "unsupported_format"),
        ("undecodable.txt", b"\x81\x30" * 3000 + b"\xff\xfe\xfd" * 3000, "undecodable"),
        (
            "recipe.txt",
            "红烧肉的做法：五花肉切块，冷水下锅焯水，加冰糖炒色。\n小火慢炖一小时即可。\n".encode(),
            "not_a_report",
        ),
    ],
)
def test_bad_input_gives_a_failed_record_naming_file_and_problem(
    pipeline: Pipeline, tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    record = pipeline.run(path)
    assert record.status.value == "failed"
    assert [e.code for e in record.errors] == [code]
    assert str(path) in record.errors[0].message
    assert record.source.path == str(path)


def test_missing_file_is_a_failed_record(pipeline: Pipeline, tmp_path: Path) -> None:
    record = pipeline.run(tmp_path / "nope.txt")
    assert record.status.value == "failed" and record.errors[0].code == "not_found"


def test_a_few_bad_bytes_give_a_partial_record_that_keeps_the_values(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    data = SEED_TEXT.encode("utf-8")
    cut = data.index("五、存在".encode())
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    record = pipeline.run(path)
    assert record.status.value == "partial"
    assert record.errors[0].code == "decode_errors"
    assert record.applications.new.total.value == 18
