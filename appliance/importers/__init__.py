"""Importers: foreign songs converted into native song folders (``karaoke import PATH...``).

An adapter (numpy, soundfile, scipy, FluidSynth) over the library's readers::

    from appliance.importers import import_paths
    report = import_paths(["old/Song.kar"], Path("/songs"))
    report.summary()      # '1 imported'

See docs/formats.md, "Importing".
"""

from appliance.importers.batch import import_paths
from appliance.importers.report import ImportOutcome, ImportReport, Status

__all__ = ["ImportOutcome", "ImportReport", "Status", "import_paths"]
