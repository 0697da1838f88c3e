"""Good practice from other municipalities: examples kept as YAML files beside the
questionnaires, checked like them, and matched to next steps ("So machen es andere")."""
