"""Karaoke box."""
