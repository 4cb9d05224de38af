"""Demo data: the 550 self-service outlets of the seeds (107 government places, 22 ICBC, 123 CCB,
298 Qingdao Rural Commercial Bank outlets), their terminals, opening hours and published lists,
and two demo outlet managers. Deterministic (seeded) and idempotent: a second run adds nothing.

Lists are drawn at run time from the catalogue's self-service items
(``ServiceItem.objects.filter(self_service=True)``), so the catalogue's demo must load first."""

from __future__ import annotations

import datetime
import random
import sys
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.accounts.services import assign_role
from portal.catalogue.models import ItemKind, Region, ServiceItem
from portal.catalogue.selectors import qingdao_districts

from .models import (
    ItemListEntry,
    ItemListVersion,
    OpeningHours,
    Operator,
    Outlet,
    OutletKind,
    OutletManager,
    Terminal,
    VersionStatus,
)

SEED = 20201224
DEMO_PASSWORD = "demo12345"
TOTAL = 550

# Qingdao's districts (codes) and their short names (市南 for 市南区), read from the Region table
DISTRICTS: list[str] = []
SHORT: dict[str, str] = {}
# how far (degrees, one standard deviation) outlets spread around the district seat
SPREAD = {
    "370202": 0.012,
    "370203": 0.012,
    "370211": 0.07,
    "370212": 0.04,
    "370213": 0.015,
    "370214": 0.04,
    "370215": 0.08,
    "370281": 0.08,
    "370283": 0.11,
    "370285": 0.09,
}
TOWNS = {
    "370202": [
        "八大峡街道",
        "云南路街道",
        "中山路街道",
        "八大湖街道",
        "湛山街道",
        "香港中路街道",
        "珠海路街道",
        "金门路街道",
        "江苏路街道",
        "八大关街道",
    ],
    "370203": [
        "台东街道",
        "辽宁路街道",
        "登州路街道",
        "宁夏路街道",
        "敦化路街道",
        "水清沟街道",
        "洛阳路街道",
        "即墨路街道",
        "浮山新区街道",
        "合肥路街道",
    ],
    "370211": [
        "长江路街道",
        "黄岛街道",
        "辛安街道",
        "薛家岛街道",
        "灵山卫街道",
        "珠海街道",
        "隐珠街道",
        "王台镇",
        "张家楼街道",
        "六汪镇",
        "大场镇",
        "琅琊镇",
        "泊里镇",
        "海青镇",
    ],
    "370212": ["中韩街道", "沙子口街道", "王哥庄街道", "北宅街道", "金家岭街道"],
    "370213": [
        "振华路街道",
        "永清路街道",
        "永安路街道",
        "兴华路街道",
        "浮山路街道",
        "九水街道",
        "李村街道",
        "虎山路街道",
        "湘潭路街道",
        "楼山街道",
        "世园街道",
    ],
    "370214": [
        "城阳街道",
        "流亭街道",
        "夏庄街道",
        "惜福镇街道",
        "棘洪滩街道",
        "上马街道",
        "河套街道",
        "红岛街道",
    ],
    "370215": [
        "通济街道",
        "环秀街道",
        "潮海街道",
        "北安街道",
        "龙山街道",
        "龙泉街道",
        "鳌山卫街道",
        "温泉街道",
        "灵山街道",
        "段泊岚镇",
        "移风店镇",
        "大信街道",
        "田横镇",
        "金口镇",
    ],
    "370281": [
        "阜安街道",
        "中云街道",
        "三里河街道",
        "九龙街道",
        "胶东街道",
        "胶北街道",
        "胶西街道",
        "胶莱街道",
        "李哥庄镇",
        "铺集镇",
        "里岔镇",
        "洋河镇",
    ],
    "370283": [
        "东阁街道",
        "李园街道",
        "同和街道",
        "凤台街道",
        "白沙河街道",
        "古岘镇",
        "仁兆镇",
        "南村镇",
        "蓼兰镇",
        "崔家集镇",
        "明村镇",
        "田庄镇",
        "新河镇",
        "店子镇",
        "大泽山镇",
        "旧店镇",
        "云山镇",
    ],
    "370285": [
        "水集街道",
        "望城街道",
        "沽河街道",
        "姜山镇",
        "夏格庄镇",
        "院上镇",
        "日庄镇",
        "南墅镇",
        "河头店镇",
        "店埠镇",
        "马连庄镇",
    ],
}
ROADS = {
    "370202": [
        "香港中路",
        "东海西路",
        "山东路",
        "南京路",
        "延安三路",
        "燕儿岛路",
        "闽江路",
        "福州南路",
        "澳门路",
        "江西路",
    ],
    "370203": [
        "辽宁路",
        "延吉路",
        "鞍山路",
        "重庆南路",
        "敦化路",
        "福州北路",
        "台东一路",
        "抚顺路",
        "标山路",
        "嘉定路",
    ],
    "370211": [
        "长江中路",
        "井冈山路",
        "江山南路",
        "滨海大道",
        "嘉陵江路",
        "珠江路",
        "峨眉山路",
        "香江路",
        "武夷山路",
        "灵山湾路",
    ],
    "370212": ["海尔路", "株洲路", "松岭路", "秦岭路", "苗岭路", "深圳路", "银川东路", "仙霞岭路"],
    "370213": [
        "京口路",
        "书院路",
        "九水东路",
        "黑龙江中路",
        "金水路",
        "东川路",
        "巨峰路",
        "青山路",
    ],
    "370214": ["正阳路", "长城路", "文阳路", "青威路", "春阳路", "崇阳路", "重庆北路", "和阳路"],
    "370215": ["蓝鳌路", "鹤山路", "烟青路", "振华街", "嵩山二路", "文化路", "华山一路", "龙泉路"],
    "370281": [
        "福州支路",
        "扬州路",
        "兰州东路",
        "广州北路",
        "常州路",
        "胶州东路",
        "澳门路",
        "杭州路",
    ],
    "370283": ["红旗路", "胜利路", "人民路", "扬州路", "杭州路", "常州路", "青啤大道", "北京路"],
    "370285": [
        "烟台路",
        "石岛路",
        "上海中路",
        "威海西路",
        "文化中路",
        "重庆路",
        "长岛路",
        "北京西路",
    ],
}
COMMUNITIES = [
    "和平",
    "幸福",
    "新华",
    "安康",
    "永宁",
    "东山",
    "西岭",
    "南庄",
    "北村",
    "兴隆",
    "福源",
    "泰和",
]
# per district: (town centres, village stations, ICBC, CCB, RCB)
SPLIT = {
    "370202": (6, 3, 4, 18, 8),
    "370203": (6, 3, 4, 20, 12),
    "370211": (6, 4, 3, 20, 50),
    "370212": (5, 4, 2, 10, 14),
    "370213": (6, 3, 2, 12, 12),
    "370214": (6, 4, 2, 12, 30),
    "370215": (6, 4, 2, 10, 45),
    "370281": (6, 4, 1, 8, 40),
    "370283": (6, 4, 1, 7, 52),
    "370285": (6, 4, 1, 6, 35),
}
TERMINAL_MODELS = {
    "government": [
        "政务服务自助终端 ZW-A1",
        "综合自助一体机 HT-600",
        "社保自助服务终端 SB-3",
        "不动产自助查询打印机 BD-2",
    ],
    "icbc": ["智能服务终端 ICBC-STM8", "政务便民一体机 GS-5"],
    "ccb": ["智慧柜员机 CCB-STM", "“裕农通”政务自助机 YN-2"],
    "rcb": ["农商银行政务自助终端 NS-1", "便民服务一体机 NS-3"],
}
TERMINAL_PLACES = [
    "一楼大厅东侧",
    "自助服务区",
    "大厅入口右侧",
    "24小时自助区",
    "二楼服务区",
    "营业厅西侧",
]
ACCESSIBILITY = [
    "无障碍坡道，低位自助终端，可预约工作人员协助。",
    "入口无台阶，设有轮椅停放区和助听设备。",
    "设有无障碍通道和爱心座椅，视障人士可请工作人员陪同办理。",
    "",
]
INITIAL_DATE = datetime.date(2026, 1, 1)
OLDER_DATE = datetime.date(2026, 3, 1)
NEWER_DATE = datetime.date(2026, 9, 1)
FUTURE_DATE = datetime.date(2027, 1, 1)


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


