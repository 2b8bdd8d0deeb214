"""Articles -> pages on disk: the `sitegen build` stage and its helpers."""
