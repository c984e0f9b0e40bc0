"""Bringing data in: readers turn files into canonical rows; the loader validates and merges."""
