"""tools/enhance.py: enhancer-only checkpoint over a folder or a video."""
import os.path as osp
from functools import partial

import cv2
import numpy as np
import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.apis import enhance_image
from mmllie.apis.media_io import VideoSink
from mmllie.models.enhancers import GPLLIE, ZeroDCE
from mmllie.testing.tools import run_tool

run_enhance = partial(run_tool, 'tools/enhance.py', in_process=True)


@pytest.fixture(scope='module')
def gpllie(tmp_path_factory):
    torch.manual_seed(0)
    model = GPLLIE().eval()
    for p in model.parameters():
        if not p.any():
            p.data.normal_(0, 0.05)
    # the grey-world exposure gain fully on (alpha = 10 * 0.1), as training
    # turns it on: the pictures must come out brighter
    model.gem.prior_weight.data.fill_(0.1)
    path = str(tmp_path_factory.mktemp('ckpt') / 'gpllie.pth')
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(enhancer_cfg=dict(type='GPLLIE'))), path)
    return path, model


def _folder(root) -> dict:
    rng = np.random.default_rng(0)
    bgr = (rng.random((45, 61, 3)) * 40).astype(np.uint8)
    imgs = {
        'bgr8.png': bgr,
        'bgr16.png': bgr.astype(np.uint16) * 257,  # same picture, 16 bit
        'grey.png': bgr[..., 1],
        'rgba.png': np.dstack([bgr,
                               rng.integers(0, 256, (45, 61), np.uint8)]),
    }
    root.mkdir()
    for name, img in imgs.items():
        cv2.imwrite(str(root / name), img)
    (root / 'notes.txt').write_text('not an image')
    return imgs


def test_folder_four_formats(tmp_path, gpllie):
    ckpt, model = gpllie
    imgs = _folder(tmp_path / 'in')
    out = tmp_path / 'out'
    run_enhance(ckpt, str(tmp_path / 'in'), str(out), '--batch-size', '2')
    got = {n: cv2.imread(str(out / n), cv2.IMREAD_UNCHANGED) for n in imgs}
    for name, img in imgs.items():
        assert got[name].shape == img.shape and got[name].dtype == img.dtype
    # 16 bit is read as 16 bit: the same picture enhances the same
    diff = np.abs(got['bgr16.png'] / 65535. - got['bgr8.png'] / 255.)
    assert diff.max() <= 1 / 255 + 1e-6
    # the tool's batch of 2 vs one image: float rounding may move a pixel
    # across a uint8 step (measured: 1 of 8,235 values at 1 thread)
    ref = enhance_image(model, imgs['bgr8.png']).astype(int)
    off = np.abs(got['bgr8.png'].astype(int) - ref)
    assert off.max() <= 1 and (off > 0).mean() < 1e-3
    assert got['bgr8.png'].mean() > 2 * imgs['bgr8.png'].mean()
    np.testing.assert_array_equal(got['rgba.png'][..., 3],
                                  imgs['rgba.png'][..., 3])
    np.testing.assert_array_equal(got['rgba.png'][..., :3], got['bgr8.png'])
    assert not (out / 'notes.txt').exists()
    with pytest.raises(FileExistsError, match='--overwrite'):
        run_enhance(ckpt, str(tmp_path / 'in'), str(out))
    run_enhance(ckpt, str(tmp_path / 'in'), str(out), '--overwrite')
    with pytest.raises(FileExistsError, match='is an input file'):
        run_enhance(ckpt, str(tmp_path / 'in'), str(tmp_path / 'in'),
                    '--overwrite')


def _video(path: str, n: int = 7) -> None:
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 10,
                             (62, 46))
    rng = np.random.default_rng(0)
    for _ in range(n):
        writer.write((rng.random((46, 62, 3)) * 40).astype(np.uint8))
    writer.release()


def _frames(path: str) -> list:
    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            return frames
        frames.append(frame)


def test_video_sink_pads_odd_sizes(tmp_path):
    """mp4v / MJPG crop odd sizes; the sink pads by one row/column."""
    sink = VideoSink(str(tmp_path / 'odd.avi'), 10)
    for _ in range(3):
        sink.write(np.full((45, 61, 3), 100, np.uint8))
    sink.close()
    frames = _frames(str(tmp_path / 'odd.avi'))
    assert len(frames) == 3 and frames[0].shape == (46, 62, 3)


