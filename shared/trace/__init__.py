"""Trace and recall: the whole chain of a batch, back to its plots and forward to every holder.

Where the parts live (one direction of dependency: readmodels → trace → services):

- :mod:`.graph` — the shapes a trace is answered in (``TraceGraph`` and its nodes, links and
  shipments), the same for the API's JSON, the staff apps' SVG picture and the recall report.
- :mod:`.balance` — the mass balance of a graph (produced, shipped, received, on hand, sold,
  lost in processing, unaccounted, recovered), computed from the graph alone.
- the trace projection and its builder (``build_trace``) live with the read models; the
  viewer's rights are applied once, when the graph is built ("Who may read what" in the
  handbook), so no surface can forget them.
"""
