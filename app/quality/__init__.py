"""The quality year: the årshjul of recurring duties, the tasks and reminders they become, egenkontroll forms."""
