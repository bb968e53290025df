"""Table (Markdown + JSON) of the real-frames benchmark."""
from .common import write_results
from .real_night import RECIPES, TITLES


def _cell(row: dict) -> str:
    rec = row.get('recovered')
    share = '' if rec is None else f', {100 * rec:+.0f} %'
    return (f'{row["mIoU"]:.2f}{share}, worse on {row["worse"]}/'
            f'{row["total"]}')


def _compact(cfg: dict) -> str:
    """``dict(k=v, ...)`` of a config, nested dicts included."""
    items = ', '.join(f'{k}={_compact(v) if isinstance(v, dict) else repr(v)}'
                      for k, v in cfg.items())
    return f'dict({items})'


def real_results_table(results: dict) -> str:
    """The Markdown table of :func:`~mmllie.benchmarks.real_night.
    run_real_night_benchmark`'s results."""
    head = ['level', 'day', 'no enhancer', 'start (untrained)'
            ] + [TITLES[r] for r in RECIPES]
    lines = ['| ' + ' | '.join(head) + ' |', '|---|' + '--:|' * 5]
    n = len(results['day']['per_image'])
    for level, entry in results['levels'].items():
        cells = [
            level, f'{results["day"]["mIoU"]:.2f}',
            f'{entry["night"]["mIoU"]:.2f}'
        ] + [_cell(entry['rows'][name]) for name in ('start', *RECIPES)]
        lines.append('| ' + ' | '.join(cells) + ' |')
    enhancer = results.get('enhancer')
    lines += [
        '', f'mIoU on {n} val frames (whole frames, darkened with the test '
        'pipeline\'s fixed seed); "+x %": share of the day -> night drop '
        'recovered; "worse on k/n": frames whose own mIoU is below no '
        f'enhancer\'s. Enhancers: {results["iters"]} iterations, seed '
        f'{results["seed"]}, trained on the train frames darkened at the '
        'row\'s level.' +
        ('' if enhancer is None else f' Enhancer: `{_compact(enhancer)}`.')
    ]
    return '\n'.join(lines) + '\n'


def write_real_results(results: dict, work_dir: str) -> None:
    """``results.json`` (per-image values included) and ``results.md``."""
    write_results(results, work_dir, real_results_table)
