"""Enhancer + recognizer on a video: input | enhanced | prediction per
frame, streamed (frames are never all in memory), written to
``--out-dir/<video name>.mp4``.

Example:
    python demo/video_demo.py night.mp4 \\
        configs/nightcity_deeplabv3plus_gpllie.py iter_10000.pth \\
        --out-dir demo_out --smooth-gains 5

``--smooth-gains N`` wraps the trained GPLLIE in
``mmllie.SmoothedGainGPLLIE``: GEM's per-channel gains follow an
exponential moving average over the frames (time constant N frames), so
the exposure does not jump from frame to frame.
"""
import argparse
import os.path as osp

from mmengine.utils import ProgressBar

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.apis import build_inferencer
from mmllie.apis.media_io import (VideoSink, check_outputs, open_video,
                                  read_frames)
from mmllie.apis.visualize import demo_panel
from mmllie.models.enhancers import SmoothedGainGPLLIE
from mmllie.utils.device import check_device


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('video', help='video file (what OpenCV reads)')
    parser.add_argument('config', help='mmllie config file')
    parser.add_argument('checkpoint', help='enhancer + recognizer checkpoint')
    parser.add_argument('--out-dir', default='demo_out')
    parser.add_argument(
        '--ext',
        default='.mp4',
        choices=['.mp4', '.avi'],
        help='output container (mp4v or MJPG)')
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    parser.add_argument(
        '--smooth-gains',
        type=float,
        default=0,
        metavar='FRAMES',
        help='smooth GEM gains over frames with this EMA time constant '
        '(frames; 0: each frame alone)')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace an existing output')
    return parser.parse_args()


def smooth_gains(inferencer, time_constant: float) -> None:
    """Replace the model's GPLLIE by a gain-smoothed one (in place)."""
    pre = inferencer.model.data_preprocessor
    enhancer = getattr(pre, 'enhancer', None)
    if enhancer is None:
        raise ValueError('--smooth-gains needs a model with a GPLLIE '
                         'enhancer; this config has none')
    pre.enhancer = SmoothedGainGPLLIE(enhancer, time_constant)
    print(f'GEM gains smoothed over frames (time constant '
          f'{time_constant:g} frames)')


def main() -> None:
    args = parse_args()
    stem = osp.splitext(osp.basename(args.video))[0]
    out = osp.join(args.out_dir, stem + args.ext)
    check_outputs([out], [args.video], args.overwrite)
    check_device(args.device)
    cap, fps, count = open_video(args.video)
    inferencer = build_inferencer(args.config, args.checkpoint, args.device)
    if args.smooth_gains:
        smooth_gains(inferencer, args.smooth_gains)
    sink = VideoSink(out, fps)
    bar = ProgressBar(count)
    try:
        for frame in read_frames(cap):
            sink.write(demo_panel(inferencer, frame))
            bar.update()
    finally:
        sink.close()
    print(f'\nwrote {sink.count} frames to {out}')


if __name__ == '__main__':
    main()
