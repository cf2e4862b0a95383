"""Tools for developers, outside the runtime package: the sample generator."""