HOURS = {
    # kind/operator: (calendar, closed on holidays, {weekday: [(opens, closes), ...]})
    "service_hall": (
        "working_days",
        True,
        {d: [("08:30", "12:00"), ("13:30", "17:30")] for d in range(5)},
    ),
    "town_centre": (
        "working_days",
        True,
        {d: [("09:00", "12:00"), ("13:00", "17:00")] for d in range(5)},
    ),
    "village_station": (
        "working_days",
        True,
        {d: [("08:30", "11:30"), ("14:00", "17:00")] for d in range(5)},
    ),
    "bank_weekdays": ("weekly", True, {d: [("09:00", "17:00")] for d in range(5)}),
    "bank_all_week": (
        "weekly",
        True,
        {
            **{d: [("09:00", "17:00")] for d in range(5)},
            5: [("09:30", "16:00")],
            6: [("09:30", "16:00")],
        },
    ),
    "bank_every_day": ("weekly", False, {d: [("08:30", "17:30")] for d in range(7)}),
}


def _plan(rng: random.Random) -> list[dict]:
    """The 550 outlets as dictionaries (no database access)."""
    plan: list[dict] = []

    def add(code, name, kind, operator, district, town, hours_key):
        road = rng.choice(ROADS[district])
        number = rng.randint(1, 399)
        seat = SEATS[district]
        spread = SPREAD[district]
        place = town if town and kind != OutletKind.SERVICE_HALL else ""
        plan.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "operator": operator,
                "district": district,
                "address": f"山东省青岛市{REGION_NAMES[district]}{place}{road}{number}号",
                "latitude": round(seat[0] + rng.gauss(0, spread), 6),
                "longitude": round(seat[1] + rng.gauss(0, spread * 1.2), 6),
                "phone": f"0532-{rng.randint(8000, 8999)}{rng.randint(1000, 9999)}",
                "accessibility": rng.choice(ACCESSIBILITY),
                "hours_key": hours_key,
            }
        )

    gov = 1
    add(
        "QD-GOV-001",
        "青岛市政务服务中心",
        OutletKind.SERVICE_HALL,
        Operator.GOVERNMENT,
        "370202",
        "",
        "service_hall",
    )
    for district in DISTRICTS:
        gov += 1
        add(
            f"QD-GOV-{gov:03d}",
            f"{REGION_NAMES[district]}政务服务大厅",
            OutletKind.SERVICE_HALL,
            Operator.GOVERNMENT,
            district,
            "",
            "service_hall",
        )
    for district in DISTRICTS:
        towns, villages = SPLIT[district][0], SPLIT[district][1]
        for town in TOWNS[district][:towns]:
            gov += 1
            add(
                f"QD-GOV-{gov:03d}",
                f"{REGION_NAMES[district]}{town}便民服务中心",
                OutletKind.TOWN_CENTRE,
                Operator.GOVERNMENT,
                district,
                town,
                "town_centre",
            )
        for i in range(villages):
            gov += 1
            town = TOWNS[district][i % len(TOWNS[district])]
            community = COMMUNITIES[(i * 5 + len(district)) % len(COMMUNITIES)]
            suffix = "社区" if town.endswith("街道") else "村"
            add(
                f"QD-GOV-{gov:03d}",
                f"{town}{community}{suffix}便民服务站",
                OutletKind.VILLAGE_STATION,
                Operator.GOVERNMENT,
                district,
                town,
                "village_station",
            )
    counters = {"icbc": 0, "ccb": 0, "rcb": 0}
    for district in DISTRICTS:
        _towns, _villages, icbc, ccb, rcb = SPLIT[district]
        for operator, count in (("icbc", icbc), ("ccb", ccb), ("rcb", rcb)):
            for i in range(count):
                counters[operator] += 1
                n = counters[operator]
                road = ROADS[district][i % len(ROADS[district])]
                town = TOWNS[district][i % len(TOWNS[district])]
                if operator == "icbc":
                    name = f"中国工商银行青岛{SHORT[district]}{'第' + str(i + 1) if i else ''}支行"
                    hours_key = "bank_all_week" if i == 0 else "bank_weekdays"
                elif operator == "ccb":
                    ordinal = i // len(ROADS[district])
                    name = f"中国建设银行青岛{road}{'第' + str(ordinal + 1) if ordinal else ''}支行"
                    hours_key = "bank_all_week" if i % 3 == 0 else "bank_weekdays"
                else:
                    ordinal = i // len(TOWNS[district])
                    name = f"青岛农商银行{SHORT[district]}{town.removesuffix('街道')}" + (
                        f"第{ordinal + 1}支行" if ordinal else "支行"
                    )
                    hours_key = ("bank_every_day", "bank_all_week", "bank_weekdays")[i % 3]
                add(
                    f"QD-{operator.upper()}-{n:03d}",
                    name,
                    OutletKind.BANK_BRANCH,
                    operator,
                    district,
                    town,
                    hours_key,
                )
    if len(plan) != TOTAL:
        raise RuntimeError(f"the outlet plan has {len(plan)} outlets, not {TOTAL}")
    return plan


