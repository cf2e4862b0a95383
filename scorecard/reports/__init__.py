"""Reports: the committee pack, the annual complaints report, PDF, frozen snapshots.

They depend on the engine, the charts and the complaint panels, never on the UI, so the
command line and the app print the same figures.
"""
