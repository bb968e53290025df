"""Figures and tables of ``compare_enhancers``: GEM gain histograms, a grid
of example images, a Markdown table."""
from typing import Dict, List, Sequence

import cv2
import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from mmllie.apis.enhance import enhance_image, image_to_unit
from mmllie.apis.media_io import read_image

#: Metric names shown in the Markdown table (all are in the JSON).
MAIN_METRICS = ('mIoU', '/AP', 'accuracy/top1', 'bbox_mAP')


def test_image_paths(cfg: Config, limit: int) -> List[str]:
    """The first ``limit`` distinct image paths of the config's test set."""
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    paths: List[str] = []
    for i in range(len(dataset)):
        path = dataset.get_data_info(i)['img_path']
        if path not in paths:
            paths.append(path)
            if len(paths) == limit:
                break
    return paths


@torch.no_grad()
def gem_gains(enhancer: nn.Module, paths: Sequence[str]) -> np.ndarray:
    """(N, 3) GEM gains of a GPLLIE on whole test images."""
    gains = [
        enhancer.gem(image_to_unit(read_image(p), p)[0][None])[0]
        for p in paths
    ]
    return torch.stack(gains).numpy()


def gain_histogram(gains: Dict[str, np.ndarray], out_file: str) -> None:
    """Histogram of per-channel GEM gains (log axis), one panel per
    enhancer."""
    import matplotlib
    import matplotlib.ticker
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(
        1, len(gains), figsize=(4 * len(gains), 3), squeeze=False)
    for ax, (name, g) in zip(axes[0], gains.items()):
        bins = np.geomspace(max(g.min(), 1e-3) / 1.1, g.max() * 1.1, 30)
        for c, colour in enumerate(('red', 'green', 'blue')):
            ax.hist(
                g[:, c], bins=bins, alpha=0.5, color=colour, label='RGB'[c])
        ax.set_xscale('log')
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel('GEM gain')
        ax.set_title(f'{name} ({len(g)} images)', fontsize=9)
        ax.legend()
    axes[0][0].set_ylabel('images')
    fig.tight_layout()
    fig.savefig(out_file, dpi=100)
    plt.close(fig)


def example_grid(enhancers: Dict[str, nn.Module],
                 paths: Sequence[str],
                 out_file: str,
                 height: int = 128) -> None:
    """Rows: test images; columns: each setting's enhanced image."""
    rows = []
    for path in paths:
        img = read_image(path)
        if img.ndim == 2 or img.shape[2] != 3 or img.dtype != np.uint8:
            img = cv2.cvtColor(
                (image_to_unit(img)[0].permute(1, 2, 0).numpy()[..., ::-1] *
                 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
        w = round(img.shape[1] * height / img.shape[0])
        cells = []
        for name, enhancer in enhancers.items():
            out = img if enhancer is None else enhance_image(enhancer, img)
            cell = cv2.resize(out, (w, height), interpolation=cv2.INTER_AREA)
            if not rows:
                cv2.putText(cell, name[:24], (3, 14), cv2.FONT_HERSHEY_SIMPLEX,
                            0.4, (255, 255, 255), 1, cv2.LINE_AA)
            cells.append(cell)
        rows.append(np.concatenate(cells, axis=1))
    cv2.imwrite(out_file, np.concatenate(rows, axis=0))


def markdown_table(results: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    """Settings × (subset, main metric) Markdown table."""
    columns = []
    for per_subset in results.values():
        for subset, metrics in per_subset.items():
            keys = [k for k in metrics if any(m in k for m in MAIN_METRICS)]
            for key in keys or list(metrics):
                if (subset, key) not in columns:
                    columns.append((subset, key))
    head = ' | '.join(f'{s} {k}' if s else k for s, k in columns)
    lines = [f'| setting | {head} |', '|---' + '|--:' * len(columns) + '|']
    for name, per_subset in results.items():
        cells = [
            f'{per_subset.get(s, {}).get(k, float("nan")):.2f}'
            for s, k in columns
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)
