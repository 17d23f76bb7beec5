import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wulian.chains.models import Chain, Link
from wulian.investment.models import Project

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain
        django_get_or_create = ("code",)

    code = "xcl"
    name = "新材料"


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link

    chain = factory.SubFactory(ChainFactory)
    code = factory.Sequence(lambda n: f"link{n}")
    name = factory.Sequence(lambda n: f"环节{n}")
    segment = "mid"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试项目{n}")
    investor_name = "某投资集团"
    region_id = "330825"
    planned_wan = 50000
    stage = "lead"
    stage_entered_on = factory.LazyFunction(timezone.localdate)
    lead_department = factory.LazyFunction(
        lambda: __import__("wulian.core.models", fromlist=["Department"]).Department.objects.get(
            code="jxj"
        )
    )
    responsible_leader = "张副市长"

    @factory.post_generation
    def links(self, create, extracted, **kwargs):
        if create and extracted:
            self.links.set(extracted)


def pdf_upload(name="协议.pdf", content_type="application/pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type=content_type)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def xlsx_stream(data: bytes):
    return io.BytesIO(data)
