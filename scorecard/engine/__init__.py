"""The engine: every figure, judged. No Streamlit and no Plotly here.

calendar (periods, working days) -> db (the read-only DuckDB and its SQL in queries/) ->
catalogue (the measures and strategy) -> measures (one engine for every measure: values,
targets, RAG, SPC, suppression) with spc, survey and suppression; sentences and summary say
the figures in words; coverage says what the data cannot support; fmt formats.
"""
