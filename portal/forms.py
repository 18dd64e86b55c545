"""Form pieces several apps' staff screens share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """The reason staff must give when they reject, return or withdraw something; it is shown
    to the person concerned and kept in the history. Subclasses name it with `reason_label`."""

    reason_label = _("原因")

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = self.reason_label
        field.error_messages["required"] = _("请填写%(label)s。") % {"label": self.reason_label}
