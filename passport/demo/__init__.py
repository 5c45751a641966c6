"""The main job: one career switcher's passport, from signed profile to verified hiring check."""
