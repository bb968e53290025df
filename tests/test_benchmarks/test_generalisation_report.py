"""write_sweep: the sweep's table marks each cell against no enhancer
(⚠ more than 0.5 below it), and writes the JSON and the figure."""
import json
import os.path as osp

from mmllie.benchmarks.generalisation_report import write_sweep

RESULTS = dict(
    levels=['normal', 'hard'],
    no_enhancer=dict(
        city=dict(normal=20.0, hard=5.0, day=80.0),
        town=dict(normal=18.0, hard=6.0, day=55.0)),
    variants=['identity start'],
    rows=[
        dict(
            variant='identity start',
            num_train=0,
            miou=dict(
                city=dict(normal=20.0, hard=5.0),
                town=dict(normal=18.0, hard=6.0))),
        dict(
            variant='identity start',
            num_train=2,
            miou=dict(
                city=dict(normal=30.25, hard=4.0),
                town=dict(normal=17.75, hard=9.5))),
    ],
    train_level='hard',
    iters=300,
    seed=0,
    shift_style='town',
    data=dict(num_train=800))


def test_table_json_and_figure(tmp_path):
    write_sweep(RESULTS, str(tmp_path))
    with open(tmp_path / 'sweep.json') as f:
        assert json.load(f) == json.loads(json.dumps(RESULTS))
    lines = (tmp_path / 'sweep.md').read_text().splitlines()
    assert lines[0] == ('| enhancer | training scenes | normal | hard | '
                        'normal (town) | hard (town) |')
    assert lines[2] == '| day images | – | 80.00 | 80.00 | 55.00 | 55.00 |'
    assert lines[3] == '| no enhancer | – | 20.00 | 5.00 | 18.00 | 6.00 |'
    assert lines[4] == ('| identity start | untrained | 20.00 (+0.0) | '
                        '5.00 (+0.0) | 18.00 (+0.0) | 6.00 (+0.0) |')
    # 4.0 is 1.0 below no enhancer (⚠); 17.75 only 0.25 below (no mark)
    assert lines[5] == ('| identity start | 2 | 30.25 (+10.2) | 4.00 (-1.0) ⚠ '
                        '| 17.75 (-0.2) | 9.50 (+3.5) |')
    assert '"town" columns' in lines[-1]
    assert osp.getsize(tmp_path / 'sweep.png') > 1000
