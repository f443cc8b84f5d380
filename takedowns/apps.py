from django.apps import AppConfig


class TakedownsConfig(AppConfig):
    name = "takedowns"
    verbose_name = "Removal and change requests"

    def ready(self):
        from takedowns import mail

        mail.register()
