"""The relay service: publishes every stored event to Kafka (see :mod:`services.relay.relay`)."""
