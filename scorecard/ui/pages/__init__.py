"""The dashboard's pages: layout only, every figure comes from the scorecard package."""
