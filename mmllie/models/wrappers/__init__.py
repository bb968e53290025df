from .enhancer_ddp import EnhancerDistributedDataParallel

__all__ = ['EnhancerDistributedDataParallel']
