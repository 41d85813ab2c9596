"""Types only: the exported record contract and the document model that flows between stages."""
