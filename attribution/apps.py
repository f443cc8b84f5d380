from django.apps import AppConfig


class AttributionConfig(AppConfig):
    name = "attribution"
    verbose_name = "Attribution"

    def ready(self):
        # Connects the signal that labels history rows written by a save (through what, an article's sources).
        from attribution.history import record  # noqa: F401

        # Connects the signal that sends a new source snapshot to the copy overlap task.
        from attribution.overlap import signals  # noqa: F401
