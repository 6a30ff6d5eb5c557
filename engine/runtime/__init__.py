"""What the engine runs on: the one module that reaches into Keras' and TensorFlow's private API
(keras_compat), TensorFlow's native logs, thread pools, and the stop request polled between batches."""
