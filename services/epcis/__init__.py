"""The EPCIS 2.0 query interface (REST binding) over the ``epcis`` read model, at ``/epcis``."""
