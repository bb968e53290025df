"""SubsetAccuracy: known answers, one evaluator for two splits."""
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmpretrain.structures import DataSample

from mmllie.evaluation import SubsetAccuracy


def _samples(split, gts, preds, num_classes=10):
    out = []
    for gt, pred in zip(gts, preds):
        score = torch.full((num_classes, ), 0.01)
        score[pred] = 0.91
        sample = DataSample(metainfo=dict(split=split))
        out.append(sample.set_gt_label(gt).set_pred_score(score))
    return out


def _evaluate(samples):
    evaluator = Evaluator([
        SubsetAccuracy(subset=s, topk=(1, 2))
        for s in ('test_night', 'test_day')
    ])
    evaluator.process(samples)
    return evaluator.evaluate(len(samples))


def test_perfect_predictions():
    gts = list(range(10))
    samples = (
        _samples('test_night', gts, gts) + _samples('test_day', gts, gts))
    metrics = _evaluate(samples)
    assert metrics == {
        'test_night/accuracy/top1': 100.0,
        'test_night/accuracy/top2': 100.0,
        'test_day/accuracy/top1': 100.0,
        'test_day/accuracy/top2': 100.0
    }


def test_known_confusion():
    # night: 3 of 4 right (a Cat called a Dog); day: 1 of 2 right, and the
    # day samples are interleaved with the night ones
    night = _samples('test_night', [5, 6, 0, 1], [6, 6, 0, 1])
    day = _samples('test_day', [2, 3], [2, 9])
    metrics = _evaluate(
        [night[0], day[0], night[1], night[2], day[1], night[3]])
    assert metrics['test_night/accuracy/top1'] == pytest.approx(75.0)
    assert metrics['test_day/accuracy/top1'] == pytest.approx(50.0)
    # top-2: the second-best score is the same 0.01 for every other class;
    # torch.topk picks one of them, so only assert it is not below top-1
    assert metrics['test_night/accuracy/top2'] >= 75.0


def test_prefix_default_and_custom():
    assert SubsetAccuracy(subset='test_day').prefix == 'test_day/accuracy'
    assert SubsetAccuracy(subset='a', prefix='day').prefix == 'day'


def test_sample_without_split_key():
    metric = SubsetAccuracy(subset='test_night')
    sample = DataSample().set_gt_label(0).set_pred_score(torch.ones(10))
    with pytest.raises(KeyError, match='meta_keys'):
        metric.process(None, [sample.to_dict()])


def test_subset_without_samples():
    evaluator = Evaluator([SubsetAccuracy(subset='test_day')])
    evaluator.process(_samples('test_night', [0], [0]))
    with pytest.raises(ValueError, match="split='test_day'"):
        evaluator.evaluate(1)
