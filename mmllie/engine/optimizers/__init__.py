from .auto_amp_optim_wrapper import AutoAmpOptimWrapper, amp_dtype

__all__ = ['AutoAmpOptimWrapper', 'amp_dtype']
