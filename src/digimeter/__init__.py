"""digimeter: measure and track regional digital-economy development against published plans."""

__version__ = "0.1.0"
