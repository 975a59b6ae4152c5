"""Figures for papers and reports: each module draws one figure and returns its bytes.

Every figure comes as SVG (text kept as ``<text>``, so a journal can edit it), PDF (TrueType fonts
embedded, Type 42) or PNG (300 dpi). Matplotlib draws the plots; Graphviz (the ``dot`` program)
lays out the diagrams (thematic map, CONSORT flow). Nothing here touches the project: callers pass
the data in, and write the bytes where they want (``render.write_figure``).
"""
