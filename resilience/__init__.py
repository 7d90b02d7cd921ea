"""The cold phase: what the organisation prepares for, why, and the programme that does it."""
