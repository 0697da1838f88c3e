"""The legally required pages: accessibility statement, privacy notice, Impressum."""
