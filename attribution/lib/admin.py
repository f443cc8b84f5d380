"""Admin helpers shared by both apps."""

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """A record to read, never to write by hand: no add, change or delete (its own services write it)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
