"""REFI-QDA Project Exchange (.qdpx): export strictly (``refi_export``), import tolerantly (``refi_import``).

A .qdpx is a zip with ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and the sources' plain
texts under ``sources/<GUID>.txt``. The standard counts positions in Unicode code points from 0,
end exclusive; the tools that write it do not all do so, and the import reads each as it counts.
This module is the entry point the CLI, the merge and the codebook use.
"""

from __future__ import annotations

from thematica.corpus.position_map import Counting
from thematica.interchange.refi_common import project_guid
from thematica.interchange.refi_export import export_qdpx
from thematica.interchange.refi_import import QdpxImport, import_qdpx, parse_qdpx

__all__ = ["Counting", "QdpxImport", "export_qdpx", "import_qdpx", "parse_qdpx", "project_guid"]
