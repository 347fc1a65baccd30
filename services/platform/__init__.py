"""The whole platform in one process (``nguon serve``/``nguon demo``) and the ``nguon`` command.

The only package that imports every service: it composes them; they never import each other.
"""
