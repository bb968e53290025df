"""Known answers for mmdet's VOCMetric / CocoMetric on ExDark's classes."""
import pytest
import torch
from mmengine.registry import METRICS, init_default_scope

from mmllie.datasets.exdark import COCO_CLASSES, ExDarkDataset

CAR, PERSON = COCO_CLASSES.index('car'), COCO_CLASSES.index('person')
LIGHT = COCO_CLASSES.index('traffic light')  # not an ExDark class
METRICS_CFG = dict(
    voc=dict(type='VOCMetric', metric='mAP', iou_thrs=[0.5], eval_mode='area'),
    voc07=dict(
        type='VOCMetric', metric='mAP', iou_thrs=[0.5], eval_mode='11points'),
    coco=dict(type='CocoMetric', metric='bbox'))


def _metric(kind):
    init_default_scope('mmdet')
    metric = METRICS.build(
        dict(type='mmllie.ClassSubsetMetric', metric=METRICS_CFG[kind]))
    metric.dataset_meta = dict(ExDarkDataset.METAINFO)
    return metric


def _sample(img_id, gt, pred):
    """gt: [(label, box)], pred: [(label, box, score)]."""
    boxes = torch.tensor([b for _, b in gt], dtype=torch.float32)
    labels = torch.tensor([lab for lab, _ in gt])
    return dict(
        img_id=img_id,
        ori_shape=(100, 100),
        instances=[
            dict(bbox=b, bbox_label=lab, ignore_flag=0) for lab, b in gt
        ],
        gt_instances=dict(bboxes=boxes, labels=labels),
        ignored_instances=dict(
            bboxes=torch.zeros(0, 4), labels=torch.zeros(0, dtype=torch.long)),
        pred_instances=dict(
            bboxes=torch.tensor([b for _, b, _ in pred]),
            labels=torch.tensor([lab for lab, _, _ in pred]),
            scores=torch.tensor([s for _, _, s in pred])))


def _evaluate(kind, samples):
    metric = _metric(kind)
    metric.process({}, samples)
    return metric.evaluate(len(samples))


GT = [[(CAR, [10., 10., 30., 20.]), (PERSON, [50., 40., 70., 90.])],
      [(CAR, [20., 60., 40., 70.])]]


@pytest.mark.parametrize('kind,key', [('voc', 'pascal_voc/mAP'),
                                      ('coco', 'coco/bbox_mAP')])
def test_ground_truth_as_predictions(kind, key):
    samples = [
        _sample(i, gt, [(lab, b, 0.9) for lab, b in gt] +
                [(LIGHT, [0., 0., 50., 50.], 0.99)])  # other classes: ignored
        for i, gt in enumerate(GT)
    ]
    assert _evaluate(kind, samples)[key] == pytest.approx(1.0)


@pytest.mark.parametrize('kind,car_ap', [('voc', 0.5), ('voc07', 6 / 11)])
def test_known_shift_voc(kind, car_ap):
    """Second car shifted by 10 px: IoU 10/30 < 0.5, a false positive."""
    samples = [
        _sample(0, GT[0], [(CAR, [10., 10., 30., 20.], 0.9),
                           (PERSON, [50., 40., 70., 90.], 0.9)]),
        _sample(1, GT[1], [(CAR, [30., 60., 50., 70.], 0.8)])
    ]
    res = _evaluate(kind, samples)
    # car: precision 1 up to recall 1/2, then nothing: area under the curve
    # 0.5, VOC2007 11-point 6/11; person 1.0; classes without gt left out
    assert res['pascal_voc/mAP'] == pytest.approx((car_ap + 1) / 2, abs=1e-3)


def test_voc_map_forks_no_process(monkeypatch):
    """mmdet's eval_map forks a Pool per call; the wrapper gives it threads
    (a forked child of a threaded process can hang forever)."""
    from mmdet.evaluation.functional import mean_ap

    def no_fork(*args, **kwargs):
        raise AssertionError('eval_map started a process pool')

    monkeypatch.setattr(mean_ap, 'Pool', no_fork)
    samples = [
        _sample(0, GT[0], [(CAR, [10., 10., 30., 20.], 0.9),
                           (PERSON, [50., 40., 70., 90.], 0.9)]),
        _sample(1, GT[1], [(CAR, [30., 60., 50., 70.], 0.8)])
    ]
    assert _evaluate('voc', samples)['pascal_voc/mAP'] == pytest.approx(
        0.75, abs=1e-3)
    assert mean_ap.Pool is no_fork  # restored


def test_known_shift_coco():
    """One 20x10 car shifted by 2 px: IoU 18/22 = 0.818 passes 7 of the 10
    thresholds 0.50:0.05:0.95 → AP 0.7; AP50 1.0."""
    samples = [
        _sample(0, [(CAR, [10., 10., 30., 20.])],
                [(CAR, [12., 10., 32., 20.], 0.9)])
    ]
    res = _evaluate('coco', samples)
    assert res['coco/bbox_mAP'] == pytest.approx(0.7, abs=1e-3)
    assert res['coco/bbox_mAP_50'] == pytest.approx(1.0)


def test_unknown_subset_class():
    init_default_scope('mmdet')
    metric = METRICS.build(
        dict(
            type='mmllie.ClassSubsetMetric',
            metric=METRICS_CFG['voc'],
            classes=['People']))
    with pytest.raises(ValueError, match=r"\['People'\] are not in"):
        metric.dataset_meta = dict(ExDarkDataset.METAINFO)
