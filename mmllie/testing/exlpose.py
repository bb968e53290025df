"""A tiny ExLPose tree in the public and in the authors' layout.

Two images per low-light level (LL-N, LL-H, LL-E; LL-A is their union),
one or two persons each with 14 visible keypoints, every image saved as a
dark/ and a bright/ file whose gain parts differ, as in the release.
"""
import json
import os
import os.path as osp
import re

import numpy as np
from PIL import Image

LEVELS = {'LL-N': 'LL-Normal', 'LL-H': 'LL-Hard', 'LL-E': 'LL-Extreme'}
H, W = 60, 80
CATEGORY = dict(
    supercategory='person',
    id=1,
    name='person',
    keypoints=[
        'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
        'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
        'right_knee', 'left_ankle', 'right_ankle', 'head', 'neck'
    ],
    skeleton=[[12, 13], [13, 0], [13, 1], [0, 2], [2, 4], [1, 3], [3, 5],
              [13, 7], [13, 6], [7, 9], [9, 11], [6, 8], [8, 10]])


def image_name(vid: int, frame: int, tree: str) -> str:
    """Release-style name; the gain differs between the dark/bright pair."""
    gain = 3.4 + vid if tree == 'dark' else 14.12 + vid
    return (f'imgs_0212_hwangridan_vid{vid:06d}_exp1200_{tree}_'
            f'{frame:06d}__gain_{gain:.2f}_exposure_417.png')


def _person(rng, ann_id, img_id, x0, w=22, h=40):
    y0 = int(rng.integers(2, H - h - 2))
    xs = rng.uniform(x0 + 1, x0 + w - 1, 14)
    ys = rng.uniform(y0 + 1, y0 + h - 1, 14)
    kpts = np.stack([xs, ys, np.full(14, 2.)], axis=1)
    return dict(
        id=ann_id,
        image_id=img_id,
        category_id=1,
        iscrowd=0,
        bbox=[x0, y0, w, h],
        area=float(w * h),
        num_keypoints=14,
        keypoints=[round(float(v), 2) for v in kpts.ravel()])


def make_exlpose(root: str, variant: str = 'public', seed: int = 0) -> dict:
    """Write images and annotations under ``root``.

    ``variant='public'``: ``annotations/ExLPose/ExLPose_test_LL-{N,H,E,A}
    .json`` with ``dark/`` file names, plus ``..._test_WL.json``,
    ``..._train_LL.json`` and ``..._train_WL.json``. ``'authors'``:
    ``Annotations/ExLPose/ExLPose_test_LL-{Normal,Hard,Extreme,All}.json``
    naming ``bright/``.
    Returns ``{canonical subset: COCO dict}``.
    """
    rng = np.random.default_rng(seed)
    images, anns = {'WL': [], 'train-WL': []}, {}
    img_id = ann_id = 0
    for level in (*LEVELS, 'train-LL'):
        images[level], anns[level] = [], []
        for _ in range(2):
            img_id += 1
            vid = img_id
            pixels = rng.integers(0, 255, (H, W, 3), dtype=np.uint8)
            for tree, scale in (('dark', 0.1), ('bright', 1.0)):
                os.makedirs(osp.join(root, tree), exist_ok=True)
                Image.fromarray((pixels * scale).astype(np.uint8)).save(
                    osp.join(root, tree, image_name(vid, 52, tree)))
            tree = 'dark' if variant == 'public' else 'bright'
            images[level].append(
                dict(
                    id=img_id,
                    file_name=f'{tree}/' + image_name(vid, 52, tree),
                    height=H,
                    width=W,
                    crowdIndex=0.))
            # the well-lit twin of each image: test-WL / train-WL
            images['WL' if level != 'train-LL' else 'train-WL'].append(
                dict(
                    images[level][-1],
                    file_name='bright/' + image_name(vid, 52, 'bright')))
            for x0 in (4, 44)[:1 + img_id % 2]:
                ann_id += 1
                anns[level].append(_person(rng, ann_id, img_id, x0))
    images['LL-A'] = sum((images[k] for k in LEVELS), [])
    anns['LL-A'] = sum((anns[k] for k in LEVELS), [])
    anns['WL'] = anns['LL-A']
    anns['train-WL'] = anns['train-LL']
    out = {}
    for subset in (*LEVELS, 'LL-A', 'WL', 'train-LL', 'train-WL'):
        out[subset] = dict(
            images=images[subset],
            annotations=anns[subset],
            categories=[CATEGORY])
        if variant == 'public':
            folder = 'annotations/ExLPose'
            split = (
                subset.replace('-', '_')
                if subset.startswith('train') else f'test_{subset}')
        elif subset in ('WL', 'train-LL', 'train-WL'):
            continue
        else:
            folder = 'Annotations/ExLPose'
            split = 'test_' + LEVELS.get(subset, 'LL-All')
        os.makedirs(osp.join(root, folder), exist_ok=True)
        with open(osp.join(root, folder, f'ExLPose_{split}.json'), 'w') as f:
            json.dump(out[subset], f)
    return out


def four_aps(stdout: str) -> dict:
    """The last ``LL-*/coco/AP: value`` of each low-light subset that a
    test run printed (``tools/test.py`` on the LL-N/H/E/A test set)."""
    aps = {}
    for subset in ('LL-N', 'LL-H', 'LL-E', 'LL-A'):
        found = re.findall(rf'{subset}/coco/AP: (\S+)', stdout)
        assert found, f'no {subset}/coco/AP in the output:\n{stdout[-4000:]}'
        aps[subset] = float(found[-1])
    return aps


#: The pose configs' HRNet-W32 shrunk to a ResNet-18 with 16 base channels
#: and the same 14-keypoint 64x48 heatmaps: fast on a CPU.
TINY_POSE_MODEL = dict(
    backbone=dict(
        _delete_=True,
        type='ResNet',
        depth=18,
        base_channels=16,
        init_cfg=None),
    head=dict(
        in_channels=128,
        deconv_out_channels=(16, 16, 16),
        deconv_kernel_sizes=(4, 4, 4)))


def user_config(base: str,
                root: str,
                checkpoint: str,
                label_free: bool = False) -> str:
    """Text of a user's config over a pose config for a 3-iteration run on
    the tree at ``root``: :data:`TINY_POSE_MODEL` loaded from
    ``checkpoint``, loaders in this process, no validation (training is
    checked by its checkpoint, ``tools/test.py`` scores LL-N/H/E/A).

    Args:
        base (str): The pose config to inherit.
        root (str): A tree from :func:`make_exlpose`.
        checkpoint (str): The recognizer's weights (``load_from``).
        label_free (bool): ``base`` is a label-free config: the tiny model
            is the distiller's recognizer and training reads the
            well-lit boxes (the tree's ``WL`` subset). Defaults to False.

    Returns:
        str: The config file's text.
    """
    model = f'dict(recognizer={TINY_POSE_MODEL!r})' if label_free else \
        repr(TINY_POSE_MODEL)
    subset = ", subset='WL'" if label_free else ''
    return f"""_base_ = {base!r}
data_root = {root!r}
model = {model}
load_from = {checkpoint!r}
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root{subset}))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(datasets=[
        dict(d, data_root=data_root)
        for d in _base_.test_dataloader.dataset.datasets]))
val_dataloader = val_cfg = val_evaluator = None
train_cfg = dict(max_iters=3)
default_hooks = dict(checkpoint=dict(interval=3), logger=dict(interval=1))
"""
