"""Video stability: GEM's per-channel gains smoothed over frames.

GEM predicts the gains of eq. 1 from each frame alone, so on video the
exposure can jump from one frame to the next (sensor noise, flickering
lights, a car's headlights entering the scene). :class:`SmoothedGainGPLLIE`
wraps a trained :class:`GPLLIE` and replaces each frame's gains by an
exponential moving average of the log-gains over the frames seen so far;
PAM then runs on the smoothed ``I_ge`` as usual. Training is unchanged:
the wrapper is for inference on ordered frames only.
"""
import math
from typing import Optional, Union

import torch
import torch.nn as nn

from mmllie.registry import MODELS
from .builder import build_enhancer


@MODELS.register_module()
class SmoothedGainGPLLIE(nn.Module):
    """A stateful GPLLIE whose GEM gains follow an EMA over frames.

    For frame ``t`` with GEM gains ``a_t`` (B = frames in time order)::

        log s_t = log s_{t-1} + alpha (log a_t - log s_{t-1}),
        alpha = 1 - exp(-1 / time_constant),    s_0 = a_0

    i.e. a first-order low-pass filter with time constant
    ``time_constant`` frames: after a step change of the scene's
    brightness the smoothed gain covers 63 % of the step after
    ``time_constant`` frames and 95 % after ``3 * time_constant``
    (at 30 fps, ``time_constant=5`` is 0.17 s). The average is taken on
    log-gains because gains act multiplicatively. ``time_constant=0``
    disables smoothing (each frame's own gains).

    The state persists across calls: feed a video's frames in order (any
    batch size) and call :meth:`reset` before the next video.

    Args:
        enhancer (GPLLIE | dict): A GPLLIE with GEM (module or config).
        time_constant (float): In frames, >= 0. Defaults to 5.

    Shape:
        - Input: (T, 3, H, W), consecutive frames, RGB in [0, 1].
        - Output: (T, 3, H, W).

    Example:
        >>> from mmllie.models.enhancers import GPLLIE
        >>> smooth = SmoothedGainGPLLIE(GPLLIE().eval(), time_constant=5)
        >>> smooth(torch.rand(4, 3, 37, 53) * 0.1).shape
        torch.Size([4, 3, 37, 53])
        >>> smooth.last_gains.shape  # smoothed gains of the last call
        torch.Size([4, 3])
    """

    def __init__(self,
                 enhancer: Union[nn.Module, dict],
                 time_constant: float = 5.0) -> None:
        super().__init__()
        if isinstance(enhancer, dict):
            enhancer = build_enhancer(enhancer)  # from any default scope
        if getattr(enhancer, 'gem',
                   None) is None or not hasattr(enhancer, 'pam'):
            raise TypeError('SmoothedGainGPLLIE smooths GEM gains: it needs '
                            'a GPLLIE with GEM (use_gem=True), got '
                            f'{type(enhancer).__name__}')
        if time_constant < 0:
            raise ValueError('SmoothedGainGPLLIE: time_constant must be >= '
                             f'0 frames, got {time_constant}')
        self.enhancer = enhancer
        self.time_constant = time_constant
        self.alpha = 1.0 - math.exp(-1.0 / time_constant) \
            if time_constant > 0 else 1.0
        self.state: Optional[torch.Tensor] = None
        self.last_gains: Optional[torch.Tensor] = None

    def reset(self) -> None:
        """Forget the previous frames (call before a new video)."""
        self.state = None

    def smooth(self, gains: torch.Tensor) -> torch.Tensor:
        """EMA of (T, 3) per-frame gains, continuing from the state."""
        out = []
        for log_gain in gains.log():
            if self.state is None:
                self.state = log_gain
            else:
                self.state = self.state + self.alpha * (log_gain - self.state)
            out.append(self.state)
        return torch.stack(out).exp()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance consecutive frames ``x`` (T, 3, H, W)."""
        gains = self.smooth(self.enhancer.gem(x))
        self.last_gains = gains
        x_ge = x * gains[:, :, None, None]
        pam = self.enhancer.pam
        return x_ge if pam is None else x_ge + pam(x_ge)


def gain_flicker(gains: torch.Tensor) -> dict:
    """Frame-to-frame change of the mean gain of a (T, 3) gain sequence.

    Returns:
        dict: ``mean_abs_change`` and ``max_abs_change`` of
        ``|mean_c a_t - mean_c a_{t-1}|`` over t.
    """
    change = gains.mean(dim=1).diff().abs()
    return dict(
        mean_abs_change=float(change.mean()),
        max_abs_change=float(change.max()))
