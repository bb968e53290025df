"""mmcv-lite: ``mmcv.ops.nms`` and ``batched_nms`` on the PyTorch NMS."""
import importlib.util

import pytest
import torch
from mmcv.ops import batched_nms, nms

FULL_MMCV = importlib.util.find_spec('mmcv._ext') is not None and getattr(
    importlib.util.find_spec('mmcv._ext'), 'loader', None) is not None


def test_nms_keeps_best_of_overlapping_boxes():
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.],
                          [20., 20., 30., 30.], [0., 0., 10., 9.]])
    scores = torch.tensor([0.9, 0.8, 0.7, 0.95])
    dets, keep = nms(boxes, scores, iou_threshold=0.5)
    # box 3 (0.95) suppresses 0 (IoU 0.9); 1 overlaps 3 by 0.60: suppressed
    assert keep.tolist() == [3, 2]
    torch.testing.assert_close(dets[:, 4], torch.tensor([0.95, 0.7]))
    _, keep = nms(boxes, scores, iou_threshold=0.95)
    assert keep.tolist() == [3, 0, 1, 2]


def test_batched_nms_per_class_and_offset():
    boxes = torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 10.]])
    scores = torch.tensor([0.9, 0.8])
    _, keep = batched_nms(boxes, scores, torch.tensor([0, 1]),
                          dict(type='nms', iou_threshold=0.5))
    assert sorted(keep.tolist()) == [0, 1]  # different classes both stay
    # offset=1 (legacy pixel convention): touching boxes overlap
    touching = torch.tensor([[0., 0., 1., 1.], [1., 0., 2., 1.]])
    _, keep = nms(touching, scores, iou_threshold=0.3, offset=1)
    assert keep.tolist() == [0]  # with offset 1: IoU 2/6 > 0.3
    _, keep = nms(touching, scores, iou_threshold=0.3, offset=0)
    assert keep.tolist() == [0, 1]


@pytest.mark.skipif(FULL_MMCV, reason='full mmcv: its own kernels')
def test_other_compiled_ops_still_raise_clearly():
    from mmcv.ops import RoIAlign
    with pytest.raises(RuntimeError, match='roi_align_forward.*mmcv-lite'):
        RoIAlign((2, 2))(torch.rand(1, 1, 4, 4),
                         torch.tensor([[0, 0, 0, 3, 3.]]))
