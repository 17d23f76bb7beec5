"""The Quzhou base configuration: regions, departments and the demo accounts.

Regions and departments are real administrative facts. The demo accounts exist only after
`load_demo`, each with the password settings.DEMO_PASSWORD.
"""

from django.conf import settings
from django.db import transaction

from .choices import RegionLevel, Role
from .models import CITY_CODE, Department, Region, User

PROVINCE = ("330000", "浙江省", "浙江")
# The province's eleven cities (the peers for ranking), GB/T 2260.
CITIES = [
    ("330100", "杭州市", "杭州"),
    ("330200", "宁波市", "宁波"),
    ("330300", "温州市", "温州"),
    ("330400", "嘉兴市", "嘉兴"),
    ("330500", "湖州市", "湖州"),
    ("330600", "绍兴市", "绍兴"),
    ("330700", "金华市", "金华"),
    ("330800", "衢州市", "衢州"),
    ("330900", "舟山市", "舟山"),
    ("331000", "台州市", "台州"),
    ("331100", "丽水市", "丽水"),
]
COUNTIES = [
    ("330802", "柯城区", "柯城"),
    ("330803", "衢江区", "衢江"),
    ("330881", "江山市", "江山"),
    ("330825", "龙游县", "龙游"),
    ("330822", "常山县", "常山"),
    ("330824", "开化县", "开化"),
]
DEPARTMENTS = [
    ("jxj", "市经信局", False),
    ("fgw", "市发改委", False),
    ("swj", "市商务局", False),
    ("kjj", "市科技局", False),
    ("rsj", "市人社局", False),
    ("jrb", "市金融办", False),
    ("ysb", "市营商办", True),
    ("zrzy", "市自然资源和规划局", False),
    ("scjg", "市市场监管局", False),
    ("sthj", "市生态环境局", False),
    ("zjj", "市住建局", False),
    ("tjj", "市统计局", False),
    ("sj", "市数据局", False),
]
# username, display name, role, department code, region code, chain code
DEMO_USERS = [
    ("leader", "市领导（演示）", Role.LEADER, "", "", ""),
    ("chief_xcl", "新材料链长（演示）", Role.CHAIN, "", "", "xcl"),
    ("econ", "经信局干部（演示）", Role.DEPARTMENT, "jxj", "", ""),
    ("dispatcher", "营商办派单员（演示）", Role.DEPARTMENT, "ysb", "", ""),
    ("county_ly", "龙游县干部（演示）", Role.COUNTY, "", "330825", ""),
    ("ent_demo", "企业用户（演示）", Role.ENTERPRISE, "", "", ""),
]


@transaction.atomic
def load_regions() -> None:
    province, _ = Region.objects.update_or_create(
        code=PROVINCE[0],
        defaults={"name": PROVINCE[1], "short_name": PROVINCE[2], "level": RegionLevel.PROVINCE},
    )
    for sort, (code, name, short) in enumerate(CITIES):
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": RegionLevel.CITY,
                "parent": province,
                "is_peer_city": True,
                "sort": sort,
            },
        )
    for sort, (code, name, short) in enumerate(COUNTIES):
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": RegionLevel.COUNTY,
                "parent_id": CITY_CODE,
                "sort": sort,
            },
        )


@transaction.atomic
def load_departments() -> None:
    for code, name, dispatcher in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code,
            defaults={"name": name, "region_id": CITY_CODE, "is_dispatcher": dispatcher},
        )


@transaction.atomic
def load_users() -> None:
    for username, display, role, dept, region, chain in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        user.display_name = display
        user.role = role
        user.department = Department.objects.get(code=dept) if dept else None
        user.region_id = region or None
        user.chain_code = chain
        if created:
            user.set_password(settings.DEMO_PASSWORD)
        user.save()
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"display_name": "系统管理员（演示）"}
    )
    admin.is_superuser = admin.is_staff = True
    admin.role = Role.LEADER
    if created:
        admin.set_password(settings.DEMO_PASSWORD)
    admin.save()


def load(stdout=None) -> None:
    load_regions()
    load_departments()
    load_users()
    if stdout:
        stdout.write("core: 行政区划、部门、演示账号已就绪")
