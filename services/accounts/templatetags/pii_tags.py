"""Template filters that show personal data masked (portal.pii)."""

from django import template

from portal import pii

register = template.Library()

register.filter("mask_phone", pii.mask_phone)
register.filter("mask_id_number", pii.mask_id_number)
