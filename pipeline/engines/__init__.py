"""Adapters to third-party engines, each behind a small protocol and chosen by `kind` in config.

Heavy libraries are imported lazily inside the adapters, so `import pipeline` stays light and an
engine that is not installed fails only when it is chosen, with a clear message."""
