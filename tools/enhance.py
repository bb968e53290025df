"""Enhance images or a video with an enhancer alone (no recognizer).

The input is an image, a folder of images (8/16-bit, grey, BGR, BGRA: each
is written back in its own format) or a video; any size; consecutive
images of one size are batched. Nothing is overwritten without
``--overwrite``.

Example:
    python tools/enhance.py gpllie.pth night_images/ enhanced/
    python tools/enhance.py gpllie.pth night.mp4 night_enhanced.mp4 \\
        --smooth-gains 5
"""
import argparse
import os.path as osp

import torch
from mmengine.runner.checkpoint import _load_checkpoint
from mmengine.utils import ProgressBar

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.apis import enhance_batches, load_enhancer
from mmllie.apis.enhance import TILE_ABOVE, TILE_OVERLAP, TILE_SIZE
from mmllie.apis.media_io import (VideoSink, check_outputs, is_video,
                                  list_images, open_video, read_frames,
                                  read_image, write_image)
from mmllie.checkpoint.enhancer import PREFIX
from mmllie.checkpoint.resume import check_checkpoint_file
from mmllie.utils.device import check_device


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'checkpoint',
        help='enhancer-only checkpoint (tools/model_converters/'
        'export_enhancer.py or zero_dce_official.py)')
    parser.add_argument('input', help='image, folder of images, or video')
    parser.add_argument(
        'out', help='output folder (images) or video file (.mp4, .avi)')
    parser.add_argument(
        '--enhancer',
        help='expected enhancer type (e.g. GPLLIE); a checkpoint of another '
        'type is refused')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--smooth-gains',
        type=float,
        default=0,
        metavar='FRAMES',
        help='video: smooth GEM gains over frames with this EMA time '
        'constant (mmllie.SmoothedGainGPLLIE); 0 = off')
    parser.add_argument(
        '--tile-above',
        type=int,
        default=TILE_ABOVE,
        metavar='PIXELS',
        help='enhance images with more pixels than this tile by tile (GEM '
        'gains from the whole image, PAM on overlapping tiles: the same '
        'output with far less memory; GPLLIE enhancers); 0: always')
    parser.add_argument(
        '--no-tile', action='store_true', help='never enhance tile by tile')
    parser.add_argument(
        '--tile-size',
        type=int,
        default=TILE_SIZE,
        help='tile size in pixels (a multiple of 16)')
    parser.add_argument(
        '--tile-overlap',
        type=int,
        default=TILE_OVERLAP,
        help='pixels each tile extends into its neighbours (a multiple of '
        '16, larger than PAM\'s receptive field of about 46)')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace existing outputs')
    return parser.parse_args()


def enhancer_from_args(args: argparse.Namespace) -> torch.nn.Module:
    """Load the checkpoint; check its type against ``--enhancer``."""
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint {args.checkpoint} does not '
                                'exist')
    check_checkpoint_file(args.checkpoint)
    ckpt = _load_checkpoint(args.checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    if any(k.startswith(PREFIX) for k in state):
        raise ValueError(f'{args.checkpoint} is a full training checkpoint; '
                         'write its enhancer first: python tools/'
                         'model_converters/export_enhancer.py '
                         f'{args.checkpoint} enhancer.pth')
    cfg = ckpt.get('meta', {}).get('enhancer_cfg') or {}
    stored = str(cfg.get('type', 'GPLLIE')).split('.')[-1]
    if args.enhancer and args.enhancer.split('.')[-1] != stored:
        raise TypeError(f'{args.checkpoint} holds a {stored} enhancer, not '
                        f'the requested {args.enhancer}')
    enhancer = load_enhancer(args.checkpoint, map_location=args.device)
    if args.smooth_gains:
        from mmllie.models.enhancers import SmoothedGainGPLLIE
        enhancer = SmoothedGainGPLLIE(enhancer, args.smooth_gains)
    return enhancer.to(args.device).eval()


def tiling(args: argparse.Namespace) -> dict:
    """``enhance_batches`` tiling options from the command line."""
    return dict(
        tile_above=None if args.no_tile else args.tile_above,
        tile=args.tile_size,
        overlap=args.tile_overlap)


def enhance_video(args: argparse.Namespace, enhancer) -> None:
    check_outputs([args.out], [args.input], args.overwrite)
    cap, fps, count = open_video(args.input)
    sink = VideoSink(args.out, fps)
    bar = ProgressBar(count)
    try:
        for frame in enhance_batches(enhancer, read_frames(cap),
                                     args.batch_size, args.device,
                                     **tiling(args)):
            sink.write(frame)
            bar.update()
    finally:
        sink.close()
    print(f'\nwrote {sink.count} frames to {args.out}')


def enhance_images(args: argparse.Namespace, enhancer) -> None:
    if args.smooth_gains:
        raise ValueError('--smooth-gains is for videos (ordered frames)')
    files = list_images(args.input)
    if osp.isfile(args.input) and osp.splitext(args.out)[1]:
        outs = [args.out]  # one image → one file
    else:
        outs = [osp.join(args.out, osp.basename(f)) for f in files]
    check_outputs(outs, files, args.overwrite)
    bar = ProgressBar(len(files))
    images = (read_image(f) for f in files)
    for out, img in zip(
            outs,
            enhance_batches(enhancer, images, args.batch_size, args.device,
                            files, **tiling(args))):
        write_image(out, img)
        bar.update()
    print(f'\nwrote {len(outs)} images to {osp.dirname(outs[0]) or "."}')


def main() -> None:
    args = parse_args()
    if args.batch_size < 1:
        raise ValueError(f'--batch-size must be >= 1, got {args.batch_size}')
    if not osp.exists(args.input):
        raise FileNotFoundError(f'input {args.input} does not exist')
    check_device(args.device)
    enhancer = enhancer_from_args(args)
    with torch.inference_mode():
        if is_video(args.input):
            enhance_video(args, enhancer)
        else:
            enhance_images(args, enhancer)


if __name__ == '__main__':
    main()
