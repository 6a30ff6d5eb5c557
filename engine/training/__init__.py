"""Training: the configuration and its Automatic choice, the training loop and its events, checkpoints and
resume, transfer learning, and the separate process the window trains in."""
