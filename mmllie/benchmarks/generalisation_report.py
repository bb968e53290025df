"""Table (Markdown + JSON) and curve of the generalisation sweep."""
import json
import os.path as osp

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def _label(n: int) -> str:
    return 'untrained' if n == 0 else str(n)


def write_sweep(results: dict, work_dir: str) -> None:
    """``sweep.json``, ``sweep.md`` and ``sweep.png`` in ``work_dir``."""
    with open(osp.join(work_dir, 'sweep.json'), 'w') as f:
        json.dump(results, f, indent=2)
    levels, base = results['levels'], results['no_enhancer']
    styles = list(base)
    head = ['enhancer', 'training scenes'] + [
        f'{lv}' + ('' if s == 'city' else f' ({s})') for s in styles
        for lv in levels
    ]
    lines = [
        '| ' + ' | '.join(head) + ' |', '|---|--:|' + '--:|' * (len(head) - 2)
    ]
    for name in ('day', None):
        cells = ['day images' if name else 'no enhancer', '–'] + [
            f'{base[s]["day"]:.2f}' if name else f'{base[s][lv]:.2f}'
            for s in styles for lv in levels
        ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    for row in results['rows']:
        cells = [row['variant'], _label(row['num_train'])]
        for s in styles:
            for lv in levels:
                value, ref = row['miou'][s][lv], base[s][lv]
                mark = ' ⚠' if value < ref - 0.5 else ''
                cells.append(f'{value:.2f} ({value - ref:+.1f}){mark}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines += [
        '', 'mIoU on the unseen val scenes (in brackets: change vs no '
        'enhancer; ⚠: more than 0.5 below it). Trained on the first N '
        f'training scenes at "{results["train_level"]}", '
        f'{results["iters"]} iterations, batch 8, Adam 5e-4, seed '
        f'{results["seed"]}; "{results["shift_style"]}" columns: val scenes '
        'of another generator style, never trained on. Data: '
        f'{results["data"]}.'
    ]
    with open(osp.join(work_dir, 'sweep.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    _plot(results, osp.join(work_dir, 'sweep.png'))


def _plot(results: dict, out_file: str) -> None:
    levels, base = results['levels'], results['no_enhancer']
    fig, axes = plt.subplots(
        1, len(levels), figsize=(4.2 * len(levels), 3.4), squeeze=False)
    sizes = sorted({row['num_train'] for row in results['rows']})
    xs = range(len(sizes))
    colours = plt.rcParams['axes.prop_cycle'].by_key()['color']
    for ax, lv in zip(axes[0], levels):
        for i, name in enumerate(results['variants']):
            rows = {
                r['num_train']: r
                for r in results['rows'] if r['variant'] == name
            }
            for style, dash in zip(base, ('-', '--')):
                ys = [rows[n]['miou'][style][lv] for n in sizes]
                ax.plot(
                    xs,
                    ys,
                    dash,
                    marker='o',
                    color=colours[i % len(colours)],
                    label=f'{name} ({style})')
        for style, dash in zip(base, ('-', '--')):
            ax.axhline(
                base[style][lv],
                color='grey',
                ls=dash,
                label=f'no enhancer ({style})')
        ax.set_xticks(list(xs), [_label(n) for n in sizes])
        ax.set_xlabel('training scenes')
        ax.set_title(f'{lv}')
        ax.grid(alpha=.3)
    axes[0][0].set_ylabel('mIoU on unseen scenes')
    axes[0][-1].legend(fontsize=7, loc='best')
    fig.tight_layout()
    fig.savefig(out_file, dpi=110)
    plt.close(fig)
