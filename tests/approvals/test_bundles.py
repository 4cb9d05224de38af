"""One-thing bundles (一事全办, issue 17, ADR 0118): one form asks each material once, one
submission opens one case per item at each competent department in one transaction, and one
progress page lists them; nobody else sees it; bad input records nothing."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.bundles.models import BundleApplication, BundleCase
from approvals.models import Case, CaseMaterial, MaterialKind, Status
from portal.catalogue.bundles.models import Bundle, BundleItem, EventKind
from tests.problems import assert_problem

from .factories import (
    ServiceItemFactory,
    UserFactory,
    district_department,
    make_resident_id,
    material,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def bundle(world):
    """A birth: a district item (Shinan) and a city item, which both ask for 申请书 and the
    identity card; each asks for one material of its own; the city item asks for a commitment."""
    shinan, city = world.item, ServiceItemFactory(code="CITY-BIRTH", department=world.city_dept)
    world.form_a = material(shinan, "申请书")
    world.id_a = material(shinan, "居民身份证", source="shared")
    world.own_a = material(shinan, "出生医学证明")
    world.form_b = material(city, " 申请书 ")  # the same material, however it is spaced
    world.id_b = material(city, "居民身份证", source="shared")
    world.own_b = material(city, "户口簿")
    world.promise_b = material(city, "真实性承诺", source="commitment")
    world.city_item = city
    made = Bundle.objects.create(
        code="YS-TEST",
        name="新生儿出生一件事",
        name_en="A child is born",
        event_kind=EventKind.LIFE,
    )
    BundleItem.objects.create(bundle=made, item=shinan, position=0)
    BundleItem.objects.create(bundle=made, item=city, position=1)
    return made


def apply_url(bundle):
    return reverse("approvals:bundle_apply", args=[bundle.code])


def posted(world, **extra):
    data = {
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        "applicant_mobile": "13900000001",
        f"material_{world.form_a.pk}": pdf("form.pdf"),
        f"material_{world.own_a.pk}": pdf("birth.pdf"),
        f"material_{world.own_b.pk}": pdf("hukou.pdf"),
        f"material_{world.promise_b.pk}": "on",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_asks_each_material_once(world, bundle, client):
    client.force_login(world.citizen)
    page = client.get(apply_url(bundle))
    assert page.status_code == 200
    form = page.context["form"]
    # 申请书 and the identity card are asked by both items: once each
    assert form.material_fields == [
        f"material_{world.form_a.pk}",
        f"material_{world.own_a.pk}",
        f"material_{world.own_b.pk}",
        f"material_{world.promise_b.pk}",
    ]
    assert [m.name for m in form.shared_materials] == ["居民身份证"]
    html = page.content.decode()
    assert html.count(f'name="material_{world.form_a.pk}"') == 1
    assert f'name="material_{world.form_b.pk}"' not in html
    assert world.shinan_dept.name in html and world.city_dept.name in html
    # each material says which services it is for
    assert f"用于：{world.item.name}、{world.city_item.name}" in html


def test_one_submission_opens_one_case_per_item_at_each_department(world, bundle, client):
    client.force_login(world.citizen)
    response = client.post(apply_url(bundle), posted(world))
    application = BundleApplication.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    assert re.fullmatch(r"YS\d{8}-\d{6}", application.reference)
    cases = [link.case for link in BundleCase.objects.filter(application=application)]
    assert [(c.item, c.department) for c in cases] == [
        (world.item, world.shinan_dept),
        (world.city_item, world.city_dept),
    ]
    assert all(c.status == Status.SUBMITTED and c.applicant_user == world.citizen for c in cases)
    assert all(c.applicant_name == "王小明" for c in cases)
    # the application form given once is a file of each case, each case with its own copy
    forms = CaseMaterial.objects.filter(name__contains="申请书", kind=MaterialKind.FILE)
    assert sorted(m.case_id for m in forms) == sorted(c.pk for c in cases)
    assert len({m.file.name for m in forms}) == 2
    assert {m.material_id for m in forms} == {world.form_a.pk, world.form_b.pk}
    for row in forms:
        with row.file.open("rb") as handle:
            assert handle.read() == PDF
    # each case also has its own materials, the shared record and (city) the commitment
    city_case = cases[1]
    kinds = sorted(city_case.materials.values_list("name", "kind"))
    assert kinds == sorted(
        [
            (" 申请书 ", "file"),
            ("居民身份证", "shared"),
            ("户口簿", "file"),
            ("真实性承诺", "commitment"),
        ]
    )
    assert not cases[0].materials.filter(name="户口簿").exists()


def test_progress_page_lists_each_case_with_its_department_and_state(world, bundle, client):
    client.force_login(world.citizen)
    client.post(apply_url(bundle), posted(world))
    application = BundleApplication.objects.get()
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for case in Case.objects.all():
        assert case.reference in html and case.get_absolute_url() in html
    assert world.shinan_dept.name in html and world.city_dept.name in html
    assert html.count("已提交") >= 2 or html.count("Submitted") >= 2
    # reachable from 我的办件 and from the bundle's page
    assert (
        application.get_absolute_url() in client.get(reverse("approvals:my_cases")).content.decode()
    )
    detail = client.get(reverse("catalogue:bundle_detail", args=[bundle.code])).content.decode()
    assert application.get_absolute_url() in detail and apply_url(bundle) in detail
    # and each case's page says which application it came with
    for case in Case.objects.all():
        assert (
            application.get_absolute_url() in client.get(case.get_absolute_url()).content.decode()
        )


def test_administrators_read_applications_in_the_admin(world, bundle, client):
    from portal.accounts.models import Role
    from portal.accounts.roles import sync_user_groups

    client.force_login(world.citizen)
    client.post(apply_url(bundle), posted(world))
    application = BundleApplication.objects.get()
    admin_user = UserFactory(username="bundle-admin", role=Role.ADMINISTRATOR, is_staff=True)
    sync_user_groups(admin_user)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:approvals_bundleapplication_changelist"))
    assert listing.status_code == 200 and application.reference in listing.content.decode()
    change = client.get(reverse("admin:approvals_bundleapplication_change", args=[application.pk]))
    assert change.status_code == 200
    assert client.get(reverse("admin:catalogue_bundle_change", args=[bundle.pk])).status_code == 200
    client.force_login(world.other_citizen)
    assert client.get(reverse("admin:approvals_bundleapplication_changelist")).status_code in (
        302,
        403,
    )


def test_another_user_gets_404_and_staff_see_only_their_departments_case(world, bundle, client):
    client.force_login(world.citizen)
    client.post(apply_url(bundle), posted(world))
    application = BundleApplication.objects.get()
    url = application.get_absolute_url()
    api = reverse("bundle-application-detail", args=[application.reference])
    client.force_login(world.other_citizen)
    assert client.get(url).status_code == 404
    assert_problem(client.get(api), 404)
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in
    # the city department's staff see the application, and only their own case in it
    client.force_login(world.city_staff)
    page = client.get(url)
    assert page.status_code == 200
    references = [link.case.reference for link in page.context["links"]]
    assert references == [Case.objects.get(item=world.city_item).reference]
    assert [c["item"] for c in client.get(api).json()["cases"]] == [world.city_item.code]


def _nothing_recorded():
    assert not BundleApplication.objects.exists()
    assert not Case.objects.exists() and not CaseMaterial.objects.exists()


def test_bad_input_records_nothing_with_errors_beside_fields_and_in_a_summary(
    world, bundle, client
):
    client.force_login(world.citizen)
    client.cookies["django_language"] = "en"
    data = posted(world, applicant_id_number="123", **{f"material_{world.own_b.pk}": None})
    response = client.post(apply_url(bundle), data)
    assert response.status_code == 200
    _nothing_recorded()
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert f'href="#id_material_{world.own_b.pk}"' in summary
    assert 'href="#id_applicant_id_number"' in summary
    assert f'id="id_material_{world.own_b.pk}_error"' in html
    assert re.search(r"<title>\s*Error: ", html)


def test_an_item_that_fails_after_others_were_opened_rolls_all_back(world, bundle, client):
    """The last item may not be accepted anywhere (no hall in Pingdu): the cases already opened
    for the first items are undone with it."""
    pingdu = district_department("370283", "PD-DEPT")
    last = ServiceItemFactory(code="PD-BIRTH", department=pingdu)
    BundleItem.objects.create(bundle=bundle, item=last, position=2)
    client.force_login(world.citizen)
    response = client.post(apply_url(bundle), posted(world))
    assert response.status_code == 200
    _nothing_recorded()
    assert "平度" in response.content.decode()


def test_a_company_cannot_apply_for_a_life_event(world, bundle, client):
    client.force_login(world.citizen)
    response = client.post(apply_url(bundle), posted(world, applicant_kind="company"))
    assert response.status_code == 200 and "applicant_kind" in response.context["form"].errors
    _nothing_recorded()


def test_posting_the_same_form_twice_makes_one_application(world, bundle, client):
    client.force_login(world.citizen)
    page = client.get(apply_url(bundle))
    token = page.context["submission_token"]
    first = client.post(apply_url(bundle), posted(world, submission_token=token))
    second = client.post(apply_url(bundle), posted(world, submission_token=token))
    assert first.url == second.url
    assert BundleApplication.objects.count() == 1 and Case.objects.count() == 2


def test_progress_page_query_count_does_not_grow_with_the_cases(
    world, bundle, client, django_assert_max_num_queries
):
    client.force_login(world.citizen)
    client.post(apply_url(bundle), posted(world))
    small = BundleApplication.objects.get()
    for n in range(4):
        BundleItem.objects.create(
            bundle=bundle,
            item=ServiceItemFactory(code=f"MORE-{n}", department=world.shinan_dept),
            position=3 + n,
        )
    client.post(apply_url(bundle), posted(world))
    large = BundleApplication.objects.exclude(pk=small.pk).get()
    assert large.links.count() == 6
    with django_assert_max_num_queries(12) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(small_queries)):
        assert client.get(large.get_absolute_url()).status_code == 200


# ----- catalogue pages and the API -----------------------------------------------------------


def test_catalogue_lists_bundles_and_shows_one_with_its_departments(world, bundle, client):
    listing = client.get(reverse("catalogue:bundle_list")).content.decode()
    assert bundle.name in listing and bundle.get_absolute_url() in listing
    assert (
        reverse("catalogue:bundle_list") in client.get(reverse("catalogue:home")).content.decode()
    )
    detail = client.get(bundle.get_absolute_url())
    html = detail.content.decode()
    assert world.item.name in html and world.city_dept.name in html and apply_url(bundle) in html
    assert [m.name for m in detail.context["materials"]] == [
        "申请书", "居民身份证", "出生医学证明", "户口簿", "真实性承诺",
    ]  # fmt: skip
    assert client.get(reverse("catalogue:bundle_detail", args=["NOPE"])).status_code == 404


def test_api_lists_bundles_and_submits_one_with_materials_once(world, bundle, client):
    listing = client.get("/api/v1/bundles/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [(b["code"], b["item_count"]) for b in rows] == [("YS-TEST", 2)]
    detail = client.get(f"/api/v1/bundles/{bundle.code}/").json()
    assert [i["department"] for i in detail["items"]] == [
        world.shinan_dept.code,
        world.city_dept.code,
    ]
    ids = {m["name"]: m["id"] for m in detail["materials"]}
    assert len(ids) == 5
    content = base64.b64encode(PDF).decode()

    def upload(name):
        return {"material": ids[name], "file_name": f"{ids[name]}.pdf", "content_base64": content}

    body = {
        "bundle": bundle.code,
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        "materials": [
            upload("申请书"),
            upload("出生医学证明"),
            upload("户口簿"),
            {"material": ids["真实性承诺"], "committed": True},
        ],
    }
    client.force_login(world.citizen)
    # bad input: nothing recorded, problem details naming the field
    bad = client.post(
        "/api/v1/bundle-applications/",
        {**body, "materials": body["materials"][:2]},
        content_type="application/json",
    )
    assert_problem(bad, 400, f"material_{world.own_b.pk}")
    _nothing_recorded()
    made = client.post("/api/v1/bundle-applications/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    cases = made.json()["cases"]
    assert [(c["item"], c["department"], c["status"]) for c in cases] == [
        (world.item.code, world.shinan_dept.code, "submitted"),
        (world.city_item.code, world.city_dept.code, "submitted"),
    ]
    reference = made.json()["reference"]
    progress = client.get(f"/api/v1/bundle-applications/{reference}/").json()
    assert [c["reference"] for c in progress["cases"]] == [c["reference"] for c in cases]
    mine = client.get("/api/v1/bundle-applications/").json()
    mine = mine["results"] if isinstance(mine, dict) else mine
    assert [(a["reference"], a["case_count"]) for a in mine] == [(reference, 2)]


def test_demo_bundles_can_each_be_applied_for(db):
    """Every bundle of the demo is made of real catalogue items that a person (life event) or a
    company (business event) can apply for online, in one go."""
    from approvals.bundles import services
    from approvals.demo import load_points
    from portal.catalogue import reference
    from portal.catalogue.bundles import demo, selectors

    from .factories import make_uscc

    reference.load()
    load_points()  # the online platform and the districts' halls, as in the demo
    demo.load()
    demo.load()  # idempotent
    bundles = list(Bundle.objects.order_by("code"))
    assert len(bundles) >= 10
    assert {b.event_kind for b in bundles} == {EventKind.LIFE, EventKind.BUSINESS}
    user = UserFactory(username="demo-applicant")
    for made in bundles:
        full = selectors.get_bundle(made.code)
        items = selectors.bundle_items(full)
        assert len(items) >= 3, made.code
        materials = {}
        for group in selectors.bundle_materials(full):
            if group.source == "applicant":
                materials[group.pk] = {"file": pdf()}
            elif group.source == "commitment":
                materials[group.pk] = {"committed": True}
        person = full.applicant_kind == "person"
        application = services.submit_bundle(
            bundle=full,
            applicant_kind=full.applicant_kind,
            applicant_id_number=make_resident_id(7) if person else make_uscc(7, "370202"),
            applicant_name="王小明" if person else "青岛海味餐饮有限公司",
            applicant_user=user,
            materials=materials,
        )
        assert application.links.count() == len(items), made.code


def test_bundle_lists_and_pages_run_a_fixed_number_of_queries(
    world, bundle, client, django_assert_max_num_queries
):
    def counts():
        found = []
        for url in ("/bundles/", "/api/v1/bundles/", bundle.get_absolute_url(),
                    f"/api/v1/bundles/{bundle.code}/"):  # fmt: skip
            with django_assert_max_num_queries(20) as queries:
                assert client.get(url, HTTP_CACHE_CONTROL="no-cache").status_code == 200
            found.append(len(queries))
        return found

    client.force_login(world.citizen)  # signed in: not served from the page cache
    before = counts()
    for n in range(5):
        more = Bundle.objects.create(code=f"YS-MORE-{n}", name=f"一件事{n}", event_kind="business")
        BundleItem.objects.create(bundle=more, item=world.item, position=0)
    for n in range(4):
        item = ServiceItemFactory(code=f"MORE-ITEM-{n}", department=world.city_dept)
        material(item, f"材料{n}")
        BundleItem.objects.create(bundle=bundle, item=item, position=5 + n)
    assert counts() == before


def test_an_item_withdrawn_from_the_catalogue_leaves_the_bundle(world, bundle, client):
    """The list counted only offered items while the page, the form and the submission still
    took the withdrawn one; now all of them leave it out and the rest is applied for."""
    world.city_item.is_active = False
    world.city_item.save(update_fields=["is_active"])
    page = client.get(reverse("catalogue:bundle_detail", args=[bundle.code])).content.decode()
    assert world.city_item.name not in page and world.item.name in page
    client.force_login(world.citizen)
    response = client.post(
        apply_url(bundle),
        posted(
            world, **{f"material_{world.own_b.pk}": None, f"material_{world.promise_b.pk}": None}
        ),
    )
    assert response.status_code == 302
    cases = [link.case for link in BundleCase.objects.all()]
    assert [c.item for c in cases] == [world.item]
