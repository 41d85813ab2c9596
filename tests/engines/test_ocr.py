"""The real OCR engines on small images rendered here with a CJK font: no mocks, no network.

The font comes from Debian (fonts-wqy-zenhei; fonts-noto-cjk also works). A missing font fails
loudly instead of skipping, so CI cannot pass without exercising OCR. Tesseract is optional: its
tests skip when the binary or chi_sim is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from nianbao.engines.ocr import OcrEngine, build_ocr_engine, registered_kinds
from nianbao.engines.ocr.paddle import STAMP, prepare_model_dirs, resolve_model_root
from nianbao.errors import ConfigError, OcrUnavailableError
from nianbao.settings import (
    PaddleOcrSettings,
    RapidOcrSettings,
    Settings,
    TesseractOcrSettings,
    load_settings,
)
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[2]
HEADING = "二、主动公开政府信息情况"
ROW = "行政许可 447"
CELL = "1265"
FONT_FILES = ("wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc")


def _kind(kind: str) -> Settings:
    """Settings with another OCR kind, exactly as a user's `ocr: {kind: ...}` file gives them."""
    cfg = Path(__file__).parent / f".ocr-{kind}.yaml"
    cfg.write_text(f"ocr:\n  kind: {kind}\n", encoding="utf-8")
    try:
        return load_settings(cfg)
    finally:
        cfg.unlink()


_rapid, _tesseract = _kind("rapid").ocr, _kind("tesseract").ocr
assert isinstance(_rapid, RapidOcrSettings) and isinstance(_tesseract, TesseractOcrSettings)
RAPID: RapidOcrSettings = _rapid
TESSERACT: TesseractOcrSettings = _tesseract


def _cjk_font() -> Path:
    found = [Path(p) for name in FONT_FILES for p in Path("/usr/share/fonts").rglob(name)]
    if found:
        return found[0]
    pytest.fail("no CJK font: apt-get install fonts-wqy-zenhei (or fonts-noto-cjk)")


def _render(lines: list[str], size: tuple[int, int]) -> np.ndarray:
    font = ImageFont.truetype(str(_cjk_font()), 40)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((30, 25 + 90 * i), text, font=font, fill="black")
    return np.asarray(image)


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return _render([HEADING, ROW], (760, 210))


@pytest.fixture(scope="module")
def cell() -> np.ndarray:
    return _render([CELL], (200, 90))


