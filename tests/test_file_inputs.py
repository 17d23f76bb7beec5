"""Every file input says what it takes (accept: a phone offers the camera or the right files)
and how big a file may be (data-max-bytes: site.js refuses a bigger one before sending it)."""

import importlib
import re
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent / "wulian"
FILE_INPUT = re.compile(r"<input\b[^>]*\btype=\"?file\"?[^>]*>", re.S)


def test_every_file_input_in_a_template_has_accept_and_a_size_limit():
    inputs = [
        (path.relative_to(ROOT), tag)
        for path in ROOT.rglob("templates/**/*.html")
        for tag in FILE_INPUT.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(inputs) >= 4, inputs
    missing = [
        (str(path), tag)
        for path, tag in inputs
        if "accept=" not in tag or "data-max-bytes=" not in tag
    ]
    assert missing == []


def _form_classes():
    for config in apps.get_app_configs():
        if not config.name.startswith("wulian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.forms":
                raise
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                yield value


def test_every_file_field_of_a_form_has_accept():
    fields = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    assert len(fields) >= 4, sorted(fields)
    assert [name for name, field in fields.items() if not field.widget.attrs.get("accept")] == []


def test_upload_forms_carry_the_servers_size_limit():
    from wulian.core.forms import ImportUploadForm
    from wulian.investment.forms import DocumentForm
    from wulian.investment.services import max_document_bytes
    from wulian.service.forms import FileRequestForm
    from wulian.service.services import max_attachment_bytes

    def limit(form, name):
        return int(form.fields[name].widget.attrs["data-max-bytes"])

    assert limit(ImportUploadForm(), "file") == settings.MAX_UPLOAD_BYTES
    assert limit(DocumentForm(), "file") == max_document_bytes()
    assert limit(FileRequestForm(), "photos") == max_attachment_bytes()
    assert limit(FileRequestForm(), "files") == max_attachment_bytes()
    # the camera: a phone opens it for the photo field
    assert FileRequestForm().fields["photos"].widget.attrs["capture"] == "environment"
