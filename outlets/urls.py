"""Pages of the outlets app, mounted at /outlets/."""

from django.urls import path

from . import views

app_name = "outlets"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("all/", views.city_list, name="city_list"),
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/<str:code>/", views.manage_draft, name="manage_draft"),
    path("manage/<str:code>/add/", views.manage_add, name="manage_add"),
    path("manage/<str:code>/remove/", views.manage_remove, name="manage_remove"),
    path(
        "manage/<str:code>/terminals/<str:item_code>/",
        views.manage_terminals,
        name="manage_terminals",
    ),
    path("manage/<str:code>/import/", views.manage_import, name="manage_import"),
    path("manage/<str:code>/preview/", views.manage_preview, name="manage_preview"),
    path("manage/<str:code>/discard/", views.manage_discard, name="manage_discard"),
    path("manage/<str:code>/history/", views.manage_history, name="manage_history"),
    path("manage/<str:code>/compare/", views.manage_compare, name="manage_compare"),
    path(
        "manage/<str:code>/versions/<int:number>/withdraw/",
        views.manage_withdraw,
        name="manage_withdraw",
    ),
    path("<str:code>/", views.outlet_detail, name="outlet_detail"),
    path("<str:code>/items.csv", views.outlet_items_csv, name="outlet_items_csv"),
    path("<str:code>/items.pdf", views.outlet_items_pdf, name="outlet_items_pdf"),
]
