"""batch sources: what a folder walk and an archive listing turn into documents or error records."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

from nianbao.batch import sources
from nianbao.batch.sources import Item

SUFFIXES = [".txt", ".pdf", ""]


def _items(tmp_path: Path, *inputs: Path) -> list[Item]:
    work = tmp_path / "work"
    work.mkdir()
    files = sources.plan([str(p) for p in inputs], SUFFIXES)
    return list(sources.items(files, SUFFIXES, work, 1 << 20))


def test_links_out_of_the_folder_and_loops_become_error_records(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("报告", encoding="utf-8")
    (folder / "out.txt").symlink_to("/etc/hostname")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    os.mkfifo(folder / "pipe.txt")
    got = {Path(i.label).name: (i.error[0] if i.error else "ok") for i in _items(tmp_path, folder)}
    assert got == {
        "a.txt": "ok",
        "out.txt": "symlink_outside_input",
        "loop1.txt": "not_found",
        "loop2.txt": "not_found",
        "pipe.txt": "not_a_file",  # never opened: reading a FIFO would block the batch
    }


def test_unsafe_archive_members_are_records_never_files(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.txt", "x")
        zf.writestr("/abs.txt", "x")
        zf.writestr("ok/report.txt", "报告")
    tar = tmp_path / "b.tar"
    with tarfile.open(tar, "w") as tf:
        link = tarfile.TarInfo("link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        data = "报告".encode()
        info = tarfile.TarInfo("x/../../up.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    items = _items(tmp_path, archive, tar)
    codes = {i.label.split("!", 1)[1]: (i.error[0] if i.error else "ok") for i in items}
    assert codes == {
        "../../escape.txt": "unsafe_member",
        "/abs.txt": "unsafe_member",
        "ok/report.txt": "ok",
        "link.txt": "unsafe_member",
        "x/../../up.txt": "unsafe_member",
    }
    assert not (tmp_path.parent / "escape.txt").exists()
    assert not (tmp_path / "up.txt").exists()


def test_an_archive_without_reports_is_one_error_record(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.exe", "MZ")
    [item] = _items(tmp_path, archive)
    assert item.error is not None and item.error[0] == "no_report_in_archive"
    assert sources.count(sources.plan([str(archive)], SUFFIXES), SUFFIXES) == 1
