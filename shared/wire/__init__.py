"""The published event schema: what leaves the event store, independent of the domain classes."""
