"""A module's own random stream, whose state a checkpoint carries.

A module that draws random numbers during training (on-the-fly darkening,
exposure augmentation) keeps them in its own :class:`ModuleGenerator`
instead of torch's global generator. ``mmllie.FreezeRecognizerHook`` saves
the state of every such generator of the model into each checkpoint
(:func:`collect_rng_states`) and restores it on ``--resume``
(:func:`restore_rng_states`), so a resumed run draws the same numbers as
an uninterrupted one.
"""
import logging
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.logging import print_log

#: Checkpoint key holding ``{module name: generator state}``.
RNG_KEY = 'mmllie_rng_states'


class ModuleGenerator:
    """A ``torch.Generator`` made lazily on the device of the data.

    Args:
        seed (int, optional): Fixed seed. ``None`` seeds it with one draw
            of torch's global generator at the first use (which MMEngine's
            ``randomness`` seeds), so a run is still reproducible.
    """

    def __init__(self, seed: Optional[int] = None) -> None:
        self.seed = seed
        self._generator: Optional[torch.Generator] = None
        self._pending: Optional[dict] = None

    def get(self, device: torch.device) -> torch.Generator:
        """The generator on ``device`` (made, seeded or restored once)."""
        device = torch.device(device)
        if self._generator is not None and \
                self._generator.device.type == device.type:
            return self._generator
        self._generator = torch.Generator(device=device)
        pending, self._pending = self._pending, None
        if pending is not None and pending['device'] == device.type:
            self._generator.set_state(pending['state'])
            return self._generator
        if pending is not None:
            print_log(
                f'the random state of a {pending["device"]} generator cannot '
                f'continue on {device.type}; its numbers start afresh (the '
                'run is not bit-identical to an uninterrupted one)',
                logger='current',
                level=logging.WARNING)
        if self.seed is not None:
            self._generator.manual_seed(self.seed)
        else:
            self._generator.manual_seed(
                int(torch.randint(2**62, (1, )).item()))
        return self._generator

    def state(self) -> Optional[dict]:
        """``dict(device=..., state=uint8 tensor)``; None before first
        use (then nothing was drawn yet)."""
        if self._generator is None:
            return self._pending
        return dict(
            device=self._generator.device.type,
            state=self._generator.get_state())

    def load_state(self, state: dict) -> None:
        """Continue from ``state`` (applied at the next use)."""
        self._generator = None
        self._pending = dict(state)


def _generators(model: nn.Module) -> Dict[str, ModuleGenerator]:
    return {
        name: module.rng
        for name, module in model.named_modules()
        if isinstance(getattr(module, 'rng', None), ModuleGenerator)
    }


def collect_rng_states(model: nn.Module) -> Dict[str, dict]:
    """``{module name: state}`` of every module generator of ``model``."""
    states = {}
    for name, gen in _generators(model).items():
        state = gen.state()
        if state is not None:
            states[name] = state
    return states


def restore_rng_states(model: nn.Module, states: Dict[str, dict]) -> list:
    """Load ``states`` (from :func:`collect_rng_states`) into ``model``.

    Returns:
        list[str]: Names in ``states`` that ``model`` has no generator for.
    """
    gens = _generators(model)
    for name, state in states.items():
        if name in gens:
            gens[name].load_state(state)
    return sorted(set(states) - set(gens))


__all__ = [
    'ModuleGenerator', 'RNG_KEY', 'collect_rng_states', 'restore_rng_states'
]
