from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("inquiry/", views.inquiry, name="inquiry"),
    path("inquiry/token/", views.token, name="token"),
    path("inquiry/sent/<str:token>/", views.inquiry_sent, name="sent"),
]
