"""Charts: pure functions returning new Plotly figures on one shared theme (`theme`).

They draw what the engine computed and never decide anything; each comes with its alt text.
"""
