"""The EPCIS query interface alone, in its own process, for ``bench/epcis.py``::

    NGUON_DATA_DIR=DIR NGUON_PORT=PORT python bench/epcis_app.py

The same app the platform mounts at ``/epcis`` (``services.epcis.app.create_app``, on the
services' role, with the token store), without the platform around it: ``nguon serve`` first
rebuilds every read model that is not up to date, about half an hour at a million events on
two cores, and the benchmark builds only the ``epcis`` one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn

from services.epcis import app as epcis
from services.platform.composition import records_only
from services.platform.settings import PlatformSettings


def main() -> None:
    settings = PlatformSettings()
    with records_only(settings) as side:
        app = epcis.create_app(settings, side.records, side.tokens, side.connect)
        uvicorn.run(
            app, host="127.0.0.1", port=settings.port, log_level="warning", access_log=False
        )


if __name__ == "__main__":
    main()
