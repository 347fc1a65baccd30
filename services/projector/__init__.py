"""The projector service: Kafka into the read models (see :mod:`services.projector.projector`)."""
