from django.urls import path

from . import views

app_name = "signing"

urlpatterns = [
    path("", views.authorities, name="authorities"),
    path("ca.pem", views.ca_pem, name="ca_pem"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
