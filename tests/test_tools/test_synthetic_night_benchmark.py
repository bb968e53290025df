"""tools/synthetic_night_benchmark.py: the task table drives its options,
and each task reaches its runner with the task's defaults and its --quick
mode. The runners themselves are replaced by recorders here; the slow
tests run each task for real (tiny or --quick)."""
import importlib.util
import os
import os.path as osp

import pytest

from mmllie.benchmarks import (city_frames, classification, detection,
                               generalisation, real_night)
from mmllie.benchmarks import synthetic_night as segmentation
from mmllie.benchmarks.tasks import TASKS
from mmllie.utils.mim_config import get_config_path

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'synthetic_night_benchmark.py')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('night_benchmark', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def calls(monkeypatch):
    """Every runner of the table records its call and writes a table."""
    log = []

    def recorder(table):

        def run(work_dir, *args, **kwargs):
            log.append((args, kwargs))
            os.makedirs(work_dir, exist_ok=True)
            with open(osp.join(work_dir, table), 'w') as f:
                f.write('| setting | recorded |\n')
            return dict(recorded=True)

        return run

    for module, name, table in (
        (segmentation, 'run_synthetic_night_benchmark', 'results.md'),
        (generalisation, 'run_generalisation_sweep', 'sweep.md'),
        (classification, 'run_classification_benchmark', 'results.md'),
        (detection, 'run_detection_benchmark', 'results.md'),
        (real_night, 'run_real_night_benchmark', 'results.md'),
    ):
        monkeypatch.setattr(module, name, recorder(table))
    return log


def test_task_table():
    assert list(TASKS) == [
        'segmentation', 'sweep', 'classification', 'detection', 'real',
        'city-frames'
    ]
    roots = {name: task.data_root for name, task in TASKS.items()}
    assert roots == dict(
        segmentation='data/synthetic_city',
        sweep='data/synthetic_city',
        classification='data/synthetic_city_64x128',
        detection='data/synthetic_city_det',
        real=None,
        **{'city-frames': 'data/synthetic_city'})
    for task in TASKS.values():
        assert task.table in task.outputs and task.table.endswith('.md')
        assert {'iters', 'seeds', 'recognizer'} <= set(task.options)
        if task.train is not None:
            assert osp.isfile(task.weights), task.name
    assert TASKS['classification'].options == ('level', 'iters', 'seeds',
                                               'quick', 'recognizer')
    assert TASKS['real'].train is None
    assert osp.isfile(TASKS['city-frames'].weights)


@pytest.mark.parametrize(
    'argv, expected',
    [
        # the README's main job, its --quick and --full modes
        ([], dict(iters=300, seeds=[0], settings=None, level='hard')),
        (['--quick'], dict(iters=40, seeds=[0], levels=('hard', ))),
        (['--full', '--seeds', '3', '4'
          ], dict(seeds=[3, 4], settings=list(segmentation.SETTINGS))),
        (['--img-size', '64', '128', '--recognizer', 'r.pth'],
         dict(
             recognizer='r.pth',
             data=dict(segmentation.DATA, img_size=(64, 128)))),
    ])
def test_segmentation(tool, calls, capsys, tmp_path, argv, expected):
    tool.main(['--work-dir', str(tmp_path)] + argv)
    (args, kwargs), = calls
    assert kwargs['data_root'] == 'data/synthetic_city'
    assert {k: kwargs[k] for k in expected} == expected
    out = capsys.readouterr().out
    assert '| setting | recorded |' in out
    assert f'results: {tmp_path}/ results.json, results.md, figure.png' in out


def test_classification(tool, calls, tmp_path):
    tool.main([
        '--task', 'classification', '--work-dir',
        str(tmp_path), '--quick', '--classifier', 'c.pth', '--seed', '2'
    ])
    tool.main(['--task', 'classification', '--work-dir', str(tmp_path)])
    assert [kwargs for _, kwargs in calls] == [
        dict(
            data_root='data/synthetic_city_64x128',
            level='hard',
            seed=2,
            classifier='c.pth',
            iters=40,
            levels=('hard', )),
        dict(
            data_root='data/synthetic_city_64x128',
            level='hard',
            seed=0,
            classifier=None,
            iters=300)
    ]


def test_detection(tool, calls, tmp_path):
    tool.main([
        '--task', 'detection', '--work-dir',
        str(tmp_path), '--quick', '--detector', 'd.pth', '--level', 'normal'
    ])
    tool.main(['--task', 'detection', '--work-dir', str(tmp_path)])
    quick, full = [kwargs for _, kwargs in calls]
    assert quick == dict(
        level='normal',
        seed=0,
        detector='d.pth',
        iters=20,
        levels=('normal', ),
        data_root=osp.join('data/synthetic_city_det', 'quick'),
        data=dict(detection.DATA, num_train=16, num_val=8))
    assert full == dict(
        level='hard',
        seed=0,
        detector=None,
        iters=300,
        data_root='data/synthetic_city_det')


def test_real_as_the_readme_runs_it(tool, calls, capsys, tmp_path):
    tool.main([
        '--work-dir',
        str(tmp_path), '--real', 'a.py', 'b.py', '--recognizer', 'r.pth',
        '--data-root', 'cs', '--workers', '2'
    ])
    (args, kwargs), = calls
    assert args == ('cs', 'a.py', 'b.py')
    assert kwargs == dict(
        recognizer='r.pth',
        levels=real_night.LEVELS,
        iters=300,
        seed=0,
        workers=2,
        enhancer_options=None)
    assert 'results: ' in capsys.readouterr().out


def test_real_with_one_lever(tool, calls, tmp_path):
    tool.main([
        '--work-dir',
        str(tmp_path), '--real', 'a.py', 'b.py', '--recognizer', 'r.pth',
        '--data-root', 'cs', '--enhancer-options', 'use_pam=False',
        'smoothing.prior_index=1'
    ])
    (_, kwargs), = calls
    assert kwargs['enhancer_options'] == {
        'use_pam': False,
        'smoothing.prior_index': 1
    }


def test_city_frames(tool, calls, monkeypatch, tmp_path):
    made = []
    monkeypatch.setattr(
        city_frames, 'prepare_city_frames',
        lambda root, frames, data: made.append(
            (root, frames, data)) or f'{root}/cs-{frames}')
    tool.main(['--task', 'city-frames', '--work-dir', str(tmp_path)])
    tool.main([
        '--task', 'city-frames', '--work-dir',
        str(tmp_path), '--frames', '2', '--levels', 'hard', '--seed', '1',
        '--enhancer-options', 'use_pam=True'
    ])
    assert made == [('data/synthetic_city', 8, None),
                    ('data/synthetic_city', 2, None)]
    (default_args, default), (args, kwargs) = calls
    # the real benchmark's runner, with the generated frames' recipes
    assert default_args == ('data/synthetic_city/cs-8', ) + tuple(
        get_config_path(c) for c in city_frames.CONFIGS)
    assert all(osp.isfile(c) for c in default_args[1:])
    assert default == dict(
        recognizer=city_frames.RECOGNIZER,
        levels=real_night.LEVELS,
        iters=300,
        seed=0,
        workers=None,
        enhancer_options=None)
    assert args[0] == 'data/synthetic_city/cs-2'
    assert (kwargs['levels'], kwargs['seed'],
            kwargs['enhancer_options']) == (['hard'], 1, dict(use_pam=True))


def test_city_frames_train_recognizer(tool, monkeypatch, capsys, tmp_path):
    seen = []
    monkeypatch.setattr(
        city_frames, 'train_recognizer',
        lambda *args: seen.append(args) or osp.join(
            args[0], osp.basename(city_frames.RECOGNIZER)))
    tool.main([
        '--task', 'city-frames', '--train-recognizer', '--recognizer-iters',
        '5', '--work-dir',
        str(tmp_path)
    ])
    work_dir = osp.join(str(tmp_path), 'day_recognizer')
    assert seen == [(work_dir, 'data/synthetic_city', 5)]
    assert '--task city-frames --recognizer' in capsys.readouterr().out
    with pytest.raises(ValueError, match='one --recognizer-iters value'):
        tool.main([
            '--task', 'city-frames', '--train-recognizer',
            '--recognizer-iters', '5', '6', '--work-dir',
            str(tmp_path)
        ])


def test_sweep(tool, calls, tmp_path):
    tool.main(['--sweep', '--sizes', '2', '8', '--work-dir', str(tmp_path)])
    (args, kwargs), = calls
    assert kwargs == dict(
        data_root='data/synthetic_city',
        sizes=[2, 8],
        iters=300,
        train_level='hard',
        seed=0,
        recognizer=None)


def test_train_recognizer(tool, monkeypatch, capsys, tmp_path):
    seen = {}
    monkeypatch.setattr(detection, 'prepare_scenes',
                        lambda root, levels: dict(day=f'{root}/day'))
    monkeypatch.setattr(detection, 'train_detector',
                        lambda *args: seen.setdefault('args', args)[2])
    tool.main([
        '--task', 'detection', '--train-recognizer', '--recognizer-iters', '5',
        '--work-dir',
        str(tmp_path)
    ])
    work_dir = osp.join(str(tmp_path), 'day_recognizer')
    out = osp.join(work_dir, osp.basename(detection.DETECTOR))
    assert seen['args'] == (work_dir, 'data/synthetic_city_det/day', out, 5)
    assert f'--task detection --recognizer {out}' in capsys.readouterr().out


@pytest.mark.parametrize('argv, message', [
    (['--levels', 'hard'], '--levels is not an option of --task '
     'segmentation'),
    (['--task', 'classification', '--full'], '--full is not an option'),
    (['--task', 'detection', '--level', 'full'], 'takes one of'),
    (['--task', 'detection', '--real', 'a', 'b'], 'give one of them'),
    (['--task', 'real'], '--task real needs --real'),
    (['--real', 'a', 'b', '--data-root', 'cs'], 'and --recognizer'),
    ([
        '--task', 'real', '--real', 'a', 'b', '--data-root', 'cs',
        '--recognizer', 'r', '--train-recognizer'
    ], 'no day recognizer'),
    (['--task', 'classification', '--train-recognizer', '--iters', '5'
      ], '--iters is not an option of --task classification '
     '--train-recognizer'),
])
def test_options_the_task_does_not_take(tool, capsys, argv, message):
    with pytest.raises(SystemExit):
        tool.parse_args(argv)
    assert message in capsys.readouterr().err


def test_one_seed_tasks(tool, calls, tmp_path):
    with pytest.raises(ValueError, match='one seed'):
        tool.main([
            '--task', 'classification', '--seeds', '0', '1', '--work-dir',
            str(tmp_path)
        ])
    assert calls == []


def test_run_benchmark_checks_task_and_options(calls, tmp_path):
    from mmllie.benchmarks.tasks import run_benchmark, train_day_recognizer
    with pytest.raises(KeyError, match='unknown benchmark task'):
        run_benchmark('depth', str(tmp_path))
    with pytest.raises(TypeError, match=r"takes no \['full'\]"):
        run_benchmark('classification', str(tmp_path), full=True)
    with pytest.raises(ValueError, match='needs a data_root'):
        run_benchmark('real', str(tmp_path))
    with pytest.raises(ValueError, match='no day recognizer'):
        train_day_recognizer('real', str(tmp_path))
    assert calls == []
