from .enhancer_checkpoint import export_enhancer, load_enhancer

__all__ = ['export_enhancer', 'load_enhancer']
