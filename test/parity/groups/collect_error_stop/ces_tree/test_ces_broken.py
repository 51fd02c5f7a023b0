# feature: collection.errors, output.exitcodes
import missing_module_stops_everything  # noqa: F401
