"""The action plan (Maßnahmenplan) of an assessment: measures adopted from workshop notes,
from the questionnaire's next steps or entered freely, and followed up by status."""
