"""The document model, orchestration, batch runner, outputs and the CLI.

The public API is re-exported by :mod:`nianbao` itself; import from there.
"""
