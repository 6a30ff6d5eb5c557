"""Photos: decoding, the folder-per-class dataset and its checks, the decoded-image cache, augmentation and
the tf.data pipeline that feeds training and evaluation. Knows nothing of the network."""
