"""OpenMMLab inferencers on mmllie configs give tools/test.py's prediction
for every host (the enhancer runs in front of the recognizer), and the
mmllie.apis helpers around them."""
import os
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmllie.apis import build_inferencer, inference_enhancer_recognizer
from mmllie.testing.inference import SCOPES
from mmllie.testing.tools import CHECKOUT as REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def cases(inference_cases, tmp_path_factory):
    """One case per host; tools/test.py run on each (in parallel)."""
    tmp = tmp_path_factory.mktemp('inference')
    cases = {s: dict(c) for s, c in inference_cases.items()}
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    procs = {
        s:
        subprocess.Popen([
            sys.executable,
            osp.join(REPO, 'tools', 'test.py'), c['config'], c['checkpoint'],
            '--work-dir',
            str(tmp / s / 'work')
        ],
                         env=env,
                         stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT,
                         text=True)
        for s, c in cases.items()
    }
    for s, proc in procs.items():
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out[-3000:]
        with open(cases[s]['results'], 'rb') as f:
            cases[s]['dumped'] = [
                r for r in pickle.load(f) if r['img_path'] == cases[s]['image']
            ]
        assert cases[s]['dumped'], f'{s}: {cases[s]["image"]} not tested'
    return cases


@pytest.fixture
def one_thread():
    """The thread count of the tools/test.py runs (OMP_NUM_THREADS=1): the
    same float rounding here, as a detector's NMS turns 1e-6 differences
    in near-tied scores of a random detector into other boxes."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _outputs(scope: str, sample) -> dict:
    """The prediction fields compared, from a data sample or a dump."""
    if not isinstance(sample, dict):
        sample = sample.to_dict()
    if scope == 'mmseg':
        return dict(
            labels=sample['pred_sem_seg']['data'],
            logits=sample['seg_logits']['data'])
    if scope == 'mmpose':
        inst = sample['pred_instances']
        return dict(
            keypoints=torch.as_tensor(inst['keypoints']),
            scores=torch.as_tensor(inst['keypoint_scores']))
    if scope == 'mmdet':
        inst = sample['pred_instances']
        return {
            k: torch.as_tensor(inst[k])
            for k in ('bboxes', 'scores', 'labels')
        }
    return dict(scores=sample['pred_score'])


@pytest.mark.parametrize('scope', SCOPES)
def test_inferencer_matches_tools_test(cases, scope, one_thread):
    case = cases[scope]
    inferencer = build_inferencer(case['config'], case['checkpoint'], 'cpu')
    out = inference_enhancer_recognizer(inferencer, case['image'])
    got = _outputs(scope, out['prediction'])
    expected = _outputs(scope, case['dumped'][0])
    for key, value in expected.items():
        torch.testing.assert_close(
            got[key].float().cpu(),
            value.float(),
            # float32 tolerance: a runner built earlier in the same process
            # may leave oneDNN picking another convolution algorithm
            # (measured 1.0e-5 on the logits)
            atol=1e-4,
            rtol=0,
            msg=f'{scope} {key}')
    img = np.array(__import__('PIL.Image').Image.open(case['image']))
    assert out['enhanced'].shape == img.shape
    assert out['enhanced'].dtype == np.uint8
    assert out['enhanced'].mean() > img.mean()  # a dark image, brightened
    # the enhancer did run: without it the prediction changes
    inferencer.model.data_preprocessor.enhancer = None
    plain = _outputs(
        scope,
        inference_enhancer_recognizer(inferencer, case['image'])['prediction'])
    key = 'logits' if scope == 'mmseg' else 'scores'
    a, b = plain[key].float().cpu(), got[key].float()
    assert a.shape != b.shape or not torch.allclose(a, b)


def test_host_inferencer_directly(cases):
    """No mmllie helper: MMSegInferencer as a user calls it."""
    from mmseg.apis import MMSegInferencer
    case = cases['mmseg']
    inferencer = MMSegInferencer(case['config'], case['checkpoint'])
    sample = inferencer(case['image'], return_datasamples=True)
    torch.testing.assert_close(sample.pred_sem_seg.data,
                               case['dumped'][0]['pred_sem_seg']['data'])


def test_mmpose_inferencer_directly(cases):
    """MMPoseInferencer as a user calls it (offline: whole-image box)."""
    from mmpose.apis import MMPoseInferencer
    case = cases['mmpose']
    inferencer = MMPoseInferencer(
        pose2d=case['config'],
        pose2d_weights=case['checkpoint'],
        det_model='whole_image')
    result = next(inferencer(case['image']))
    keypoints = result['predictions'][0][0]['keypoints']
    torch.testing.assert_close(
        torch.tensor(keypoints, dtype=torch.float32),
        torch.as_tensor(
            case['dumped'][0]['pred_instances']['keypoints'][0],
            dtype=torch.float32))


def test_det_inferencer_directly(cases, one_thread):
    """mmdet's DetInferencer as a user calls it."""
    from mmdet.apis import DetInferencer
    case = cases['mmdet']
    inferencer = DetInferencer(case['config'], case['checkpoint'])
    out = inferencer(case['image'], return_datasamples=True)
    got = out['predictions'][0].pred_instances
    expected = case['dumped'][0]['pred_instances']
    assert len(expected['scores']) > 0
    torch.testing.assert_close(
        got.bboxes, expected['bboxes'], atol=1e-3, rtol=0)
    torch.testing.assert_close(got.labels, expected['labels'])


def test_exlpose_config_pipeline_for_inferencers():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'pose',
                 'gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'))
    dataset = cfg.test_dataloader.dataset
    assert dataset.type == 'mmllie.ConcatSubsets'
    assert dataset.pipeline[-1]['type'] == 'PackPoseInputs'


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        build_inferencer(str(tmp_path / 'nope.py'))
    plain = type('Inferencer', (), dict(model=torch.nn.Conv2d(3, 3, 1)))()
    with pytest.raises(TypeError, match='not mmllie.GlobalPixelwiseEnhancer'):
        inference_enhancer_recognizer(plain, np.zeros((8, 8, 3), np.uint8))
