from __future__ import annotations

import pytest
from nianbao.settings import TrainSettings


@pytest.fixture(scope="session")
def train_settings() -> TrainSettings:
    return TrainSettings()  # configs/train/default.yaml lists these defaults


def few_noisy(cfg: TrainSettings) -> TrainSettings:
    """Four documents per split, every one with some extraction errors."""
    rates = {k: 0.6 for k in cfg.noise.rates}
    noisy = cfg.noise.model_copy(update={"clean_share": 0.0, "rates": rates})
    shapes = cfg.shapes.model_copy(update={"calibration_docs": 3, "heldout_docs": 3})
    return cfg.model_copy(
        update={
            "heldout_docs": 4,
            "calibration_docs": 4,
            "train_docs": 0,
            "noise": noisy,
            "shapes": shapes,
        }
    )
