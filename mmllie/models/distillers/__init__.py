from .label_free_distiller import LabelFreeDistiller

__all__ = ['LabelFreeDistiller']
