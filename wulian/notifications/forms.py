from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department

from .choices import Channel, Kind
from .models import Robot
from .permissions import sees_every_robot


class RobotForm(forms.ModelForm):
    url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = Robot
        fields = ["name", "kind", "url", "secret", "department", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (Channel.DINGTALK, Channel.DINGTALK.label),
            (Channel.WECOM, Channel.WECOM.label),
        ]
        if user is not None and not sees_every_robot(user):
            self.fields["department"].queryset = Department.objects.filter(pk=user.department_id)
            self.fields["department"].required = True
            self.fields["department"].empty_label = None
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else None
            css = css or (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
            field.widget.attrs["class"] = css


class SettingsForm(forms.Form):
    """Quiet hours, SMS phone and digest; the channel grid is read from the POST directly."""

    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False)
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False)
    phone = forms.CharField(label=_("短信手机号"), required=False, max_length=20)
    daily_digest = forms.BooleanField(label=_("每天早上接收待办摘要"), required=False)

    def channels(self, data) -> dict:
        return {
            kind: {
                "email": data.get(f"{kind}-email") == "on",
                "sms": data.get(f"{kind}-sms") == "on",
            }
            for kind in Kind.values
        }
