"""Frame-to-frame change of GEM's mean gain on a generated night video
with a brightness jump, without and with gain smoothing
(``mmllie.SmoothedGainGPLLIE``).

Example:
    python tools/analysis_tools/gain_flicker.py --checkpoint gpllie.pth
"""
import argparse

import torch

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.benchmarks.gain_flicker import measure_gain_flicker, night_sequence
from mmllie.registry import MODELS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--checkpoint',
        help='enhancer-only GPLLIE checkpoint (default: an untrained GPLLIE, '
        'which is the identity: its gain is 1 on every frame, so every '
        'change is 0; pass a trained checkpoint to measure flicker)')
    parser.add_argument('--frames', type=int, default=40)
    parser.add_argument(
        '--levels',
        type=float,
        nargs=2,
        default=[0.06, 0.02],
        help='light level before and after the jump (mid-sequence)')
    parser.add_argument(
        '--time-constants', type=float, nargs='+', default=[0, 2, 5, 10])
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    if args.checkpoint:
        from mmllie.apis import load_enhancer
        enhancer = load_enhancer(args.checkpoint)
    else:
        torch.manual_seed(args.seed)
        enhancer = MODELS.build(dict(type='mmllie.GPLLIE')).eval()
    frames = night_sequence(
        args.frames, args.frames // 2, args.levels, seed=args.seed)
    result = measure_gain_flicker(enhancer, frames, args.time_constants)
    print('| time constant (frames) | mean abs change of mean gain '
          '| max abs change |')
    print('|--:|--:|--:|')
    for tau, r in result.items():
        name = 'none' if tau == 0 else f'{tau:g}'
        print(f'| {name} | {r["mean_abs_change"]:.3f} '
              f'| {r["max_abs_change"]:.3f} |')


if __name__ == '__main__':
    main()
