"""The provincial staff's app (``/province/…``): the registry they keep and the dashboard."""
