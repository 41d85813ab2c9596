"""The stages, one job each. Every stage is a callable `stage(doc) -> doc` built with its own
settings; `pipeline.runner` composes them in the one direction the data flows."""
