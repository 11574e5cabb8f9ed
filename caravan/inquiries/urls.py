from django.urls import path

from . import chat, views

app_name = "inquiries"

urlpatterns = [
    path("inquiry/", views.inquiry, name="inquiry"),
    path("inquiry/token/", views.token, name="token"),
    path("inquiry/sent/<str:token>/", views.inquiry_sent, name="sent"),
    path("inquiry/chat/<str:channel>/", chat.chat, name="chat"),
]
