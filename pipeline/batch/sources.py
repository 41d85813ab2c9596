"""Expand batch inputs (files, folders, globs, zip/tar archives) into documents, streamed.

Archive members are read one at a time, in archive order, only when the runner asks for the
next document; a member is copied to a temp file under a name nianbao makes up (member names
are labels only: never a path to write to, so no traversal), hashed while it is copied, and the
file is deleted once its document is done. Only regular files are taken: symlinks, hard links
and devices in archives are skipped; a symlink in a folder that points out of it (or loops, or
dangles) is not followed and becomes an error record.
Archives inside archives are not opened: they are members, and get their own error record.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..datamodel.base import ErrorCode
from ..hashing import sha256_file
from ..untrusted import escape_name

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


@dataclass
class Item:
    """One document to process. `path` is a file the worker can read (the input itself, or a
    temp copy of an archive member, `temporary`); `error` is set when it could not be read."""

    label: str
    content_hash: str
    path: Path | None = None
    temporary: bool = False
    error: tuple[ErrorCode, str] | None = None  # (code, message)

    def cleanup(self) -> None:
        if self.temporary and self.path is not None:
            self.path.unlink(missing_ok=True)


def label_hash(label: str) -> str:
    """Identity of an input whose bytes could not be read: a hash of its label (documents are
    otherwise identified by content)."""
    return hashlib.sha256(f"unreadable input:{label}".encode()).hexdigest()


def _failed(label: str, code: ErrorCode, message: str) -> Item:
    return Item(label, label_hash(label), error=(code, message))


def _is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def _suffix(name: str) -> str:
    """The member's suffix, if harmless (the worker's reader uses it to tell text from HTML)."""
    suffix = Path(name).suffix.lower()
    return suffix if _SAFE_SUFFIX.match(suffix) else ""


def _expand_input(raw: str) -> list[Path]:
    path = Path(raw).expanduser()
    if path.exists():
        return [path]
    if glob.has_magic(raw):
        return [Path(p) for p in sorted(glob.glob(os.path.expanduser(raw), recursive=True))]
    return [path]  # reported as not found by the reader


def _walk(folder: Path, suffixes: Sequence[str]) -> list[Path | Item]:
    """Report files and archives under `folder`, sorted. A symlink that leaves the folder (or
    loops, or dangles) is not followed: it becomes an error record, so nothing goes unreported."""
    root = folder.resolve()
    out: list[Path | Item] = []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # hidden files and folders
        if not (_is_archive(path) or path.suffix.lower() in suffixes):
            continue
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (3.11)
                label = escape_name(str(path))
                out.append(_failed(label, ErrorCode.not_found, f"{label}: broken symlink ({exc})"))
                continue
            if not target.is_relative_to(root):
                label = escape_name(str(path))
                out.append(
                    _failed(
                        label,
                        ErrorCode.symlink_outside_input,
                        f"{label}: symlink to {escape_name(str(target))}, outside the input "
                        "folder; not followed",
                    )
                )
                continue
        if path.is_dir():
            continue  # a folder named like a document: walked by rglob itself
        out.append(path)
    return out


def plan(inputs: Sequence[str], suffixes: Sequence[str]) -> list[Path | Item]:
    """The files and archives the inputs name (folders walked for `suffixes` and archives);
    inputs that cannot be taken are already error records."""
    files: list[Path | Item] = []
    for raw in inputs:
        for path in _expand_input(raw):
            files.extend(_walk(path, suffixes) if path.is_dir() else [path])
    return files


def count(files: Sequence[Path | Item], suffixes: Sequence[str]) -> int:
    """How many documents `files` hold (archives listed, not read), for the progress bar."""
    total = 0
    for path in files:
        if isinstance(path, Item) or not (_is_archive(path) and path.is_file()):
            total += 1
            continue
        try:
            total += max(1, sum(1 for _ in _members(path, suffixes, read=False)))
        except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError):
            total += 1  # the archive becomes one error record
    return total


def items(
    files: Sequence[Path | Item], suffixes: Sequence[str], workdir: Path, max_member_bytes: int
) -> Iterator[Item]:
    """Documents one at a time; an archive member is on disk only from its yield to cleanup()."""
    for path in files:
        if isinstance(path, Item):
            yield path
        elif _is_archive(path) and path.is_file():
            yield from _archive_items(path, suffixes, workdir, max_member_bytes)
        else:
            yield _file_item(path)


def _file_item(path: Path) -> Item:
    label = escape_name(str(path))
    try:
        if path.exists() and not path.is_file():  # a FIFO would block the read forever
            return _failed(
                label,
                ErrorCode.not_a_file,
                f"{label}: not a regular file (a folder, FIFO, device or socket); not read",
            )
        return Item(label=label, content_hash=sha256_file(path), path=path)
    except FileNotFoundError:
        return _failed(label, ErrorCode.not_found, f"{label}: no such file")
    except OSError as exc:
        return _failed(label, ErrorCode.unreadable, f"{label}: cannot read: {exc}")


def _archive_items(
    archive: Path, suffixes: Sequence[str], workdir: Path, max_bytes: int
) -> Iterator[Item]:
    """Each report member as an Item; an unsafe member (a `..` or absolute name, a link or a
    device) as an error record; an archive with no report in it as one error record."""
    found = 0
    try:
        for name, size, stream in _members(archive, suffixes, read=True):
            found += 1
            label = f"{escape_name(str(archive))}!{escape_name(name)}"
            if stream is None:
                yield _failed(
                    label,
                    ErrorCode.unsafe_member,
                    f"{label}: a link, device or a name leaving the archive (.., /); not read",
                )
            elif size > max_bytes:
                stream.close()
                yield _failed(
                    label, ErrorCode.too_large, f"{label}: {size} bytes, over {max_bytes}"
                )
            else:
                yield _copy(stream, label, _suffix(name), workdir, max_bytes)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, RuntimeError) as exc:
        found += 1
        label = escape_name(str(archive))
        yield _failed(label, ErrorCode.corrupt_archive, f"{label}: cannot read the archive: {exc}")
    if not found:
        label = escape_name(str(archive))
        yield _failed(label, ErrorCode.no_report_in_archive, f"{label}: no report file inside")


def _copy(stream: IO[bytes], label: str, suffix: str, workdir: Path, max_bytes: int) -> Item:
    """Stream one member to a temp file (name made up here), hashing as it goes."""
    digest = hashlib.sha256()
    handle, name = tempfile.mkstemp(suffix=suffix, dir=workdir)
    target = Path(name)
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for block in iter(lambda: stream.read(1 << 20), b""):
                written += len(block)
                if written > max_bytes:  # the header lied (a zip bomb, say)
                    raise ValueError(f"more than {max_bytes} bytes once unpacked")
                digest.update(block)
                out.write(block)
    except (OSError, ValueError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        target.unlink(missing_ok=True)
        code = ErrorCode.too_large if isinstance(exc, ValueError) else ErrorCode.corrupt_archive
        return _failed(label, code, f"{label}: cannot unpack: {exc}")
    finally:
        stream.close()
    return Item(label, digest.hexdigest(), path=target, temporary=True)


def _members(
    archive: Path, suffixes: Sequence[str], *, read: bool
) -> Iterator[tuple[str, int, IO[bytes] | None]]:
    """(name, size, stream) of each report member, in archive order; the stream is None for a
    member that is not read because it is unsafe (and always when not `read`)."""
    if archive.name.lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir() or not _wanted(info.filename, suffixes):
                    continue
                mode = info.external_attr >> 16
                regular = stat.S_IFMT(mode) in (0, stat.S_IFREG)  # no type bits: a plain file
                safe = regular and _safe_name(info.filename)
                yield info.filename, info.file_size, zf.open(info) if read and safe else None
        return
    with tarfile.open(archive, mode="r:*") as tf:  # streams; compressed tars read in order
        for member in tf:
            if member.isdir() or not _wanted(member.name, suffixes):
                continue
            safe = member.isfile() and _safe_name(member.name)
            yield member.name, member.size, tf.extractfile(member) if read and safe else None


def _safe_name(name: str) -> bool:
    """Names are labels only, never written to; a name that would leave the archive's folder
    if it were (`..`, absolute) marks an archive made to attack, so its member is not read."""
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[a-zA-Z]:", name))


def _wanted(name: str, suffixes: Sequence[str]) -> bool:
    parts = [p for p in Path(name).parts if p not in ("..", "/")]
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return False
    return _is_archive(Path(name)) or Path(name).suffix.lower() in suffixes


def new_workdir() -> Path:
    """A private temp folder for archive members (removed by `remove_workdir`)."""
    return Path(tempfile.mkdtemp(prefix="nianbao-batch-"))


def remove_workdir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
