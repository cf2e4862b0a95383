"""The Streamlit app: the only modules that import Streamlit.

app_state (the context: settings, database, filters from the URL) -> components (headers,
cards, chart blocks) -> views and sections (larger page parts) -> pages (layout only).
"""
