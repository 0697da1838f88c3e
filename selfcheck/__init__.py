"""Selbstcheck Weltoffene Kommune."""
