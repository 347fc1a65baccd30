"""The Kafka adapter: the only package that imports ``kafka`` (kafka-python 3.0.x).

``topics`` names the platform's topics and creates them; ``producer`` and ``consumer`` build the
clients with the delivery settings the relay and the projector rely on.
"""
