from django.urls import path, register_converter

from takedowns import views


class TokenConverter:
    """Only strings shaped like our tokens reach a view; anything else is a plain 404."""

    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "takedowns"
urlpatterns = [
    path("new/", views.new_request, name="new"),
    path("sent/", views.request_sent, name="sent"),
    path("confirm/<token:token>/", views.confirm, name="confirm"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<token:token>/", views.status_page, name="status"),
    path("<token:token>/messages/", views.add_message, name="message"),
    path("<token:token>/withdraw/", views.withdraw, name="withdraw"),
]
