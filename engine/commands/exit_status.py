"""The CLI's exit statuses, as a shell reports them: scripts tell a user error from a stop from a crash."""

import signal

USER_ERROR = 2  # a bad argument, folder or file: one line on stderr says which and why
INTERRUPTED = 128 + signal.SIGINT  # 130: stopped by Ctrl-C (a training keeps its best model)
TERMINATED = 128 + signal.SIGTERM  # 143: stopped by SIGTERM (a service manager, `kill`), as gracefully
BROKEN_PIPE = 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1  # 141: the reader left (`| head`)
