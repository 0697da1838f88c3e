"""The comparison report: administration vs. workshop, charts, DOCX, exports and import."""
