"""Covey's command line (Typer + Rich)."""
