"""``karaoke play``, ``karaoke export`` and ``karaoke devices``: the engine without a screen.

$ karaoke devices                   # outputs, then microphones
$ karaoke play "amazing grace" --key -2 --tempo 0.9 --guide 0
$ karaoke export ./songs/amazing-grace --out mine.flac --key -2 --mute drums --quality high
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from appliance.commands.common import config_from, print_json, resolve_song
from appliance.core.errors import InvalidRequest
from appliance.core.models import MixSettings
from appliance.core.scoring.model import PitchFrame


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``play``, ``export`` and ``devices``."""
    play = subparsers.add_parser("play", help="play one song on the sound device (no screen)")
    _song_options(play)
    play.add_argument("--device", help="sound device name (see `karaoke devices`)")
    play.set_defaults(handler=_play)
    export = subparsers.add_parser("export", help="render a custom backing track to a file")
    _song_options(export)
    export.add_argument("--out", required=True, help="FILE.wav or FILE.flac")
    export.add_argument(
        "--quality", choices=("live", "high"), default="live",
        help="high: Rubber Band R3 offline per stem (slower, best sound)",
    )  # fmt: skip
    export.set_defaults(handler=_export)
    devices = subparsers.add_parser(
        "devices", help="list sound output devices and microphones (capture devices)"
    )
    devices.add_argument("--json", action="store_true", help="machine-readable output")
    devices.set_defaults(handler=_devices)


def _song_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song", metavar="SONG", help="a song folder or words matching one song")
    parser.add_argument("--key", type=int, default=0, help="semitones, -12..12")
    parser.add_argument("--tempo", type=float, default=1.0, help="speed ratio, 0.5..1.5")
    parser.add_argument(
        "--guide", type=float, default=None,
        help="lead-vocal guide level, 0..1 (default 1; multiplex tracks: 0, the left channel)",
    )  # fmt: skip
    parser.add_argument(
        "--vocal-reduction", action="store_true",
        help="songs without stems: take the centred lead vocal out of the mix",
    )  # fmt: skip
    parser.add_argument(
        "--mute", action="append", default=[], metavar="STEM", help="mute a stem (repeatable)"
    )


def settings_from(
    args: argparse.Namespace, stem_names: list[str], *, multiplex: bool = False
) -> MixSettings:
    """Mix settings from the command line, checked like the phones' requests. A multiplex
    track plays its left channel (instrumental) unless ``--guide`` says otherwise."""
    for name in args.mute:
        if name not in stem_names:
            raise InvalidRequest("mute", f"no stem {name!r}; stems: {', '.join(stem_names)}")
    guide = args.guide if args.guide is not None else (0.0 if multiplex else 1.0)
    settings = MixSettings(
        key_semitones=args.key,
        tempo_ratio=args.tempo,
        guide_level=guide,
        vocal_reduction=bool(getattr(args, "vocal_reduction", False)),
    )
    for name in args.mute:
        settings = settings.with_stem_gain(name, 0.0)
    return settings.validated()


def _play(args: argparse.Namespace) -> int:
    import dataclasses

    from appliance.audio.engine.client import EngineClient
    from appliance.audio.engine.device import EngineOptions
    from appliance.audio.loudness import with_loudness

    config = config_from(args)
    song = with_loudness(resolve_song(config, args.song))  # by folder path: never scanned
    settings = settings_from(args, [s.name for s in song.stems], multiplex="multiplex" in song.tags)
    audio = (
        config.audio if not args.device else dataclasses.replace(config.audio, device=args.device)
    )
    done = threading.Event()
    outcome: list[str] = []

    class Report:
        def on_song_ended(self, song_id: str) -> None:
            done.set()

        def on_song_failed(self, song_id: str, reason: str) -> None:
            outcome.append(reason)
            done.set()

        def on_device_problem(self, message: str) -> None:
            print(f"karaoke: {message}", file=sys.stderr)

        def on_audio_priority(self, description: str) -> None:
            print(f"karaoke: audio thread {description}", file=sys.stderr)

        def on_pitch_frames(self, frames: tuple[PitchFrame, ...]) -> None:
            pass  # `karaoke play` does not score

        def on_mic_notice(self, mic: int, message: str) -> None:
            if message:
                print(f"karaoke: mic {mic}: {message}", file=sys.stderr)

    player = EngineClient(EngineOptions.from_config(audio, state_dir=str(config.state_dir())))
    try:
        player.set_listener(Report())
        player.set_volume(audio.volume)
        player.play(song, settings)
        print(
            f"playing {song.label} (key {settings.key_semitones:+d}, tempo {settings.tempo_ratio})"
        )
        while not done.wait(0.5):
            status = player.engine_status()
            print(f"\r{player.position_s():6.1f} s / {song.duration_s:.1f} s", end="", flush=True)
            if status["state"] == "no device":
                time.sleep(0.5)
        print()
    finally:
        player.close()
    if outcome:
        print(f"karaoke: {song.song_id}: {outcome[0]}", file=sys.stderr)
        return 1
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from appliance.audio.export import export_song
    from appliance.audio.sources.transcode_cache import TranscodeCache

    config = config_from(args)
    song = resolve_song(config, args.song)
    settings = settings_from(args, [s.name for s in song.stems], multiplex="multiplex" in song.tags)
    started = time.monotonic()
    # songs played in place: decoded once, into the engine's cache
    cache = TranscodeCache.in_state_dir(config.state_dir(), config.audio.transcode_cache_mb)
    out = export_song(
        song, settings, Path(args.out), quality=args.quality,
        engine_quality=config.audio.quality, cache=cache,
        loudness_target_lufs=config.audio.loudness_target_lufs,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    print(
        f"wrote {out} ({song.duration_s / settings.tempo_ratio:.1f} s of audio in {elapsed:.1f} s)"
    )
    return 0


def _devices(args: argparse.Namespace) -> int:
    from appliance.audio.engine.device import input_devices, output_devices

    devices, mics = output_devices(), input_devices()
    if args.json:
        print_json({"outputs": devices, "inputs": mics})
        return 0 if devices else 1
    if not devices:
        print("no sound output devices (is ALSA set up? try `aplay -l`)")
    for device in devices:
        outputs = f"{device['channels']} outputs, {device['hostapi']}"
        print(f"{device['index']:3d}  {device['name']}  ({outputs})")
    print("microphones ([audio] mics):" if mics else "no microphones (capture devices)")
    for device in mics:
        inputs = f"{device['channels']} inputs, {device['hostapi']}"
        print(f"{device['index']:3d}  {device['name']}  ({inputs})")
    return 0 if devices else 1
