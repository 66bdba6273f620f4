"""Importers: foreign songs converted into native song folders (``karaoke import PATH...``).

An adapter (numpy, soundfile, scipy, FluidSynth) over the library's readers::

    from appliance.importers import import_paths
    report = import_paths(["old/Song.kar"], Path("/songs"))
    report.summary()      # '1 imported'

Where to start: ``batch.py`` (``import_paths``), then ``by_reader.py``, the one table of which
importer converts the songs each scanner reader finds (or why they play in place). One module
per format, named like it: ``kar.py`` (with ``midisplit.py``, ``gm.py``, ``karnotes.py``: the
melody's notes at the syllables, for scoring; FluidSynth is
``appliance/library/formats/fluidsynth.py``, shared with the audio adapter), ``ultrastar.py``,
``lrc_audio.py`` (with ``lrcwriter.py``); shared: ``plan.py`` (what a converter hands the
batch), ``audiofiles.py`` (decode with libsndfile or PyAV, resample, write FLAC stems),
``staging.py`` (build in a hidden folder, rename into place), ``destination.py`` (``Artist -
Title``, or ``(2)`` for another song of that name), ``report.py``, ``errors.py``.
See docs/formats.md, "Importing".
"""

from appliance.importers.batch import import_paths
from appliance.importers.report import ImportOutcome, ImportReport, Status

__all__ = ["ImportOutcome", "ImportReport", "Status", "import_paths"]
