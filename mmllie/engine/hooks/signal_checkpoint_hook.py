"""A scheduler's SIGTERM ends training with a checkpoint, not lost work."""
import os
import os.path as osp
import signal
from typing import Optional, Sequence

import torch
from mmengine.dist import all_reduce, get_world_size, is_main_process
from mmengine.hooks import Hook

from mmllie.registry import HOOKS

#: Exit status of a run stopped by a signal (128 + the signal number, as a
#: shell reports a process killed by it).
SIGNAL_EXIT = 128


class TrainingStopped(SystemExit):
    """Training stopped on a signal after saving its checkpoint."""


@HOOKS.register_module()
class SignalCheckpointHook(Hook):
    """Save a checkpoint of the iteration reached when a signal asks the run
    to stop, log where it stopped, and exit.

    Slurm and most schedulers send SIGTERM some time before they kill a
    job. With this hook the iteration in progress is finished, a checkpoint
    of it is written to the work dir (``iter_N.pth`` or ``epoch_N.pth``
    for an epoch-based loop, through ``runner.save_checkpoint``, so every
    ``before_save_checkpoint`` hook runs) and ``last_checkpoint`` points at
    it; the log says at which iteration training stopped, and the process
    exits with status ``128 + signal``. ``tools/train.py --resume``
    continues from it. In distributed training, all ranks stop at the same
    iteration once any of them got the signal.

    The signal handlers are installed when the hook is built, before the
    data loader starts its worker processes, so that workers ignore the
    signal the main process acts on (a scheduler signals every process of
    the job). Outside training (e.g. a test run of the same config) the
    signal keeps its previous effect.

    Args:
        signals (Sequence[str]): Names of the signals that stop training.
            Defaults to ``('SIGTERM', )``.
    """

    priority = 'LOWEST'  # after CheckpointHook's own save of an iteration

    def __init__(self, signals: Sequence[str] = ('SIGTERM', )) -> None:
        self.signums = []
        for name in signals:
            num = getattr(signal, str(name), None)
            if not isinstance(num, signal.Signals):
                raise ValueError(f'SignalCheckpointHook: unknown signal '
                                 f'{name!r}; expected names such as '
                                 "'SIGTERM', 'SIGUSR1'")
            self.signums.append(num)
        self._pid = os.getpid()
        self._armed = False
        self._received: Optional[int] = None
        self._previous = {}
        for num in self.signums:
            try:
                self._previous[num] = signal.signal(num, self._handle)
            except ValueError:  # not the main thread: nothing to catch
                pass

    def _handle(self, signum: int, frame) -> None:
        if os.getpid() != self._pid:
            return  # a data-loader worker: the main process stops the run
        if self._armed:
            self._received = signum
            # the data-loader workers may get the same signal: their end
            # must not raise in the middle of this iteration
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            return
        # not training: the signal does what it did before
        previous = self._previous.get(signum, signal.SIG_DFL)
        if callable(previous):
            previous(signum, frame)
            return
        signal.signal(signum, previous)
        os.kill(os.getpid(), signum)

    def before_train(self, runner) -> None:
        self._armed = True

    def after_train(self, runner) -> None:
        self._armed = False

    def _stop_requested(self) -> Optional[int]:
        received = self._received or 0
        if get_world_size() > 1:  # stop on every rank at the same step
            flag = torch.tensor([received], dtype=torch.int64)
            all_reduce(flag, op='max')
            received = int(flag.item())
        return received or None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        signum = self._stop_requested()
        if signum is not None:
            self._save_and_stop(runner, signum, runner.iter + 1)

    @classmethod
    def stop_after_error(cls, runner) -> None:
        """Called with an exception out of ``runner.train()``: if a signal
        stopped the run (its data-loader workers, signalled too, ended
        while the main process waited for a batch), save the iteration
        reached and stop as :meth:`after_train_iter` does. Otherwise
        return; the caller re-raises."""
        hook = next((h for h in runner.hooks if isinstance(h, cls)), None)
        if hook is not None and hook._armed and hook._received:
            hook._save_and_stop(runner, hook._received, runner.iter)

    def _save_and_stop(self, runner, signum: int, done: int) -> None:
        """Checkpoint of ``done`` completed iterations, a log line, exit."""
        self._armed = False
        sig = signal.Signals(signum).name
        if runner.train_loop.__class__.__name__.startswith('Epoch'):
            runner.logger.warning(
                f'{sig} received: training stopped in epoch '
                f'{runner.epoch + 1} after iteration {done}; an epoch-based '
                'run resumes from its last epoch checkpoint only')
            raise TrainingStopped(SIGNAL_EXIT + signum)
        name = f'iter_{done}.pth'
        path = osp.join(runner.work_dir, name)
        runner.save_checkpoint(
            runner.work_dir,
            name,
            save_optimizer=True,
            meta=dict(iter=done),
            by_epoch=False)
        if is_main_process():
            with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
                f.write(path)
        runner.logger.warning(
            f'{sig} received: training stopped after iteration {done} of '
            f'{runner.max_iters}; checkpoint {path} written, continue with '
            'tools/train.py ... --resume')
        raise TrainingStopped(SIGNAL_EXIT + signum)
