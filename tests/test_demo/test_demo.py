"""demo/image_demo.py and demo/video_demo.py on generated images and a
generated video, in front of the four tiny hosts."""
import os.path as osp
import runpy
import sys

import cv2
import numpy as np
import pytest

from mmllie.testing.inference import SCOPES
from mmllie.testing.tools import CHECKOUT as REPO

pytestmark = pytest.mark.slow

DEMO = osp.join(REPO, 'demo')


def run_demo(name: str, *args: str) -> None:
    argv = sys.argv
    sys.argv = [name, *args]
    try:
        runpy.run_path(osp.join(DEMO, name), run_name='__main__')
    finally:
        sys.argv = argv


@pytest.fixture(scope='module')
def cases(inference_cases):
    return inference_cases


@pytest.mark.parametrize('scope', SCOPES)
def test_image_demo(tmp_path, cases, scope):
    case = cases[scope]
    folder = tmp_path / 'images'
    folder.mkdir()
    img = cv2.imread(case['image'])
    cv2.imwrite(str(folder / 'a.png'), img)
    cv2.imwrite(str(folder / 'b.jpg'), img[:, ::-1])
    out = tmp_path / 'out'
    args = [
        str(folder), case['config'], case['checkpoint'], '--out-dir',
        str(out)
    ]
    run_demo('image_demo.py', *args)
    for name in ('a.png', 'b.png'):
        panel = cv2.imread(str(out / name))
        assert panel.shape[0] == img.shape[0]
        assert panel.shape[1] >= 3 * img.shape[1]
    panel = cv2.imread(str(out / 'a.png'))
    w = img.shape[1]
    # the enhanced panel is brighter than the input panel
    assert panel[:, w:2 * w].mean() > 1.5 * panel[:, :w].mean()
    with pytest.raises(FileExistsError, match='--overwrite'):
        run_demo('image_demo.py', *args)
    run_demo('image_demo.py', *args, '--overwrite')


@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmdet'])
def test_video_demo(tmp_path, cases, scope):
    case = cases[scope]
    img = cv2.imread(case['image'])
    h, w = img.shape[:2]
    video = str(tmp_path / 'night.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), 5, (w, h))
    for i in range(6):
        writer.write(np.roll(img, 3 * i, axis=1))
    writer.release()
    out = tmp_path / 'out'
    args = [video, case['config'], case['checkpoint'], '--out-dir', str(out)]
    run_demo('video_demo.py', *args)
    cap = cv2.VideoCapture(str(out / 'night.mp4'))
    frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, frame = cap.read()
    assert ok and frames == 6
    assert frame.shape[:2] == (h, 3 * w)
    with pytest.raises(FileExistsError, match='night.mp4'):
        run_demo('video_demo.py', *args)


def test_video_demo_smooth_gains(tmp_path, cases, capsys):
    case = cases['mmseg']
    img = cv2.imread(case['image'])
    h, w = img.shape[:2]
    video = str(tmp_path / 'jump.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), 5, (w, h))
    for i in range(6):  # a brightness jump after frame 3
        writer.write((img // (1 if i < 3 else 4)).astype(np.uint8))
    writer.release()
    out = tmp_path / 'out'
    run_demo('video_demo.py', video, case['config'], case['checkpoint'],
             '--out-dir', str(out), '--smooth-gains', '3')
    assert 'GEM gains smoothed over frames (time constant 3 frames)' in \
        capsys.readouterr().out
    cap = cv2.VideoCapture(str(out / 'jump.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 6


def test_demo_bad_input(tmp_path, cases):
    case = cases['mmseg']
    with pytest.raises(FileNotFoundError, match='nothing.png'):
        run_demo('image_demo.py', str(tmp_path / 'nothing.png'),
                 case['config'], case['checkpoint'])
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'\x00' * 100)
    with pytest.raises(ValueError, match='cannot read video'):
        run_demo('video_demo.py', str(broken), case['config'],
                 case['checkpoint'], '--out-dir', str(tmp_path / 'out'))


def test_detections_are_drawn(cases):
    """mmdet's DetLocalVisualizer draws a confident box on the panel."""
    import torch

    from mmllie.apis import build_inferencer, inference_enhancer_recognizer
    from mmllie.apis.visualize import draw_prediction
    case = cases['mmdet']
    inferencer = build_inferencer(case['config'], case['checkpoint'], 'cpu')
    img = cv2.imread(case['image'])
    out = inference_enhancer_recognizer(inferencer, img)
    sample = out['prediction']
    sample.pred_instances = sample.pred_instances[:1]
    sample.pred_instances.scores = torch.ones(1)
    sample.pred_instances.bboxes = torch.tensor([[10., 10., 50., 40.]])
    drawn = draw_prediction(inferencer, out['enhanced'], sample)
    assert drawn.shape == img.shape
    changed = np.abs(drawn.astype(int) - out['enhanced']).sum(-1) > 30
    assert changed[10, 10:50].mean() > 0.8  # the box's top edge
    assert not changed[20:30, 20:40].all()  # not a filled rectangle


def test_image_demo_refuses_two_images_of_one_name(tmp_path, cases):
    case = cases['mmseg']
    folder = tmp_path / 'images'
    folder.mkdir()
    img = cv2.imread(case['image'])
    cv2.imwrite(str(folder / 'x.jpg'), img)
    cv2.imwrite(str(folder / 'x.png'), img[:, ::-1])
    out = tmp_path / 'out'
    with pytest.raises(FileExistsError, match='x.jpg and .*x.png would both'):
        run_demo('image_demo.py', str(folder), case['config'],
                 case['checkpoint'], '--out-dir', str(out))
    assert not out.exists()


def test_image_demo_names_a_missing_device(tmp_path, cases, monkeypatch):
    import torch
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    case = cases['mmseg']
    out = tmp_path / 'out'
    with pytest.raises(ValueError, match='--device cuda:0: CUDA is not'):
        run_demo('image_demo.py', case['image'], case['config'],
                 case['checkpoint'], '--out-dir', str(out), '--device',
                 'cuda:0')
    assert not out.exists()
