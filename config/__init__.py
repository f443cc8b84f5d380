"""The project package. The Celery app is created at django.setup() (config/project.py), not on import here,
so a process that only reads settings does not import Celery."""


def __getattr__(name):
    # `from config import celery_app` (Celery's Django layout) still works, loading the app on first use.
    if name == "celery_app":
        from config.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
