from django.urls import path

from portal.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("search/", views.search, name="search"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<str:kind>/", views.list_detail, name="list_detail"),
    path("lists/<str:kind>/history/", views.list_history, name="list_history"),
    path("lists/<str:kind>/export.<str:fmt>", views.list_export, name="list_export"),
]
