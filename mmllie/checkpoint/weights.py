"""Small, weights-only copies of training checkpoints (for shipping)."""
import os.path as osp

from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint


def save_model_weights(checkpoint: str, out_file: str) -> str:
    """Keep only ``state_dict`` (no optimizer / message hub) of a checkpoint.

    Args:
        checkpoint (str): A training checkpoint.
        out_file (str): Where to write the weights-only copy.

    Returns:
        str: ``out_file``.
    """
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    if 'state_dict' not in ckpt:
        raise KeyError(f'{checkpoint} has no "state_dict"')
    meta = {k: v for k, v in ckpt.get('meta', {}).items() if k in ('seed', )}
    meta['source'] = osp.basename(checkpoint)
    save_checkpoint(dict(state_dict=ckpt['state_dict'], meta=meta), out_file)
    return out_file