@pytest.fixture(scope="module")
def paddle_settings(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> PaddleOcrSettings:
    paddle = _kind("paddle").ocr
    assert isinstance(paddle, PaddleOcrSettings)
    root = tmp_path_factory.mktemp("paddleocr-models")
    return paddle.model_copy(update={"model_root": str(root)})


@pytest.fixture(scope="module", params=["paddle", "rapid", "rapid-onnxruntime", "tesseract"])
def engine(
    request: pytest.FixtureRequest, paddle_settings: PaddleOcrSettings
) -> Iterator[OcrEngine]:
    chosen = {
        "paddle": paddle_settings,
        "rapid": RAPID,  # runtime auto: OpenVINO when installed
        "rapid-onnxruntime": RAPID.model_copy(update={"runtime": "onnxruntime"}),
        "tesseract": TESSERACT,
    }[request.param]
    try:
        built = build_ocr_engine(chosen)
    except OcrUnavailableError as exc:
        if request.param != "tesseract":
            raise
        pytest.skip(f"tesseract not usable here: {exc}")
    yield built


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_reads_a_heading_and_a_row_with_its_number(engine: OcrEngine, page: np.ndarray) -> None:
    texts = [_flat(line.text) for line in engine.recognize(page)]
    assert _flat(HEADING) in texts
    assert _flat(ROW) in texts


@pytest.mark.slow
def test_boxes_are_in_the_image_and_scores_normalised(engine: OcrEngine, page: np.ndarray) -> None:
    lines = engine.recognize(page)
    height, width = page.shape[:2]
    assert lines
    for line in lines:
        assert len(line.polygon) == 4
        assert all(0 <= x <= width and 0 <= y <= height for x, y in line.polygon)
        assert 0.0 <= line.confidence <= 1.0
    by_text = {_flat(line.text): line.bbox for line in lines}
    heading, row = by_text[_flat(HEADING)], by_text[_flat(ROW)]
    assert heading[3] <= row[1] + 5, "the heading is drawn above the row"
    assert heading[0] < 60 and heading[2] > 400, "the heading box spans the heading"


@pytest.mark.slow
def test_crops_are_read_without_detection(engine: OcrEngine, cell: np.ndarray) -> None:
    blank = np.full((60, 160, 3), 255, dtype=np.uint8)
    (text, score), (blank_text, blank_score) = engine.recognize_crops([cell, blank])
    assert text == CELL
    assert 0.5 <= score <= 1.0
    # Nothing to read: no text, or (tesseract's psm 7 makes up a character) no confidence in it.
    assert blank_text.strip() == "" or blank_score < 0.1
    assert 0.0 <= blank_score <= 1.0
    assert engine.recognize_crops([]) == []
    # A crop call must not leave the engine in rec-only mode (rapidocr's sticky kwargs).
    assert engine.recognize(_render([CELL], (200, 90)))[0].text == CELL


@pytest.mark.slow
def test_describe_names_engine_and_model(engine: OcrEngine) -> None:
    info = engine.describe()
    assert all(isinstance(v, str) and v for v in info.values())
    model = {"paddle": "PP-OCRv6_small_rec", "rapid": "PP-OCRv6_rec_small.onnx"}
    assert info["rec_model"] == model.get(engine.kind, "chi_sim.traineddata")
    assert info["engine"] and info["version"]


@pytest.mark.slow
def test_top_one_recognition_reads_what_the_whole_softmax_reads(
    page: np.ndarray, cell: np.ndarray
) -> None:
    """rapid on OpenVINO hands rapidocr's decoder only the best character per step (a TopK
    appended to the recogniser in memory): the same lines, boxes and scores as the model's
    whole softmax output, on a page and on crops."""
    top = build_ocr_engine(RAPID.model_copy(update={"runtime": "openvino", "rec_top_one": True}))
    whole = build_ocr_engine(RAPID.model_copy(update={"runtime": "openvino", "rec_top_one": False}))
    assert type(top._engine._load_rec_model().session).__name__ == "TopOneSession"  # type: ignore[attr-defined]
    assert top.recognize(page) == whole.recognize(page)
    crops = [cell, page[:, :380].copy(), np.full((60, 160, 3), 255, np.uint8)]
    assert top.recognize_crops(crops) == whole.recognize_crops(crops)


def test_rejects_non_rgb_input() -> None:
    engine = build_ocr_engine(RAPID)
    with pytest.raises(ValueError, match="RGB"):
        engine.recognize(np.zeros((10, 10), dtype=np.uint8))


def _unshare_works() -> bool:
    exe = shutil.which("unshare")
    if exe is None:
        return False
    return subprocess.run([exe, "-n", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.slow
def test_paddle_runs_with_no_network(
    paddle_settings: PaddleOcrSettings, page: np.ndarray, tmp_path: Path
) -> None:
    if not _unshare_works():
        pytest.skip("unshare -n is not permitted here")
    image = tmp_path / "page.npy"
    np.save(image, page)
    script = (
        "import json, sys\n"
        "import numpy as np\n"
        "from nianbao.engines.ocr import build_ocr_engine\n"
        "from nianbao.settings import load_settings\n"
        "ocr = load_settings().ocr.model_copy(update={'model_root': sys.argv[1]})\n"
        "lines = build_ocr_engine(ocr).recognize(np.load(sys.argv[2]))\n"
        "print(json.dumps([line.text for line in lines], ensure_ascii=False))\n"
    )
    # The adapter must set what PaddleX needs itself, so nothing of ours is inherited.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PADDLE_PDX_")}
    cmd = ["unshare", "-n", "--", sys.executable, "-c", script, str(paddle_settings.model_root)]
    done = subprocess.run(
        [*cmd, str(image)], capture_output=True, text=True, env=env, cwd=REPO, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    texts = [_flat(t) for t in json.loads(done.stdout.strip().splitlines()[-1])]
    assert _flat(HEADING) in texts and _flat(ROW) in texts


def test_missing_weights_say_what_and_how(tmp_path: Path, settings: Settings) -> None:
    nowhere = str(tmp_path / "no-weights")
    paddle = _kind("paddle").ocr.model_copy(
        update={"model_root": str(tmp_path / "models"), "source_dir": nowhere}
    )
    with pytest.raises(OcrUnavailableError) as paddle_err:
        build_ocr_engine(paddle)
    with pytest.raises(OcrUnavailableError) as rapid_err:
        build_ocr_engine(RAPID.model_copy(update={"source_dir": nowhere}))
    for err in (paddle_err, rapid_err):
        message = str(err.value)
        assert "PP-OCRv6_det_small.onnx" in message and "PP-OCRv6_rec_small.onnx" in message
        assert "pip install" in message and "rapidocr" in message


def test_missing_tesseract_says_how_to_install() -> None:
    absent = TESSERACT.model_copy(update={"binary": "no-such-tesseract-binary"})
    with pytest.raises(OcrUnavailableError, match="apt-get install tesseract-ocr"):
        build_ocr_engine(absent)


def test_prepared_dirs_are_reused_and_outlive_the_wheel(
    paddle_settings: PaddleOcrSettings, tmp_path: Path
) -> None:
    ours = paddle_settings.model_copy(update={"model_root": str(tmp_path)})
    det, rec = prepare_model_dirs(ours)
    meta = json.loads((rec / STAMP).read_text(encoding="utf-8"))
    assert (det / "inference.onnx").is_file() and (rec / "inference.yml").is_file()
    rec_yml = (rec / "inference.yml").read_text(encoding="utf-8")
    assert "model_name: PP-OCRv6_small_rec" in rec_yml and "CTCLabelDecode" in rec_yml
    before = (rec / "inference.onnx").stat().st_mtime_ns
    assert prepare_model_dirs(ours) == (det, rec)
    assert (rec / "inference.onnx").stat().st_mtime_ns == before, "an up-to-date dir is kept"
    gone = ours.model_copy(update={"source_dir": str(tmp_path / "uninstalled")})
    assert prepare_model_dirs(gone) == (det, rec)
    assert json.loads((rec / STAMP).read_text(encoding="utf-8")) == meta


def test_prepared_dirs_go_to_the_user_cache_unless_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paddle = PaddleOcrSettings()
    assert paddle.model_root is None
    monkeypatch.delenv("NIANBAO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resolve_model_root(paddle) == tmp_path / "xdg" / "nianbao" / "paddleocr"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_model_root(paddle) == tmp_path / "home" / ".cache" / "nianbao" / "paddleocr"
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "mine"))
    assert resolve_model_root(paddle) == tmp_path / "mine" / "paddleocr"
    assert resolve_model_root(paddle.model_copy(update={"model_root": "ocr"})) == (
        tmp_path / "mine" / "ocr"
    )
    pinned = paddle.model_copy(update={"model_root": str(tmp_path / "pinned")})
    assert resolve_model_root(pinned) == tmp_path / "pinned"


_PREPARE = """
import json, sys, time
from pathlib import Path
from nianbao.engines.ocr.paddle import prepare_model_dirs
from nianbao.settings import PaddleOcrSettings
go = Path(sys.argv[2])
while not go.exists():  # both processes start preparing at the same moment
    time.sleep(0.005)
dirs = prepare_model_dirs(PaddleOcrSettings(model_root=sys.argv[1]))
print(json.dumps([str(d) for d in dirs]))
"""


def _prepare_at_once(root: Path, n: int, go: Path) -> list[list[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PREPARE, str(root), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    go.touch()
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-3000:]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]


@pytest.mark.slow  # four fresh interpreters importing the package
def test_processes_preparing_the_dirs_at_once_share_one_complete_copy(tmp_path: Path) -> None:
    root = tmp_path / "cache" / "paddleocr"  # missing parents are created
    first, second = _prepare_at_once(root, 2, tmp_path / "go")
    assert first == second
    for d in map(Path, first):
        assert _stamp_ok(d), d
    assert sorted(p.name for p in root.iterdir()) == sorted(Path(d).name for d in first)
    assert (tmp_path / "cache").stat().st_mode & 0o077 == 0, "the cache is private to the user"
    # an outdated dir (built from other weights) is replaced, again by racing processes
    rec = Path(first[1])
    stamp = json.loads((rec / STAMP).read_text(encoding="utf-8"))
    (rec / STAMP).write_text(json.dumps({**stamp, "sha256": "old"}), encoding="utf-8")
    assert _prepare_at_once(root, 2, tmp_path / "go-again") == [first, first]
    assert json.loads((rec / STAMP).read_text(encoding="utf-8")) == stamp
    assert sorted(p.name for p in root.iterdir()) == sorted(Path(d).name for d in first)


def _stamp_ok(model_dir: Path) -> bool:
    names = {p.name for p in model_dir.iterdir()}
    return names == {"inference.onnx", "inference.yml", STAMP}


def test_a_cache_path_that_is_a_file_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("not a dir", encoding="utf-8")
    paddle = PaddleOcrSettings(model_root=str(blocked / "paddleocr"))
    with pytest.raises(ConfigError, match="not a directory"):
        prepare_model_dirs(paddle)


def test_registry_knows_the_kinds_and_rejects_others(settings: Settings) -> None:
    assert registered_kinds() == ["paddle", "rapid", "tesseract"]
    with pytest.raises(ConfigError, match="known kinds: paddle, rapid, tesseract"):
        build_ocr_engine(settings.ocr.model_copy(update={"kind": "easyocr"}))


@pytest.mark.slow
def test_paddle_memory_options_change_memory_not_what_is_read(
    paddle_settings: PaddleOcrSettings,
) -> None:
    """The arena/memory-pattern switches (configs/ocr/paddle.yaml) must not change the output."""
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument(REPO / "sample_scans" / "real" / "huaian-city-2024-scan200.pdf")
    image = np.asarray(scan[0].render(scale=200 / 72).to_pil().convert("RGB"))
    readings = []
    for on in (True, False):
        ocr = paddle_settings.model_copy(update={"mem_arena": on, "mem_pattern": on})
        lines = build_ocr_engine(ocr).recognize(image)
        readings.append([(line.text, line.polygon, round(line.confidence, 4)) for line in lines])
    assert len(readings[0]) > 20  # a real page was read
    assert readings[0] == readings[1]


def test_a_rapidocr_without_the_recogniser_hook_keeps_its_own_session(tmp_path: Path) -> None:
    """rec_top_one relies on rapidocr's private `_load_rec_model`; a rapidocr that changed it
    must still read (with its own session), and say that the setting is ignored."""
    from nianbao.engines.ocr.rapid import swap_top_one

    class Changed:  # a rapidocr whose recogniser cannot be reached
        pass

    with pytest.warns(RuntimeWarning, match="rec_top_one is ignored"):
        assert swap_top_one(Changed(), tmp_path / "rec.onnx", 2) is False
