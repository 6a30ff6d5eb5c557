"""The network: the DenseNet variants and their builder, its cost and architecture report, the precision and
memory plan it runs with, ImageNet weights, and model files (written atomically, loaded in safe mode)."""
