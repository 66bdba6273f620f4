"""The singer's side of a song: their microphone's level and echo, and their score.

:class:`Singing` is told by the playback machine when a song starts and ends, and by the
transport when the key changes or the song jumps; the player's pitch frames reach it through
the core's inbox. It keeps the song's :class:`~appliance.core.scoring.session.ScoringSession`,
records each result (:class:`~appliance.core.scoring.results.ResultBook`), remembers voices
(:class:`~appliance.core.voice_book.VoiceBook`) and sets the mics on the player. Call it under
the core's lock, except :meth:`Singing.views` (the TV's, lock-free).

Rules: a song's sheet comes from the sheet source given to the core (None or no note worth
points: "no score: this song has no notes"); only a song sung to its end is scored, and only
the parts someone was heard on (a song sung with no mic frames gets no score, not 0). Mic 1
has the singer's voice while their song is on, the night's default otherwise; mic 2 always
has the default.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from appliance.core.catalog import Catalog
from appliance.core.events import Announcer, LineRated, SongScored, VoiceChanged
from appliance.core.live_state import CurrentSong, LiveState
from appliance.core.models import Song
from appliance.core.night import NightState
from appliance.core.night_settings import NightSettings
from appliance.core.ports import Clock, Player
from appliance.core.scoring.model import (
    Difficulty,
    FinalScore,
    PitchFrame,
    ScoreSheet,
    SingingView,
    SongScore,
)
from appliance.core.scoring.results import ResultBook
from appliance.core.scoring.session import ScorerFactory, ScoringSession, real_scorer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from appliance.core.voice import VoiceSettings
from appliance.core.voice_book import VoiceBook, stepped

log = logging.getLogger(__name__)

SheetSource = Callable[[Song], ScoreSheet | None]
"""Where the core gets a song's notes (the library's ``load_score_sheet``)."""
NO_NOTES = "no score: this song has no notes"
FINAL_SHOWN_MIN_S = 15.0
"""The final score stays in the snapshot for the countdown, and at least this long."""


@dataclass(frozen=True)
class SingingSummary:
    """What the snapshot carries of the singing: the last result (for a while), the night's
    leaderboard (empty when the host hides it), why the song on is not scored, the voices."""

    final_score: FinalScore | None = None
    leaderboard: tuple[FinalScore, ...] = ()
    no_score_reason: str = ""
    voice: VoiceSettings | None = None
    default_voice: VoiceSettings = field(default_factory=VoiceSettings)


class Singing:
    """Voices and scores of the songs being sung."""

    def __init__(
        self,
        *,
        store: Store,
        night: NightState,
        catalog: Catalog,
        clock: Clock,
        player: Player,
        live: LiveState,
        announcer: Announcer,
        settings: Callable[[], NightSettings],
        sheets: SheetSource | None = None,
        make_scorer: ScorerFactory = real_scorer,
    ) -> None:
        self.night, self.catalog, self.clock, self.player = night, catalog, clock, player
        self.live, self.announcer, self.settings = live, announcer, settings
        self.voices = VoiceBook(store, clock.wall)
        self.results = ResultBook(store, clock.wall)
        self._sheets, self._make = sheets, make_scorer
        self._session: ScoringSession | None = None
        self._no_score = ""
        self._final: FinalScore | None = None
        self._final_until = 0.0
        self._board = self.results.leaderboard()
        self._voice_on: VoiceSettings | None = None  # mic 1's singer voice, as last applied

    # --- reading -----------------------------------------------------------------------------

    def views(self) -> tuple[SingingView, ...]:
        """What the TV draws for the song on (no lock: the session swaps immutable tuples)."""
        session = self._session
        return session.views if session is not None else ()

    @property
    def session(self) -> ScoringSession | None:
        """The song's scoring session (None: nothing scored is on); under the lock."""
        return self._session

    def summary(self) -> SingingSummary:
        """The snapshot's part (call under the lock)."""
        final = self._final if self.clock.monotonic() < self._final_until else None
        shown = self.settings().show_leaderboard
        return SingingSummary(
            final_score=final,
            leaderboard=self._board if shown else (),
            no_score_reason=self._no_score if self.live.current is not None else "",
            voice=self._voice_on,
            default_voice=self.voices.default,
        )

    # --- the song's life ---------------------------------------------------------------------

    def song_started(self, current: CurrentSong, song: Song | None) -> None:
        """A song starts: the singer's voice on mic 1, a scoring session if it has notes."""
        self._session, self._no_score = None, ""  # the last result stays for its time
        self.apply_voices()
        sheet = self._sheet(song) if song is not None else None
        if sheet is None or not sheet.is_scorable:
            self._no_score = NO_NOTES
            return
        difficulty = Difficulty(self.settings().score_difficulty)
        key = current.entry.settings.key_semitones
        try:
            self._session = ScoringSession(sheet, difficulty, key, self._make)
        except Exception:
            log.exception("no scoring for %s: the scorer refused its sheet", current.entry.song_id)
            self._no_score = NO_NOTES

    def song_finished(self, current: CurrentSong, outcome: str) -> None:
        """A song ended: scored if sung to the end and heard; mic 1 back to the default."""
        session, self._session, self._no_score = self._session, None, ""
        self.apply_voices(singer_on=False)
        if session is None or outcome != "completed":
            return
        results = session.results()
        if not results:
            return
        finals = tuple(self._record(current, result) for result in results)
        self._final = finals[0]
        countdown = self.settings().countdown_s
        self._final_until = self.clock.monotonic() + max(countdown, FINAL_SHOWN_MIN_S)
        self._board = self.results.leaderboard()
        self.announcer.changed(SongScored, results=finals)

    def key_changed(self, key_semitones: int) -> None:
        """The song's key changed live: the notes follow."""
        if self._session is not None:
            self._session.set_key(key_semitones)

    def seeked(self, position_s: float) -> None:
        """The song jumped; back to the start (a restart) scores it afresh."""
        session = self._session
        if session is None:
            return
        if position_s < 1.0 and self.live.current is not None:
            key = self.live.current.entry.settings.key_semitones
            difficulty = Difficulty(self.settings().score_difficulty)
            self._session = ScoringSession(session.sheet, difficulty, key, self._make)
        else:
            session.seeked()

    def feed(self, frames: tuple[PitchFrame, ...]) -> None:
        """Pitch the mics heard (on the core's thread): scored while the song plays."""
        session = self._session
        if session is None or self.live.state is not PlaybackState.PLAYING:
            return
        for line in session.feed(frames):
            self.announcer.hint(
                LineRated,
                line=line.line,
                part=line.part,
                rating=line.rating.label,
                points=line.points,
                max_points=line.max_points,
            )

    # --- voices ------------------------------------------------------------------------------

    def apply_voices(self, *, singer_on: bool = True) -> None:
        """Mic 1: the singer's voice while their song is on, else the default; mic 2: the
        default (the player keeps them across songs)."""
        own = self._singer_voice() if singer_on else None
        self._voice_on = own
        self._set_mic(1, own or self.voices.default)
        self._set_mic(2, self.voices.default)

    def set_singer_voice(self, singer_id: int, voice: VoiceSettings) -> VoiceSettings:
        """Remember ``voice`` for this singer, heard at once if they are singing."""
        singer = self.night.singer(singer_id)
        self.voices.remember(singer.name, voice)
        self.apply_voices(singer_on=self.live.current is not None)
        self.announcer.changed(VoiceChanged, singer_id=singer.singer_id)
        return voice

    def set_default_voice(self, voice: VoiceSettings) -> VoiceSettings:
        """The night's default voice, heard at once on the mics that use it."""
        self.voices.set_default(voice)
        self.apply_voices(singer_on=self.live.current is not None)
        self.announcer.changed(VoiceChanged, singer_id=0)
        return voice

    def step_voice(self, level_db_delta: float, echo_delta: float) -> VoiceSettings:
        """Step the current singer's voice (the default between songs), clamped in range."""
        current = self.live.current
        if current is None:
            return self.set_default_voice(stepped(self.voices.default, level_db_delta, echo_delta))
        singer = self.night.singer(current.entry.singer_id)
        voice = stepped(self.voices.voice_of(singer.name), level_db_delta, echo_delta)
        return self.set_singer_voice(singer.singer_id, voice)

    def voice_of(self, singer_id: int) -> VoiceSettings:
        """A singer's voice (theirs, or the default)."""
        return self.voices.voice_of(self.night.singer(singer_id).name)

    # --- inside ------------------------------------------------------------------------------

    def _singer_voice(self) -> VoiceSettings | None:
        current = self.live.current
        singer = self.night.singers.get(current.entry.singer_id) if current else None
        return self.voices.voice_of(singer.name) if singer else None

    def _set_mic(self, mic: int, voice: VoiceSettings) -> None:
        try:
            self.player.set_voice(mic, voice)
        except Exception:
            log.exception("the player could not set mic %d", mic)

    def _sheet(self, song: Song) -> ScoreSheet | None:
        if self._sheets is None:
            return None
        try:
            return self._sheets(song)
        except Exception:
            log.exception("the notes of %s could not be read: not scored", song.song_id)
            return None

    def _record(self, current: CurrentSong, result: SongScore) -> FinalScore:
        entry = current.entry
        singer = self.night.singers.get(entry.singer_id)
        song = self.catalog.find(entry.song_id)
        final = FinalScore(
            singer_name=singer.name if singer else "(gone)",
            song_id=entry.song_id,
            song_label=song.label if song else entry.song_id,
            score=result.score,
            max_score=result.max_score,
            ratings=tuple(line.rating.label for line in result.lines),
            part=result.part,
        )
        return self.results.save(final, current.history_id)
