"""The action plan: actions, their state and the measures each should move (`actions`)."""
