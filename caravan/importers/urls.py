from django.urls import path

from . import views

app_name = "wordpress_import"
urlpatterns = [
    path("", views.import_view, name="start"),
    path("<int:pk>/", views.run_view, name="run"),
]
