"""What every embedded benchmark shares: its progress log, its Markdown
rows and its ``results.json`` / ``results.md``."""
import json
import os
import os.path as osp
import time
from typing import Callable, Iterable, Optional

from mmengine.logging import print_log


def log(tag: str, msg: str) -> None:
    """``[tag] msg`` to the current MMEngine logger."""
    print_log(f'[{tag}] {msg}', logger='current')


def md_row(cells: Iterable) -> str:
    """One Markdown table row of ``cells`` (each formatted by ``str``)."""
    return '| ' + ' | '.join(str(c) for c in cells) + ' |'


def write_results(results: dict,
                  work_dir: str,
                  table: Callable[[dict], str],
                  start: Optional[float] = None) -> str:
    """Write ``results.json`` and ``results.md`` (``table(results)``).

    Args:
        results (dict): What the benchmark measured (JSON-serialisable).
        work_dir (str): Output directory (created if absent).
        table (Callable): Markdown of ``results``.
        start (float, optional): ``time.time()`` when the run began: the
            run's duration is stored as ``results['seconds']``.

    Returns:
        str: The Markdown written.
    """
    if start is not None:
        results['seconds'] = round(time.time() - start, 1)
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=2)
    text = table(results)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(text)
    return text
