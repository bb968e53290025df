"""Table (Markdown) and picture of the synthetic night benchmark."""
import statistics
from typing import List, Union

import cv2
import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DATASETS, MODELS, init_default_scope
from mmengine.runner import load_checkpoint

from mmllie.datasets.nightcity import NightCityDataset
from mmllie.utils.mim_config import get_config_path
from .common import md_row

TITLES = ('night input', 'GEM output', 'GEM + PAM output', 'prediction',
          'ground truth')


def _fmt(value) -> str:
    return '–' if value is None else f'{value:.2f}'


def results_table(results: dict) -> str:
    """The Markdown of :func:`~mmllie.benchmarks.synthetic_night.
    run_synthetic_night_benchmark`'s results: one row per setting and seed,
    then the mean over seeds."""
    level = results['level']
    levels = list(
        next(r for r in results['rows'] if r['per_level'])['per_level'])
    head = ['setting', 'seed', f'mIoU ({level})', 'drop recovered'
            ] + [f'mIoU {lv}' for lv in levels]
    lines = [md_row(head), '|' + '---|' * len(head)]
    for row in results['rows']:
        rec = row['recovered']
        cells = [
            row['name'], '–' if row['seed'] is None else row['seed'],
            _fmt(row['miou']), '–' if rec is None else f'{100 * rec:.1f} %'
        ]
        lines.append(
            md_row(cells + [_fmt(row['per_level'].get(lv)) for lv in levels]))
    summary = {}
    for row in results['rows']:
        if row['seed'] is not None:
            summary.setdefault(row['name'], []).append(row['miou'])
    lines += ['', f'Mean over seeds ({level}):', '']
    lines += [
        f'- {name}: {statistics.mean(v):.2f}' +
        (f' ± {statistics.stdev(v):.2f}' if len(v) > 1 else '')
        for name, v in summary.items()
    ]
    lines += [
        '', f'Enhancers: {results["iters"]} iterations, batch 8, '
        f'Adam 5e-4, trained on the "{level}" level; data '
        f'{results["data"]}.'
    ]
    return '\n'.join(lines) + '\n'


def _colour(seg: np.ndarray) -> np.ndarray:
    palette = np.array(
        NightCityDataset.METAINFO['palette'] + [[0, 0, 0]], dtype=np.uint8)
    return palette[np.where(seg == 255, len(palette) - 1, seg)][..., ::-1]


def _tile(unit: torch.Tensor) -> np.ndarray:
    """(1, 3, H, W) RGB in [0, 1] → (H, W, 3) BGR uint8 (rounded)."""
    rgb = unit[0].permute(1, 2, 0).clamp(0, 1).numpy()
    return (rgb[..., ::-1] * 255).round().astype(np.uint8)


@torch.no_grad()
def figure_rows(model: torch.nn.Module, dataset,
                num_images: int) -> List[np.ndarray]:
    """One row of five tiles per image, as the frozen model sees it.

    The night input is the host's output before the enhancer (the image on
    disk), the GEM output is ``enhancer.global_enhance`` of it, the final
    output is what the wrapper hands the recognizer and the prediction is
    the recognizer's on that.
    """
    pre = model.data_preprocessor
    rows = []
    for idx in range(min(num_images, len(dataset))):
        batch = pseudo_collate([dataset[idx]])
        night = pre.to_unit(pre.host(batch, False)['inputs'])
        enhanced = pre(pseudo_collate([dataset[idx]]), False)
        h, w = enhanced['data_samples'][0].img_shape
        night = night[..., :h, :w]
        gem = pre.enhancer.global_enhance(night)
        final = pre.to_unit(enhanced['inputs'])[..., :h, :w]
        pred = model.predict(enhanced['inputs'], enhanced['data_samples'])[0]
        tiles = [_tile(t) for t in (night, gem, final)]
        tiles.append(_colour(pred.pred_sem_seg.data[0].numpy()))
        tiles.append(_colour(pred.gt_sem_seg.data[0].numpy()))
        rows.append(np.concatenate(tiles, axis=1))
    return rows


def figure_scale(width: int) -> int:
    """The integer upscaling that makes a ``width``-pixel tile ≥ 256 px
    wide (1 for tiles already that wide), so that titles fit."""
    return max(1, -(-256 // width))


def write_figure(out_file: str,
                 cfg: Union[str, Config],
                 checkpoint: str,
                 data_root: str,
                 num_images: int = 4) -> None:
    """Night input | GEM output | final output | prediction | ground truth.

    Args:
        out_file (str): PNG to write: a title strip, then the tiles,
            scaled up (nearest) by :func:`figure_scale`.
        cfg (str | Config): The enhancer config (a GEM + PAM enhancer in
            ``mmllie.GlobalPixelwiseEnhancer``); a path or ``'mmllie::'``
            name.
        checkpoint (str): Trained weights (recognizer + enhancer).
        data_root (str): Dataset root of the night images shown.
        num_images (int): Rows (the first images of the test set).
    """
    if not isinstance(cfg, Config):
        cfg = Config.fromfile(get_config_path(cfg))
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
    model.eval()
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.data_root = data_root
    rows = figure_rows(model, DATASETS.build(dataset_cfg), num_images)
    grid = np.concatenate(rows, axis=0)
    scale = figure_scale(grid.shape[1] // len(TITLES))
    grid = mmcv.imresize(
        grid, (grid.shape[1] * scale, grid.shape[0] * scale),
        interpolation='nearest')
    header = np.full((24, grid.shape[1], 3), 255, np.uint8)
    tile_w = grid.shape[1] // len(TITLES)
    for i, title in enumerate(TITLES):
        cv2.putText(header, title, (i * tile_w + 6, 17),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    mmcv.imwrite(np.concatenate([header, grid], axis=0), out_file)
