"""Moderator and administrator accounts, login, and who may see which municipality."""
