from .synthetic_night import SETTINGS, run_synthetic_night_benchmark

__all__ = ['SETTINGS', 'run_synthetic_night_benchmark']
