"""DenseNet Studio's desktop face: Qt widgets over `engine` calls. Importing this package imports no Qt."""
