"""`cchc bench`: a synthetic national workload, and the real pipeline timed over it beside the naive
baseline and the read limit. Nothing here is imported by the pipeline itself."""
