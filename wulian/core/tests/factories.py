import factory

from wulian.core.choices import Role
from wulian.core.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.DEPARTMENT
    password = factory.django.Password("pw-test-123")
