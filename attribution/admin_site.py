"""The admin site as a whole: the Citewatch name, and one date format on every page.

Imported by attribution/admin.py, so autodiscovery applies it before the first request.
"""

from django.contrib import admin
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.utils.translation import gettext_lazy as _

from attribution.lib.when import when

admin.site.site_header = _("Citewatch")
admin.site.site_title = _("Citewatch")
admin.site.index_title = _("What needs doing")
# The app list down the left costs 300 px of a 1280 px laptop screen on every page, which the lists need;
# the start page and the breadcrumbs lead everywhere it did.
admin.site.enable_nav_sidebar = False

_django_display_for_field = utils.display_for_field


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's, except that date and time fields read "3 days ago" with the exact time on hover.

    Every changelist column and read-only detail field of a model date goes
    through here, including those of admins we do not own (history, beat
    schedules), so no page mixes formats. Display methods call ``when`` themselves.
    """
    if isinstance(field, models.DateField) and not field.flatchoices and value is not None:
        return when(value)
    return _django_display_for_field(value, field, empty_value_display, avoid_link=avoid_link)


# Django's list and detail rendering import display_for_field by name: replace it where they look it up.
admin_list.display_for_field = display_for_field
helpers.display_for_field = display_for_field
