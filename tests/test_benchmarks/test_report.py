"""The benchmark's figure shows what each column says it shows."""
import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint

from mmllie.benchmarks.report import (TITLES, _colour, figure_scale,
                                      write_figure)
from mmllie.benchmarks.synthetic_night import ENH_CFG
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.nightcity import IMG, make_nightcity
from mmllie.utils.mim_config import get_config_path

H, W = 64, 128  # the config's crop size: no padding


@pytest.fixture(scope='module')
def figure(tmp_path_factory):
    """A figure of a model whose GEM and PAM both change the image."""
    tmp = tmp_path_factory.mktemp('figure')
    root = str(tmp / 'night')
    make_nightcity(root, splits=(('val', 2), ), size=(H, W))
    convert_nightcity_labels(f'{root}/NightCity-label/label')
    cfg = Config.fromfile(get_config_path(ENH_CFG))
    init_default_scope('mmseg')
    model = MODELS.build(cfg.model)
    torch.manual_seed(0)
    enhancer = model.data_preprocessor.enhancer
    for conv in (enhancer.gem.head, enhancer.pam.out_conv):
        torch.nn.init.normal_(conv.weight, std=0.3)
    model.eval()
    ckpt = str(tmp / 'model.pth')
    save_checkpoint(dict(state_dict=model.state_dict()), ckpt)
    out = str(tmp / 'figure.png')
    write_figure(out, ENH_CFG, ckpt, root, num_images=2)
    return mmcv.imread(out), model, root


def _unit(bgr: np.ndarray) -> torch.Tensor:
    rgb = torch.from_numpy(bgr[..., ::-1].copy()).permute(2, 0, 1)
    return rgb[None].float() / 255.


def _tile(unit: torch.Tensor) -> np.ndarray:
    rgb = unit[0].permute(1, 2, 0).clamp(0, 1).numpy()
    return (rgb[..., ::-1] * 255).round().astype(np.uint8)


def _column(img: np.ndarray, row: int, col: int) -> np.ndarray:
    """One tile at 1× scale (the figure is 2×, nearest)."""
    tile = img[24 + row * 2 * H:24 + (row + 1) * 2 * H,
               col * 2 * W:(col + 1) * 2 * W]
    return tile[::2, ::2].astype(int)


def test_figure_scale():
    # tiles at least 256 px wide: 64x128 scenes 2x, 128x256 scenes 1x
    assert [figure_scale(w) for w in (128, 100, 256, 300)] == [2, 3, 1, 1]


@torch.no_grad()
def test_figure_columns(figure):
    img, model, root = figure
    assert img.shape == (24 + 2 * 2 * H, len(TITLES) * 2 * W, 3)
    enhancer = model.data_preprocessor.enhancer
    for row in range(2):
        night = mmcv.imread(f'{root}/{IMG}/val/Chicago_{row:04d}.png')
        # column 1 is the image on disk, not the enhanced one
        assert np.array_equal(_column(img, row, 0), night.astype(int))
        x = _unit(night)
        gem = _tile(enhancer.global_enhance(x)).astype(int)
        final = _tile(enhancer(x)).astype(int)
        assert np.abs(_column(img, row, 1) - gem).max() <= 1
        assert np.abs(_column(img, row, 2) - final).max() <= 1
        # each column is something else: GEM brightens, PAM changes it
        assert np.abs(gem - night).mean() > 5
        assert np.abs(final - gem).mean() > 1
        inputs = model.data_preprocessor.from_unit(enhancer(x))
        pred = model.predict(inputs)[0].pred_sem_seg.data[0].numpy()
        assert np.array_equal(_column(img, row, 3), _colour(pred).astype(int))
        gt = mmcv.imread(
            f'{root}/NightCity-label/label/val/Chicago_{row:04d}'
            '_trainIds.png', 'unchanged')
        assert np.array_equal(_column(img, row, 4), _colour(gt).astype(int))
