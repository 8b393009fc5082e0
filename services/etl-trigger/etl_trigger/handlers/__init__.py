"""Lambda entry points: parse at the edge, call one logic function."""
