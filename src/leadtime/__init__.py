"""leadtime: where an engineering lead's week went, against the 70/30 split."""

__version__ = "0.2.0.dev0"