REGION_NAMES: dict[str, str] = {}
SEATS: dict[str, tuple[float, float]] = {}


def _load_regions() -> dict[str, Region]:
    regions = {r.code: r for r in qingdao_districts()}
    DISTRICTS[:] = list(regions)
    for code, region in regions.items():
        REGION_NAMES[code] = region.name
        SHORT[code] = region.name[:-1]  # without 区 or 市
        SEATS[code] = (float(region.latitude), float(region.longitude))
    return regions


def _list_for(
    rng: random.Random, kind: str, convenience: list[int], others: list[int], always: list[int]
) -> list[int]:
    sizes = {
        OutletKind.SERVICE_HALL: (len(convenience), (300, 700)),
        OutletKind.TOWN_CENTRE: (min(len(convenience), rng.randint(45, 70)), (120, 220)),
        OutletKind.VILLAGE_STATION: (min(len(convenience), rng.randint(30, 50)), (40, 90)),
        OutletKind.BANK_BRANCH: (min(len(convenience), rng.randint(35, 75)), (60, 220)),
    }
    n_conv, (low, high) = sizes[kind]
    picked = set(rng.sample(convenience, min(n_conv, len(convenience))))
    picked.update(rng.sample(others, min(len(others), rng.randint(low, high))))
    if rng.random() < 0.9:
        picked.update(always)
    return sorted(picked)


