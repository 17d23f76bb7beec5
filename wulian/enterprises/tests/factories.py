import random

import factory

from wulian.core.validators import USCC_CHARSET, uscc_check_char
from wulian.enterprises.models import Enterprise

_rng = random.Random(7)


def make_uscc(region: str = "330802") -> str:
    first17 = "91" + region + "".join(_rng.choice(USCC_CHARSET) for _ in range(9))
    return first17 + uscc_check_char(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyAttribute(lambda o: make_uscc(o.region_id))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    region_id = "330802"
    industry_code = "C2614"
    is_above_scale = True
    output_wan = 1000
