"""A ``--device`` argument checked before any file is read."""
import torch


def check_device(device: str) -> torch.device:
    """The ``torch.device`` named by ``device``, if this machine has it.

    Args:
        device (str): e.g. ``'cpu'``, ``'cuda'``, ``'cuda:1'``.

    Raises:
        ValueError: ``device`` is no device name, or this machine has no
            such device (CUDA not available, too few GPUs).
    """
    try:
        dev = torch.device(device)
    except RuntimeError as e:
        raise ValueError(f'--device {device!r} is not a device name (e.g. '
                         f"'cpu', 'cuda', 'cuda:0'): {e}") from None
    if dev.type == 'cuda':
        if not torch.cuda.is_available():
            raise ValueError(
                f'--device {device}: CUDA is not available on this machine '
                '(no GPU, or a CPU-only PyTorch); use --device cpu.')
        count = torch.cuda.device_count()
        if dev.index is not None and dev.index >= count:
            raise ValueError(f'--device {device}: this machine has {count} '
                             f'CUDA device(s), cuda:0 to cuda:{count - 1}.')
    elif dev.type == 'mps' and not (hasattr(torch.backends, 'mps')
                                    and torch.backends.mps.is_available()):
        raise ValueError(f'--device {device}: MPS is not available on this '
                         'machine; use --device cpu.')
    return dev


__all__ = ['check_device']
