"""Many walks at once, each through the same `Session` as `walk`: batch and scenario files."""
