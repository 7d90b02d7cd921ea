"""The meeting screens, one module per part: the meeting and its regions, the chair's controls,
the log, the team's cards and logbooks, live updates and the archive."""
