from django.urls import path

from . import views

urlpatterns = [
    path("quotation/<str:token>/", views.quotation_page, name="quotation_buyer"),
    path("quotation/<str:token>/pdf/", views.quotation_pdf, name="quotation_buyer_pdf"),
    path("quotation/<str:token>/proforma/", views.proforma_pdf, name="quotation_buyer_proforma"),
]
