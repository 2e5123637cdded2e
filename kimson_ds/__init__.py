"""kimson_ds: decision support for cadre work (công tác cán bộ) in Kim Sơn."""

__version__ = "0.1.0"
