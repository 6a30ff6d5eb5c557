"""Files on disk: atomic and sealed writes, owner-only folders, readable file names, the app's shipped
resources. The bottom of the engine: it imports nothing of the engine but `engine.errors`."""
