from django.urls import path

from portal.catalogue import views
from portal.catalogue.bundles import views as bundle_views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("services/<str:basic_code>/", views.service_detail, name="service_detail"),
    path("search/", views.search, name="search"),
    path("bundles/", bundle_views.bundle_list, name="bundle_list"),
    path("bundles/<str:code>/", bundle_views.bundle_detail, name="bundle_detail"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<str:kind>/", views.list_detail, name="list_detail"),
    path("lists/<str:kind>/history/", views.list_history, name="list_history"),
    path("lists/<str:kind>/export.<str:fmt>", views.list_export, name="list_export"),
]