def _terminal_limits(rng: random.Random, items: Iterable[int], terminals: list[int]) -> dict:
    if len(terminals) < 2:
        return {}
    limits = {}
    for item in items:
        if rng.random() < 0.35:
            limits[item] = rng.sample(terminals, rng.randint(1, len(terminals) - 1))
    return limits


def _managers(outlets: dict[str, Outlet]) -> dict[str, User]:
    users = {}
    for username, name, codes in (
        ("outlet_manager", "王晓燕", ["QD-GOV-001", "QD-RCB-001"]),
        ("outlet_manager2", "李建国", ["QD-GOV-002", "QD-CCB-001"]),
    ):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"real_name": name, "role": Role.OUTLET_MANAGER},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if created or not user.is_staff:
            # as a real one is made: the role's group and admin access (read-only there)
            assign_role(user, Role.OUTLET_MANAGER)
        for code in codes:
            if code in outlets:
                OutletManager.objects.get_or_create(outlet=outlets[code], user=user)
                users[code] = user
    return users


@transaction.atomic
def load(stdout=None) -> None:
    stdout = stdout or sys.stdout
    rng = random.Random(SEED)
    regions = _load_regions()
    if not regions or set(regions) != set(SPLIT):
        stdout.write("outlets: the Qingdao districts are missing; skipped.\n")
        return
    plan = _plan(rng)
    existing = set(
        Outlet.objects.filter(code__in=[p["code"] for p in plan]).values_list("code", flat=True)
    )
    new = [p for p in plan if p["code"] not in existing]
    Outlet.objects.bulk_create(
        [
            Outlet(
                code=p["code"],
                name=p["name"],
                kind=p["kind"],
                operator=p["operator"],
                district_id=p["district"],
                address=p["address"],
                latitude=p["latitude"],
                longitude=p["longitude"],
                phone=p["phone"],
                accessibility=p["accessibility"],
                calendar=HOURS[p["hours_key"]][0],
                closed_on_holidays=HOURS[p["hours_key"]][1],
            )
            for p in new
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    outlets = {o.code: o for o in Outlet.objects.filter(code__in=[p["code"] for p in plan])}
    hours, terminals = [], []
    fitting = random.Random(SEED + 1)
    new_codes = {p["code"] for p in new}
    for p in plan:
        count = 4 if p["kind"] == OutletKind.SERVICE_HALL else fitting.choice((1, 1, 2, 2, 3, 4))
        out_of_service = [fitting.random() < 0.2 for _n in range(count)]
        if p["code"] not in new_codes:
            continue
        outlet = outlets[p["code"]]
        for weekday, sessions in HOURS[p["hours_key"]][2].items():
            for opens, closes in sessions:
                hours.append(
                    OpeningHours(outlet=outlet, weekday=weekday, opens=_t(opens), closes=_t(closes))
                )
        models = TERMINAL_MODELS[p["operator"]]
        for n in range(1, count + 1):
            terminals.append(
                Terminal(
                    outlet=outlet,
                    code=f"{p['code']}-T{n}",
                    model=models[(n - 1) % len(models)],
                    location=TERMINAL_PLACES[(n + len(p["code"])) % len(TERMINAL_PLACES)],
                    in_service=not (n == 3 and out_of_service[n - 1]),
                )
            )
    OpeningHours.objects.bulk_create(hours, batch_size=2000, ignore_conflicts=True)
    Terminal.objects.bulk_create(terminals, batch_size=2000, ignore_conflicts=True)
    managers = _managers(outlets)
    _load_lists(random.Random(SEED + 2), plan, outlets, managers)
    stdout.write(f"outlets: {len(new)} outlets added, {len(outlets)} in all.\n")


def _load_lists(
    rng: random.Random, plan: list[dict], outlets: dict[str, Outlet], managers: dict[str, User]
) -> None:
    items = list(
        ServiceItem.objects.filter(self_service=True, is_active=True)
        .order_by("code")
        .values_list("pk", "kind", "name")
    )
    if not items:
        return
    convenience = [pk for pk, kind, _n in items if kind == ItemKind.CONVENIENCE]
    others = [pk for pk, kind, _n in items if kind != ItemKind.CONVENIENCE]
    always = [pk for pk, _k, name in items if "参保证明" in name]
    if not convenience:
        convenience, others = others[:75], others[75:]
    listed = set(
        ItemListVersion.objects.filter(
            outlet__in=outlets.values(), status=VersionStatus.PUBLISHED
        ).values_list("outlet_id", flat=True)
    )
    terminal_ids: dict[int, list[int]] = {}
    for outlet_id, terminal_id in (
        Terminal.objects.filter(outlet__in=outlets.values())
        .order_by("code")
        .values_list("outlet_id", "pk")
    ):
        terminal_ids.setdefault(outlet_id, []).append(terminal_id)

    # (outlet, number, effective date, published by, item ids, terminal limits)
    versions: list[tuple] = []
    for index, p in enumerate(plan):
        outlet = outlets[p["code"]]
        chosen = _list_for(rng, p["kind"], convenience, others, always)
        limits = _terminal_limits(rng, chosen, terminal_ids.get(outlet.pk, []))
        if outlet.pk in listed:
            continue
        user = managers.get(p["code"])
        if index % 10 == 3 or user is not None:
            # history: an older list, then the current one with some items added and removed
            dropped = set(rng.sample(chosen, len(chosen) // 10))
            older = sorted(set(chosen) - set(rng.sample(chosen, len(chosen) // 12)) | dropped)
            versions.append((outlet, 1, OLDER_DATE, user, older, limits, "2026年上半年清单"))
            current = sorted(set(chosen) - dropped) or chosen
            versions.append((outlet, 2, NEWER_DATE, user, current, limits, "2026年下半年清单"))
            if user is not None:
                upcoming = sorted(set(current) | set(rng.sample(others, 15)))
                versions.append((outlet, 3, FUTURE_DATE, user, upcoming, limits, "2027年清单"))
        else:
            versions.append((outlet, 1, INITIAL_DATE, user, chosen, limits, "初始清单"))

    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows = ItemListVersion.objects.bulk_create(
        [
            ItemListVersion(
                outlet=outlet,
                status=VersionStatus.PUBLISHED,
                number=number,
                effective_date=date,
                published_at=min(  # a list scheduled for later was published before today
                    datetime.datetime.combine(
                        date - datetime.timedelta(days=10), datetime.time(10, 0), tzinfo=tz
                    ),
                    now - datetime.timedelta(days=1),
                ),
                published_by=user,
                note=note,
                entry_count=len(chosen),
            )
            for outlet, number, date, user, chosen, _l, note in versions
        ],
        batch_size=500,
    )
    if any(r.pk is None for r in rows):
        ids = {
            (o, n): pk
            for o, n, pk in ItemListVersion.objects.filter(
                outlet__in=outlets.values(), status=VersionStatus.PUBLISHED
            ).values_list("outlet_id", "number", "pk")
        }
        for r in rows:
            r.pk = ids[(r.outlet_id, r.number)]
    # ~120,000 entries: plain multi-row INSERTs (no model instances) keep the demo to seconds
    pairs = [
        (row.pk, item)
        for row, (_o, _n, _d, _u, chosen, _l, _note) in zip(rows, versions, strict=True)
        for item in chosen
    ]
    _insert(ItemListEntry, ("version_id", "item_id"), pairs)
    ids = {
        (v, i): pk
        for v, i, pk in ItemListEntry.objects.filter(
            version_id__in=[r.pk for r in rows]
        ).values_list("version_id", "item_id", "pk")
    }
    limits_by_version = {row.pk: v[5] for row, v in zip(rows, versions, strict=True)}
    through = ItemListEntry.terminals.through
    _insert(
        through,
        ("itemlistentry_id", "terminal_id"),
        [
            (ids[(version_id, item_id)], terminal)
            for version_id, item_id in pairs
            for terminal in limits_by_version[version_id].get(item_id, ())
        ],
    )


def _insert(model, columns: tuple[str, ...], rows: list[tuple], batch: int = 400) -> None:
    """INSERT many rows with multi-row VALUES statements (portable: SQLite and PostgreSQL)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(  # the table and columns quoted by the backend, values parameters
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}",  # noqa: S608
                [value for row in chunk for value in row],
            )