@pytest.mark.parametrize('smooth', ['0', '3'])
def test_video(tmp_path, gpllie, smooth):
    video = str(tmp_path / 'night.avi')
    _video(video)
    out = str(tmp_path / 'enhanced.mp4')
    run_enhance(gpllie[0], video, out, '--smooth-gains', smooth)
    frames = _frames(out)
    assert len(frames) == 7 and frames[0].shape == (46, 62, 3)
    assert np.mean(frames) > 2 * np.mean(_frames(video))
    with pytest.raises(FileExistsError, match='enhanced.mp4'):
        run_enhance(gpllie[0], video, out)


def test_bad_input(tmp_path, gpllie):
    ckpt = gpllie[0]
    with pytest.raises(FileNotFoundError, match='missing.png'):
        run_enhance(ckpt, str(tmp_path / 'missing.png'), str(tmp_path / 'o'))
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'not a video at all' * 10)
    with pytest.raises(ValueError, match='cannot read video .*broken.mp4'):
        run_enhance(ckpt, str(broken), str(tmp_path / 'o.mp4'))
    bad_img = tmp_path / 'bad' / 'x.png'
    bad_img.parent.mkdir()
    bad_img.write_bytes(b'garbage')
    with pytest.raises(ValueError, match='cannot read image .*x.png'):
        run_enhance(ckpt, str(bad_img.parent), str(tmp_path / 'o'))
    zero_dce = str(tmp_path / 'zero_dce.pth')
    save_checkpoint(
        dict(
            state_dict=ZeroDCE().state_dict(),
            meta=dict(enhancer_cfg=dict(type='ZeroDCE'))), zero_dce)
    img = str(tmp_path / 'bad' / 'ok.png')
    cv2.imwrite(img, np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(
            TypeError,
            match='holds a ZeroDCE enhancer, not the '
            'requested GPLLIE'):
        run_enhance(zero_dce, img, str(tmp_path / 'o'), '--enhancer', 'GPLLIE')
    full = str(tmp_path / 'full.pth')
    save_checkpoint(
        dict(
            state_dict={
                'data_preprocessor.enhancer.' + k: v
                for k, v in GPLLIE().state_dict().items()
            }), full)
    with pytest.raises(ValueError, match='full training checkpoint'):
        run_enhance(full, img, str(tmp_path / 'o'))


def test_device_without_cuda_is_named(tmp_path, gpllie, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    img = str(tmp_path / 'a.png')
    cv2.imwrite(img, np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(
            ValueError, match='--device cuda: CUDA is not '
            'available'):
        run_enhance(gpllie[0], img, str(tmp_path / 'o'), '--device', 'cuda')
    with pytest.raises(ValueError, match="'gpu' is not a device name"):
        run_enhance(gpllie[0], img, str(tmp_path / 'o'), '--device', 'gpu')
    assert not osp.exists(tmp_path / 'o')


def test_truncated_checkpoint_is_named(tmp_path, gpllie):
    cut = tmp_path / 'cut.pth'
    data = open(gpllie[0], 'rb').read()
    cut.write_bytes(data[:len(data) // 2])
    img = str(tmp_path / 'a.png')
    cv2.imwrite(img, np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(
            ValueError,
            match=f"checkpoint '{cut}': not a "
            'PyTorch checkpoint .*truncated'):
        run_enhance(str(cut), img, str(tmp_path / 'o'))
    assert not osp.exists(tmp_path / 'o')


def test_large_images_tile_by_tile(tmp_path, gpllie):
    ckpt, model = gpllie
    rng = np.random.default_rng(1)
    img = (rng.random((150, 230, 3)) * 60).astype(np.uint8)
    src = tmp_path / 'big.png'
    cv2.imwrite(str(src), img)
    run_enhance(ckpt, str(src), str(tmp_path / 'whole'), '--no-tile')
    run_enhance(ckpt, str(src), str(tmp_path / 'tiled'), '--tile-above', '0',
                '--tile-size', '32', '--tile-overlap', '64')
    whole = cv2.imread(str(tmp_path / 'whole' / 'big.png')).astype(int)
    tiled = cv2.imread(str(tmp_path / 'tiled' / 'big.png')).astype(int)
    assert np.abs(whole - tiled).max() <= 1  # a uint8 rounding step at most
    with pytest.raises(ValueError, match='multiples of PAM.s stride 16'):
        run_enhance(ckpt, str(src), str(tmp_path / 'bad'), '--tile-above', '0',
                    '--tile-size', '50')
    assert not osp.exists(tmp_path / 'bad')
