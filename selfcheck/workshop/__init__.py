"""The live workshop: join codes, anonymous participants, voting rounds, totals and notes."""
